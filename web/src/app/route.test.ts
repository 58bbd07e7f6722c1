import { describe, expect, it } from 'vitest';
import { hrefOf, parseRoute, type Route } from './route';

describe('hash routes', () => {
  it('round-trips every route, with names that need encoding', () => {
    const routes: Route[] = [
      { name: 'files', path: '/' },
      { name: 'files', path: '/Photos/day 1/#hash?&' },
      { name: 'trash' },
      { name: 'shared' },
      { name: 'conflicts' },
      { name: 'devices' },
      { name: 'login' },
      { name: 'register' },
      { name: 'search', q: 'report "launch window" & more' },
    ];
    for (const route of routes) expect(parseRoute(hrefOf(route))).toEqual(route);
  });

  it('sends anything unknown to the root folder', () => {
    expect(parseRoute('')).toEqual({ name: 'files', path: '/' });
    expect(parseRoute('#/nowhere')).toEqual({ name: 'files', path: '/' });
    expect(parseRoute('#/files/%E0%A4%A')).toEqual({ name: 'files', path: '/%E0%A4%A' });
  });
});
