import { afterEach, describe, expect, it, vi } from 'vitest';
import { socketUrl, startLiveSync, type LiveState } from './liveSync';
import { fakeFetch, json } from '../test/render';
import { saveSession } from '../api/session';

class FakeSocket {
  static made: FakeSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  close() {
    this.closed = true;
  }
}

afterEach(() => {
  FakeSocket.made = [];
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const create = (url: string) => new FakeSocket(url) as unknown as WebSocket;

describe('live sync', () => {
  it('connects with the token in the query, the only way a browser can send it', () => {
    const location = { protocol: 'https:', host: 'box.example' } as Location;
    expect(socketUrl('a b', location)).toBe('wss://box.example/files/sync/ws?access_token=a%20b');
  });

  it('refetches on open and on each {"changes": true}, ignores other frames', () => {
    const onChange = vi.fn();
    const states: LiveState[] = [];
    const stop = startLiveSync({ token: 't', onChange, onState: (s) => states.push(s), createSocket: create });
    const socket = FakeSocket.made[0];
    socket.onopen!();
    expect(onChange).toHaveBeenCalledTimes(1);
    socket.onmessage!({ data: '{"changes": true}' });
    socket.onmessage!({ data: '{"changes": false}' });
    socket.onmessage!({ data: 'not json' });
    expect(onChange).toHaveBeenCalledTimes(2);
    expect(states).toEqual(['connecting', 'websocket']);
    stop();
    expect(socket.closed).toBe(true);
  });

  it('reconnects after a drop, and refetches once reconnected', () => {
    vi.useFakeTimers();
    const onChange = vi.fn();
    const stop = startLiveSync({ token: 't', onChange, createSocket: create });
    FakeSocket.made[0].onopen!();
    FakeSocket.made[0].onclose!({ code: 1001, reason: '' });
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.made).toHaveLength(2);
    FakeSocket.made[1].onopen!();
    expect(onChange).toHaveBeenCalledTimes(2);
    stop();
  });

  it('falls back to the long-poll when the socket cannot be opened, paging the feed for a cursor', async () => {
    vi.useFakeTimers();
    saveSession({ accessToken: 't', deviceId: 'd', email: 'e@x.y' });
    let polls = 0;
    const fake = fakeFetch({
      'GET /files/sync?limit=2000': () => json({ changes: [], next_cursor: 'c1', has_more: true }),
      'GET /files/sync?cursor=c1&limit=2000': () => json({ changes: [], next_cursor: 'c2', has_more: false }),
      'GET /files/sync/longpoll?cursor=c2&timeout=60': () => json({ changes: polls++ === 0, backoff: null }),
      'GET /files/sync?cursor=c2&limit=2000': () => json({ changes: [{}], next_cursor: 'c3', has_more: false }),
      'GET /files/sync/longpoll?cursor=c3&timeout=60': () => new Promise<Response>(() => {}),
    });
    vi.stubGlobal('fetch', fake.fetch);
    const onChange = vi.fn();
    const states: LiveState[] = [];
    const stop = startLiveSync({ token: 't', onChange, onState: (s) => states.push(s), createSocket: create, socketFailuresBeforeFallback: 2 });
    FakeSocket.made[0].onclose!({ code: 1006, reason: '' });
    await vi.advanceTimersByTimeAsync(1000);
    FakeSocket.made[1].onclose!({ code: 1006, reason: '' });
    await vi.waitFor(() => expect(fake.calls.map((c) => c.key)).toContain('GET /files/sync/longpoll?cursor=c3&timeout=60'));
    expect(onChange).toHaveBeenCalledTimes(1);
    expect(states).toContain('longpoll');
    stop();
  });
});
