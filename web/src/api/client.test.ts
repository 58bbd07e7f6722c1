import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, errorMessage } from './client';
import { loadSession, saveSession } from './session';
import { fakeFetch, json } from '../test/render';

afterEach(() => vi.unstubAllGlobals());

describe('api', () => {
  it('sends the bearer token and JSON, reads snake_case JSON back', async () => {
    saveSession({ accessToken: 'tok', deviceId: 'dev', email: 'a@b.c' });
    const fake = fakeFetch({ 'POST /files/folder': () => json({ file_id: 'f1', path: '/x' }, 201) });
    vi.stubGlobal('fetch', fake.fetch);
    await expect(api('/files/folder', { json: { path: '/x' } })).resolves.toEqual({ file_id: 'f1', path: '/x' });
    const headers = fake.calls[0].init!.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer tok');
    expect(headers['Content-Type']).toBe('application/json');
    expect(fake.calls[0].init!.body).toBe('{"path":"/x"}');
  });

  it('turns a problem into an ApiError whose message is its detail', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'POST /files/move': () => json({ code: 'path_conflict', title: 'Path conflict', status: 409, detail: "'/a' already exists" }, 409),
      }).fetch,
    );
    const error = (await api('/files/move', { json: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('path_conflict');
    expect(errorMessage(error)).toBe("'/a' already exists");
  });

  it('reads the Dropbox API’s error form too', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({ 'POST /2/files/get_temporary_link': () => json({ error_summary: 'path/not_file/..', error: {} }, 409) }).fetch,
    );
    const error = (await api('/2/files/get_temporary_link', { json: {} }).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('path/not_file');
  });

  it('ends the session on 401, but not for the login itself', async () => {
    saveSession({ accessToken: 'old', deviceId: 'dev', email: 'a@b.c' });
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'POST /auth/login': () => json({ code: 'invalid_credentials', detail: 'Wrong email or password' }, 401),
        'GET /trash': () => json({ code: 'unauthorized', detail: 'Token expired' }, 401),
      }).fetch,
    );
    await expect(api('/auth/login', { json: {}, anonymous: true })).rejects.toThrow('Wrong email or password');
    expect(loadSession()).not.toBeNull();
    await expect(api('/trash')).rejects.toThrow('Token expired');
    expect(loadSession()).toBeNull();
  });

  it('says the server cannot be reached when the network fails', () => {
    expect(errorMessage(new TypeError('Failed to fetch'))).toMatch(/cannot be reached/);
  });
});
