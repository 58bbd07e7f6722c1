import { describe, expect, it } from 'vitest';
import { fromFileList, walk } from './picked';

const file = (name: string, relative = '') => {
  const f = new File(['x'], name);
  if (relative) Object.defineProperty(f, 'webkitRelativePath', { value: relative });
  return f;
};

describe('picked files', () => {
  it('keeps a picked folder’s structure', () => {
    const picked = fromFileList([file('a.txt', 'Trip/a.txt'), file('b.jpg', 'Trip/day 2/b.jpg'), file('c.txt')]);
    expect(picked.files.map((f) => f.relativePath)).toEqual(['Trip/a.txt', 'Trip/day 2/b.jpg', 'c.txt']);
    expect(picked.folders.sort()).toEqual(['Trip', 'Trip/day 2']);
  });

  it('walks dropped folders, empty ones too, reading entries in batches until an empty one', async () => {
    const fileEntry = (name: string) => ({ isFile: true, isDirectory: false, name, file: (ok: (f: File) => void) => ok(new File([name], name)) });
    const dirEntry = (name: string, children: ReturnType<typeof fileEntry>[] | unknown[]) => {
      const batches = [children.slice(0, 100), children.slice(100), []];
      return {
        isFile: false,
        isDirectory: true,
        name,
        createReader: () => ({ readEntries: (ok: (entries: unknown[]) => void) => ok(batches.shift() ?? []) }),
      };
    };
    const many = Array.from({ length: 150 }, (_, i) => fileEntry(`f${i}.txt`));
    const tree = dirEntry('Photos', [...many, dirEntry('empty', [])]);
    const picked = await walk([tree as never, fileEntry('loose.txt') as never]);
    expect(picked.files).toHaveLength(151);
    expect(picked.files[0].relativePath).toBe('Photos/f0.txt');
    expect(picked.files.at(-1)!.relativePath).toBe('loose.txt');
    expect(picked.folders).toEqual(['Photos', 'Photos/empty']);
  });
});
