import { api, ApiError } from '../api/client';
import type { SyncPage } from '../api/types';

// Tells the page when something it shows may have changed on another device. The WebSocket
// /files/sync/ws pushes {"changes": true}; when it cannot be opened (a proxy that does not pass
// WebSockets), the long-poll /files/sync/longpoll does the same with round trips. Either way the
// page refetches what it shows; the notification never carries the changes themselves.

export type LiveState = 'connecting' | 'websocket' | 'longpoll' | 'offline';

export interface LiveOptions {
  token: string;
  onChange: () => void;
  onState?: (state: LiveState) => void;
  /** Overridable for tests. */
  createSocket?: (url: string) => WebSocket;
  /** How many WebSocket attempts fail in a row before falling back to long-poll. */
  socketFailuresBeforeFallback?: number;
}

export function socketUrl(token: string, location: Location = window.location): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/files/sync/ws?access_token=${encodeURIComponent(token)}`;
}

export function startLiveSync(options: LiveOptions): () => void {
  const createSocket = options.createSocket ?? ((url: string) => new WebSocket(url));
  const maxFailures = options.socketFailuresBeforeFallback ?? 3;
  let stopped = false;
  let socket: WebSocket | null = null;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const abort = new AbortController();
  const setState = (state: LiveState) => options.onState?.(state);

  const openSocket = () => {
    if (stopped) return;
    setState('connecting');
    let opened = false;
    const ws = createSocket(socketUrl(options.token));
    socket = ws;
    ws.onopen = () => {
      opened = true;
      failures = 0;
      setState('websocket');
      // Whatever changed while no socket was open has not been announced: refetch once.
      options.onChange();
    };
    ws.onmessage = (event) => {
      try {
        if (JSON.parse(String(event.data)).changes === true) options.onChange();
      } catch {
        // other frames are not meant for us
      }
    };
    ws.onclose = (event) => {
      socket = null;
      if (stopped) return;
      if (event.code === 1008 && event.reason === 'unauthorized') {
        setState('offline');
        // The token is no longer valid: any request will now take the page back to the login.
        void api('/auth/check').catch(() => undefined);
        return;
      }
      if (!opened) failures += 1;
      if (failures >= maxFailures) {
        void longPoll();
        return;
      }
      const delay = Math.min(30000, 1000 * 2 ** Math.max(0, failures - 1));
      setState('connecting');
      timer = setTimeout(openSocket, opened ? 1000 : delay);
    };
  };

  // The long-poll needs a cursor at the present: page the feed to its end once.
  const currentCursor = async (from?: string): Promise<string> => {
    let cursor = from;
    for (;;) {
      const page: SyncPage = await api<SyncPage>('/files/sync', { query: { cursor, limit: 2000 }, signal: abort.signal });
      cursor = page.next_cursor;
      if (!page.has_more) return cursor;
    }
  };

  const longPoll = async () => {
    setState('longpoll');
    let cursor: string | undefined;
    let backoff = 1000;
    while (!stopped) {
      try {
        if (!cursor) cursor = await currentCursor();
        const answer = await api<{ changes: boolean; backoff: number | null }>('/files/sync/longpoll', {
          query: { cursor, timeout: 60 },
          signal: abort.signal,
        });
        if (answer.changes) {
          cursor = await currentCursor(cursor);
          options.onChange();
        }
        if (answer.backoff) await sleep(answer.backoff * 1000);
        backoff = 1000;
        setState('longpoll');
      } catch (error) {
        if (stopped) return;
        if (error instanceof ApiError && error.status === 401) return;
        if (error instanceof ApiError && (error.code === 'reset' || error.code === 'invalid_cursor')) {
          cursor = undefined;
          options.onChange();
          continue;
        }
        setState('offline');
        await sleep(backoff);
        backoff = Math.min(30000, backoff * 2);
      }
    }
  };

  const sleep = (ms: number) => new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));

  if (typeof WebSocket === 'undefined' && !options.createSocket) void longPoll();
  else openSocket();

  return () => {
    stopped = true;
    abort.abort();
    if (timer) clearTimeout(timer);
    if (socket) {
      socket.onclose = null;
      socket.close(1000);
    }
  };
}
