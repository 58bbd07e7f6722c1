// JSON shapes of syncbox's API (snake_case, as the services answer them). See docs/*.md.

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  [member: string]: unknown;
}

export interface LoginResponse {
  access_token: string;
  device_id: string;
}

export interface Entry {
  file_id: string;
  name: string;
  path: string;
  is_dir: boolean;
  size: number;
  current_version_id: string | null;
  content_hash: string | null;
  modified_at: string;
}

export interface Listing {
  path: string;
  entries: Entry[];
}

export interface Moved {
  file_id: string;
  from_path: string;
  path: string;
  is_dir: boolean;
}

export interface Deleted {
  file_id: string;
  deleted_at: string;
  recovery_deadline: string;
}

export interface TrashEntry {
  file_id: string;
  path: string;
  is_dir: boolean;
  size: number;
  deleted_at: string;
  recovery_deadline: string;
}

export interface Restored {
  file_id: string;
  path: string;
  is_dir: boolean;
}

export interface Version {
  id: string;
  size: number;
  content_hash: string;
  device_id: string | null;
  created_at: string;
  is_conflict: boolean;
}

export interface VersionPage {
  versions: Version[];
  next_cursor: string | null;
  has_more: boolean;
}

export interface VersionRestored {
  file_id: string;
  version_id: string;
  restored_from: string;
  size: number;
  content_hash: string;
  timestamp: string;
}

export type Permission = 'READ' | 'READ_WRITE';

export interface Share {
  share_id: number;
  file_id: string;
  user_id: number;
  email: string;
  name: string;
  permission: Permission;
  shared_at: string;
  updated_at: string;
}

export interface SharedItem {
  share_id: number;
  file_id: string;
  path: string;
  name: string;
  is_dir: boolean;
  permission: Permission;
  owner: { user_id: number; email: string; name: string };
  shared_at: string;
}

export interface SearchMatch {
  file_id: string;
  path: string;
  name: string;
  size: number;
  modified_at: string;
  highlight: string | null;
}

export interface SearchPage {
  matches: SearchMatch[];
  next_cursor: string | null;
  has_more: boolean;
}

export interface Device {
  device_id: string;
  name: string;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
  current: boolean;
}

export interface SpaceUsage {
  used: number;
  allocation: { '.tag': string; allocated?: number };
}

export interface Conflict {
  conflict_id: string;
  file_id: string;
  path: string;
  device_a_version: string | null;
  device_b_version: string | null;
  base_version: string | null;
  diverged_at: string;
  status: 'OPEN' | 'RESOLVED';
  resolution: string | null;
  result_version: string | null;
  copy_file_id: string | null;
  resolved_by_version: string | null;
  resolved_at: string | null;
}

export interface SyncPage {
  changes: unknown[];
  next_cursor: string;
  has_more: boolean;
}
