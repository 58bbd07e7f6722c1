import * as tus from 'tus-js-client';
import { loadSession } from '../api/session';
import { createFolder } from '../api/endpoints';
import { ApiError } from '../api/client';
import { joinPath } from '../util/paths';
import type { Picked } from './picked';

// Uploads go over tus 1.0.0 (POST /files/tus, then PATCH from the stored offset). A dropped
// connection is retried with backoff: tus asks the server how far it got (HEAD) and goes on from
// there, so nothing already stored is sent again. Uploads started in an earlier visit of the page
// resume the same way when the same file is picked again for the same place.

export type UploadStatus = 'queued' | 'uploading' | 'retrying' | 'paused' | 'done' | 'error';

export interface UploadItem {
  id: string;
  name: string;
  path: string;
  size: number;
  bytesSent: number;
  status: UploadStatus;
  error?: string;
  fileId?: string;
  /** Bytes the server already had when this upload (re)started: > 0 means it resumed. */
  resumedFrom?: number;
}

// A file goes in one PATCH: the server keeps what arrived of a PATCH that broke off, so a drop costs nothing already
// sent, and every extra PATCH would cost a round trip and a stored tail (bench/web.sh: 64 MiB in 8 MiB PATCHes took
// about 1.5 times as long as in one).
export const CHUNK_SIZE = Number.POSITIVE_INFINITY;
const PARALLEL = 2;
const RETRY_DELAYS = [0, 1000, 2000, 3000, 5000, 5000, 10000, 10000, 15000, 15000, 20000, 30000, 30000, 30000, 60000];

type Listener = () => void;

interface Running {
  upload: tus.Upload;
  file: File;
}

export class UploadManager {
  private items: UploadItem[] = [];
  private readonly files = new Map<string, File>();
  private readonly running = new Map<string, Running>();
  private readonly listeners = new Set<Listener>();
  private counter = 0;
  /** Called with the destination path after each file is committed. */
  onCommitted: (path: string) => void = () => {};

  constructor(private readonly endpoint: () => string = () => new URL('/files/tus', window.location.href).toString()) {}

  subscribe = (listener: Listener) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = () => this.items;

  /** Queues what was picked for upload into `folder`; empty folders of a dropped folder are created. */
  async add(folder: string, picked: Picked): Promise<void> {
    const withFiles = new Set(picked.files.map((f) => f.relativePath.split('/').slice(0, -1).join('/')));
    for (const relative of picked.folders) {
      const hasContent = [...withFiles].some((p) => p === relative || p.startsWith(`${relative}/`));
      if (!hasContent) {
        try {
          await createFolder(joinPath(folder, relative));
        } catch (error) {
          if (!(error instanceof ApiError && error.code === 'path_conflict')) throw error;
        }
      }
    }
    const added: UploadItem[] = picked.files.map(({ file, relativePath }) => {
      const id = `u${++this.counter}`;
      this.files.set(id, file);
      return { id, name: relativePath, path: joinPath(folder, relativePath), size: file.size, bytesSent: 0, status: 'queued' };
    });
    this.items = [...this.items, ...added];
    this.emit();
    this.pump();
  }

  pause(id: string) {
    const running = this.running.get(id);
    if (!running) return;
    void running.upload.abort(false);
    this.running.delete(id);
    this.update(id, { status: 'paused' });
    this.pump();
  }

  resume(id: string) {
    const item = this.items.find((i) => i.id === id);
    if (!item || (item.status !== 'paused' && item.status !== 'error')) return;
    this.update(id, { status: 'queued', error: undefined });
    this.pump();
  }

  cancel(id: string) {
    const running = this.running.get(id);
    this.running.delete(id);
    // Termination: the server drops what it stored of this upload.
    if (running) void running.upload.abort(true).catch(() => undefined);
    this.files.delete(id);
    this.items = this.items.filter((i) => i.id !== id);
    this.emit();
    this.pump();
  }

  clearFinished() {
    for (const item of this.items) if (item.status === 'done') this.files.delete(item.id);
    this.items = this.items.filter((i) => i.status !== 'done');
    this.emit();
  }

  private update(id: string, change: Partial<UploadItem>) {
    this.items = this.items.map((i) => (i.id === id ? { ...i, ...change } : i));
    this.emit();
  }

  private emit() {
    this.listeners.forEach((l) => l());
  }

  private pump() {
    const active = this.items.filter((i) => i.status === 'uploading' || i.status === 'retrying').length;
    let free = PARALLEL - active;
    for (const item of this.items) {
      if (free <= 0) break;
      if (item.status === 'queued' && !this.running.has(item.id)) {
        free -= 1;
        this.start(item);
      }
    }
  }

  private start(item: UploadItem) {
    const file = this.files.get(item.id);
    if (!file) return;
    const session = loadSession();
    const email = session?.email ?? '';
    let fileId: string | undefined;
    const upload = new tus.Upload(file, {
      endpoint: this.endpoint(),
      chunkSize: CHUNK_SIZE,
      retryDelays: RETRY_DELAYS,
      headers: session ? { Authorization: `Bearer ${session.accessToken}` } : {},
      metadata: { path: item.path, mode: 'overwrite', client_modified: new Date(file.lastModified || Date.now()).toISOString() },
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      fingerprint: async () => ['syncbox-tus', email, item.path, file.size, file.lastModified].join('|'),
      onProgress: (sent) => {
        // Bytes flowing again after a retry: no longer waiting for the connection.
        this.update(item.id, { bytesSent: sent, status: 'uploading', error: undefined });
      },
      onShouldRetry: (error, _attempt, _options) => {
        const status = error.originalResponse?.getStatus() ?? 0;
        // A refusal (bad path, quota, permission, expired token) will not change by retrying.
        if (status >= 400 && status < 500 && status !== 409 && status !== 423 && status !== 429) return false;
        if (status === 507) return false;
        this.update(item.id, { status: 'retrying', error: 'Connection lost, retrying…' });
        return true;
      },
      onAfterResponse: (_request, response) => {
        const id = response.getHeader('Syncbox-File-Id');
        if (id) fileId = id;
        const offset = response.getHeader('Upload-Offset');
        const method = _request.getMethod();
        if (method === 'HEAD' && offset) this.update(item.id, { resumedFrom: Number(offset) });
      },
      onError: (error) => {
        this.running.delete(item.id);
        const status = (error as tus.DetailedError).originalResponse?.getStatus?.();
        if (status === 401) {
          this.update(item.id, { status: 'error', error: 'Your session has ended. Sign in again to continue.' });
        } else {
          this.update(item.id, { status: 'error', error: tusErrorMessage(error) });
        }
        this.pump();
      },
      onSuccess: () => {
        this.running.delete(item.id);
        this.update(item.id, { status: 'done', bytesSent: file.size, error: undefined, fileId });
        this.files.delete(item.id);
        this.onCommitted(item.path);
        this.pump();
      },
    });
    this.running.set(item.id, { upload, file });
    this.update(item.id, { status: 'uploading', error: undefined });
    upload
      .findPreviousUploads()
      .then((previous) => {
        if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
        if (this.running.get(item.id)?.upload === upload) upload.start();
      })
      .catch(() => upload.start());
  }
}

/** The problem's detail from a failed tus request, or tus-js-client's own message. */
export function tusErrorMessage(error: Error): string {
  const response = (error as tus.DetailedError).originalResponse;
  const body = response?.getBody?.();
  if (body) {
    try {
      const problem = JSON.parse(body) as { detail?: string; title?: string };
      if (problem.detail || problem.title) return (problem.detail || problem.title)!;
    } catch {
      // not JSON: fall through
    }
  }
  if (!response) return 'The server cannot be reached. The upload will go on from where it stopped when you resume it.';
  return `Upload failed (${response.getStatus()})`;
}

export const uploads = new UploadManager();
