// Paths in syncbox are absolute, '/'-separated, compared case-insensitively; the root is '/'.

export function joinPath(folder: string, name: string): string {
  const base = folder === '/' ? '' : folder.replace(/\/+$/, '');
  return `${base}/${name.replace(/^\/+/, '')}`;
}

export function parentOf(path: string): string {
  const index = path.replace(/\/+$/, '').lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}

export function nameOf(path: string): string {
  if (path === '/') return '';
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** The folders from the root down to `path`, for breadcrumbs: [{name:'All files',path:'/'}, ...]. */
export function crumbs(path: string): { name: string; path: string }[] {
  const result = [{ name: 'All files', path: '/' }];
  let current = '';
  for (const part of path.split('/').filter(Boolean)) {
    current += `/${part}`;
    result.push({ name: part, path: current });
  }
  return result;
}

/** True when `path` is `folder` or lies inside it (case-insensitive, as the server compares). */
export function isWithin(path: string, folder: string): boolean {
  const p = path.toLowerCase();
  const f = folder.toLowerCase().replace(/\/+$/, '');
  return f === '' || p === f || p.startsWith(`${f}/`);
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export type PreviewKind = 'image' | 'markdown' | 'text' | 'pdf' | null;

const IMAGE = new Set(['jpg', 'jpeg', 'png', 'gif', 'bmp', 'webp', 'svg']);
const THUMBNAIL = new Set(['jpg', 'jpeg', 'png', 'gif', 'bmp']);
const TEXT = new Set([
  'txt', 'log', 'csv', 'tsv', 'json', 'xml', 'yaml', 'yml', 'toml', 'ini', 'conf', 'cfg', 'sh', 'py', 'js', 'ts',
  'tsx', 'jsx', 'java', 'c', 'h', 'cpp', 'go', 'rs', 'rb', 'css', 'html', 'sql', 'properties', 'env',
]);

export function previewKind(name: string): PreviewKind {
  const ext = extensionOf(name);
  if (IMAGE.has(ext)) return 'image';
  if (ext === 'md' || ext === 'markdown') return 'markdown';
  if (ext === 'pdf') return 'pdf';
  if (TEXT.has(ext)) return 'text';
  return null;
}

/** Whether the server can make a thumbnail of this file (it decodes JPEG, PNG, GIF and BMP). */
export function hasThumbnail(name: string): boolean {
  return THUMBNAIL.has(extensionOf(name));
}
