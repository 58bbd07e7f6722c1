import { loadSession, saveSession } from './session';
import type { Problem } from './types';

/** An answer in the 4xx/5xx range, with the problem's `code` and the `detail` to show the user. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? 'unknown';
    this.problem = problem;
  }
}

/** Reads an error answer: an RFC 9457 problem, the Dropbox API's error form, or anything else. */
export async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (typeof body.error_summary === 'string') {
      // The Dropbox API (/2/...) answers errors as Dropbox does.
      return { status: response.status, code: body.error_summary.replace(/\/\.*$/, ''), detail: body.error_summary };
    }
    return body as Problem;
  } catch {
    return { status: response.status, code: 'unknown', detail: text.trim() || response.statusText || `HTTP ${response.status}` };
  }
}

/** The message to show for any error thrown by a request. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'The server cannot be reached. Check your connection and try again.';
  if (error instanceof Error) return error.message;
  return String(error);
}

export interface RequestOptions {
  method?: string;
  json?: unknown;
  query?: Record<string, string | number | boolean | undefined | null>;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send without the session's token (login, register). */
  anonymous?: boolean;
}

export function authHeader(): Record<string, string> {
  const session = loadSession();
  return session ? { Authorization: `Bearer ${session.accessToken}` } : {};
}

export function withQuery(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Sends a request to the API (same origin) and gives the raw answer, throwing ApiError on 4xx/5xx. */
export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (!options.anonymous) Object.assign(headers, authHeader());
  let body: BodyInit | undefined;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(withQuery(path, options.query), {
    method: options.method ?? (body !== undefined ? 'POST' : 'GET'),
    headers,
    body,
    signal: options.signal,
  });
  if (!response.ok) {
    const problem = await problemOf(response);
    if (response.status === 401 && !options.anonymous) {
      // The token expired or its device was revoked: back to the login screen.
      saveSession(null);
    }
    throw new ApiError(response.status, problem);
  }
  return response;
}

/** A JSON request; `undefined` for an answer without a body (204). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
