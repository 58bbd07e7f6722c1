import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { Providers, createQueryClient } from '../app/Providers';

export function renderWithProviders(ui: ReactElement) {
  const client = createQueryClient();
  client.setDefaultOptions({ queries: { retry: false } });
  return { client, ...render(<Providers client={client}>{ui}</Providers>) };
}

/** A fetch stand-in answering by "METHOD path" (path with its query); unknown requests fail the test. */
export function fakeFetch(routes: Record<string, (init: RequestInit | undefined) => Response | Promise<Response>>) {
  const calls: { key: string; init: RequestInit | undefined }[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://app.test');
    const key = `${init?.method ?? 'GET'} ${url.pathname}${url.search}`;
    calls.push({ key, init });
    const handler = routes[key];
    if (!handler) throw new Error(`unexpected request ${key}`);
    return handler(init);
  };
  return { fetch, calls };
}

export const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
