import { useSyncExternalStore } from 'react';

// Hash routes (/#/files/Photos, /#/trash, ...): no client route can collide with an API path,
// and the gateway serves index.html at '/' only.

export type Route =
  | { name: 'login' }
  | { name: 'register' }
  | { name: 'files'; path: string }
  | { name: 'shared' }
  | { name: 'trash' }
  | { name: 'conflicts' }
  | { name: 'devices' }
  | { name: 'search'; q: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart, queryPart = ''] = raw.split('?', 2);
  const segments = pathPart.split('/').filter(Boolean);
  const query = new URLSearchParams(queryPart);
  switch (segments[0]) {
    case 'login':
      return { name: 'login' };
    case 'register':
      return { name: 'register' };
    case 'shared':
      return { name: 'shared' };
    case 'trash':
      return { name: 'trash' };
    case 'conflicts':
      return { name: 'conflicts' };
    case 'devices':
      return { name: 'devices' };
    case 'search':
      return { name: 'search', q: query.get('q') ?? '' };
    case 'files': {
      const parts = segments.slice(1).map((s) => safeDecode(s));
      return { name: 'files', path: parts.length ? `/${parts.join('/')}` : '/' };
    }
    default:
      return { name: 'files', path: '/' };
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'files':
      return `#/files${route.path === '/' ? '' : route.path.split('/').map(encodeURIComponent).join('/')}`;
    case 'search':
      return `#/search?${new URLSearchParams({ q: route.q }).toString()}`;
    default:
      return `#/${route.name}`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = hrefOf(route);
}

function subscribe(callback: () => void) {
  window.addEventListener('hashchange', callback);
  return () => window.removeEventListener('hashchange', callback);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
