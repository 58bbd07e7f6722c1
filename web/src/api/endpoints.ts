import { api, send } from './client';
import type {
  Conflict,
  Deleted,
  Device,
  Entry,
  Listing,
  LoginResponse,
  Moved,
  Permission,
  Restored,
  SearchPage,
  Share,
  SharedItem,
  SpaceUsage,
  TrashEntry,
  VersionPage,
  VersionRestored,
} from './types';
import { versionRev } from '../util/rev';

const id = (value: string) => encodeURIComponent(value);

export const register = (email: string, name: string, password: string) =>
  api<{ user_id: number }>('/auth/register', { json: { email, name, password }, anonymous: true });

export const login = (email: string, password: string, deviceName: string) =>
  api<LoginResponse>('/auth/login', { json: { email, password, device_name: deviceName }, anonymous: true });

export const listFolder = (path: string, signal?: AbortSignal) =>
  api<Listing>('/files/list', { query: { path }, signal });

export const metadata = (fileId: string) => api<Entry & { versions?: unknown[] }>(`/files/${id(fileId)}/metadata`);

export const createFolder = (path: string) => api<Entry>('/files/folder', { json: { path } });

export const move = (fileId: string, toPath: string) =>
  api<Moved>('/files/move', { json: { file_id: fileId, to_path: toPath } });

export const deleteToTrash = (fileId: string) =>
  api<Deleted>(`/files/${id(fileId)}/delete`, { json: { move_to_trash: true } });

export const trash = () => api<{ entries: TrashEntry[] }>('/trash');
export const restoreFromTrash = (fileId: string) => api<Restored>(`/trash/${id(fileId)}/restore`, { method: 'POST' });
export const purgeFromTrash = (fileId: string) => api<void>(`/trash/${id(fileId)}`, { method: 'DELETE' });
export const emptyTrash = () => api<{ purged: number }>('/trash', { method: 'DELETE' });

export const versions = (fileId: string, startingAfter?: string) =>
  api<VersionPage>(`/files/${id(fileId)}/versions`, { query: { limit: 100, starting_after: startingAfter } });

export const restoreVersion = (fileId: string, versionId: string) =>
  api<VersionRestored>(`/files/${id(fileId)}/restore`, { json: { version_id: versionId } });

export const shares = (fileId: string) => api<{ shares: Share[] }>(`/files/${id(fileId)}/shares`);

export const share = (fileId: string, email: string, permission: Permission) =>
  api<Share>(`/files/${id(fileId)}/share`, { json: { email, permission } });

export const changeShare = (fileId: string, shareId: number, permission: Permission) =>
  api<Share>(`/files/${id(fileId)}/share/${shareId}`, { method: 'PATCH', json: { permission } });

export const revokeShare = (fileId: string, shareId: number) =>
  api<void>(`/files/${id(fileId)}/share/${shareId}`, { method: 'DELETE' });

export const sharedWithMe = () => api<{ items: SharedItem[] }>('/shared');

export const search = (q: string, cursor?: string) =>
  api<SearchPage>('/files/search', { query: { q, limit: 50, cursor } });

export const devices = () => api<{ devices: Device[] }>('/devices');
export const revokeDevice = (deviceId: string) => api<void>(`/devices/${id(deviceId)}`, { method: 'DELETE' });

export const spaceUsage = () => api<SpaceUsage>('/2/users/get_space_usage', { json: null });

export const conflicts = () => api<{ conflicts: Conflict[] }>('/conflicts');

export const resolveConflict = (fileId: string, conflictId: string, versionId: string) =>
  api<unknown>(`/files/${id(fileId)}/conflicts/${id(conflictId)}/resolve`, { json: { version_id: versionId } });

/**
 * A link that streams a file (or one version of it) without a token for a few hours. The server
 * answers an absolute URL of the gateway; only its path is kept, since the app is served by that
 * same gateway (and, in development, through a proxy to it).
 */
export async function temporaryLink(fileId: string, versionId?: string): Promise<string> {
  const path = versionId ? `rev:${versionRev(versionId)}` : `id:${fileId}`;
  const answer = await api<{ link: string }>('/2/files/get_temporary_link', { json: { path } });
  const url = new URL(answer.link, window.location.href);
  return url.pathname + url.search;
}

/** The first `maxBytes` of a file's content as text (a ranged read: previews never load a whole big file). */
export async function readText(fileId: string, maxBytes: number, signal?: AbortSignal): Promise<{ text: string; truncated: boolean }> {
  const response = await send(`/files/download/${id(fileId)}`, {
    headers: { Range: `bytes=0-${maxBytes - 1}`, Accept: '*/*' },
    signal,
  });
  const buffer = await response.arrayBuffer();
  const range = response.headers.get('Content-Range');
  const total = range ? Number(range.split('/')[1]) : buffer.byteLength;
  return { text: new TextDecoder().decode(buffer), truncated: total > buffer.byteLength };
}

/** The whole content as a Blob of the given type (PDF preview, which needs the bytes in the page). */
export async function readBlob(fileId: string, type: string, signal?: AbortSignal): Promise<Blob> {
  const response = await send(`/files/download/${id(fileId)}`, { headers: { Accept: '*/*' }, signal });
  const blob = await response.blob();
  return new Blob([blob], { type });
}

/** A server-made JPEG thumbnail, or null when the file has none (not an image, too large). */
export async function thumbnail(fileId: string, size: number, versionId: string | null, signal?: AbortSignal): Promise<Blob | null> {
  try {
    const response = await send(`/files/${id(fileId)}/thumbnail`, {
      query: { size, version: versionId ?? undefined },
      headers: { Accept: 'image/jpeg' },
      signal,
    });
    return await response.blob();
  } catch (error) {
    if (error instanceof Error && 'status' in error && (error as { status: number }).status < 500) return null;
    throw error;
  }
}
