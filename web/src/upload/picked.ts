// What the user picked or dropped: files with their path relative to the drop (a dropped folder
// keeps its structure), and the folders seen, so that empty ones are created too.

export interface PickedFile {
  file: File;
  /** 'a.txt', or 'Holiday/2024/a.jpg' for a file inside a dropped folder. */
  relativePath: string;
}

export interface Picked {
  files: PickedFile[];
  folders: string[];
}

/** Files from an <input type=file>, with or without `webkitdirectory`. */
export function fromFileList(list: FileList | File[]): Picked {
  const files: PickedFile[] = [];
  const folders = new Set<string>();
  for (const file of Array.from(list)) {
    const relativePath = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    files.push({ file, relativePath });
    addParents(relativePath, folders);
  }
  return { files, folders: [...folders] };
}

function addParents(relativePath: string, folders: Set<string>) {
  const parts = relativePath.split('/');
  for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
}

interface EntryLike {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?: (success: (file: File) => void, failure?: (error: unknown) => void) => void;
  createReader?: () => { readEntries: (success: (entries: EntryLike[]) => void, failure?: (error: unknown) => void) => void };
}

/**
 * Files and folders from a drop. The entries must be taken from the DataTransfer during the drop
 * event itself (the browser empties it afterwards), so call this synchronously in the handler and
 * await the result.
 */
export function fromDataTransfer(dataTransfer: DataTransfer): Promise<Picked> {
  const entries: EntryLike[] = [];
  const items = dataTransfer.items ? Array.from(dataTransfer.items) : [];
  for (const item of items) {
    if (item.kind !== 'file') continue;
    const entry = (item as DataTransferItem & { webkitGetAsEntry?: () => EntryLike | null }).webkitGetAsEntry?.();
    if (entry) entries.push(entry);
  }
  if (entries.length === 0) return Promise.resolve(fromFileList(dataTransfer.files));
  return walk(entries);
}

export async function walk(roots: EntryLike[]): Promise<Picked> {
  const files: PickedFile[] = [];
  const folders: string[] = [];
  const visit = async (entry: EntryLike, prefix: string): Promise<void> => {
    const relativePath = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isFile && entry.file) {
      const file = await new Promise<File>((resolve, reject) => entry.file!(resolve, reject));
      files.push({ file, relativePath });
    } else if (entry.isDirectory && entry.createReader) {
      folders.push(relativePath);
      const reader = entry.createReader();
      // readEntries answers in batches (100 in Chromium) until it answers an empty one.
      for (;;) {
        const batch = await new Promise<EntryLike[]>((resolve, reject) => reader.readEntries(resolve, reject));
        if (batch.length === 0) break;
        for (const child of batch) await visit(child, relativePath);
      }
    }
  };
  for (const root of roots) await visit(root, '');
  return { files, folders };
}
