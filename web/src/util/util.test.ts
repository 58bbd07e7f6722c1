import { describe, expect, it } from 'vitest';
import { crumbs, hasThumbnail, isWithin, joinPath, nameOf, parentOf, previewKind } from './paths';
import { formatBytes, highlightSegments } from './format';
import { versionRev } from './rev';

describe('paths', () => {
  it('joins, splits and names', () => {
    expect(joinPath('/', 'a.txt')).toBe('/a.txt');
    expect(joinPath('/Photos/', 'day 1/a.jpg')).toBe('/Photos/day 1/a.jpg');
    expect(parentOf('/Photos/a.jpg')).toBe('/Photos');
    expect(parentOf('/a.jpg')).toBe('/');
    expect(nameOf('/Photos/a.jpg')).toBe('a.jpg');
    expect(crumbs('/A/B')).toEqual([
      { name: 'All files', path: '/' },
      { name: 'A', path: '/A' },
      { name: 'B', path: '/A/B' },
    ]);
  });

  it('compares folders case-insensitively and not by prefix alone', () => {
    expect(isWithin('/Docs/a.txt', '/docs')).toBe(true);
    expect(isWithin('/Docs', '/docs')).toBe(true);
    expect(isWithin('/Docs2/a.txt', '/Docs')).toBe(false);
    expect(isWithin('/anything', '/')).toBe(true);
  });

  it('knows what can be previewed and thumbnailed', () => {
    expect(previewKind('a.JPG')).toBe('image');
    expect(previewKind('README.md')).toBe('markdown');
    expect(previewKind('paper.pdf')).toBe('pdf');
    expect(previewKind('notes.txt')).toBe('text');
    expect(previewKind('archive.zip')).toBeNull();
    expect(hasThumbnail('a.webp')).toBe(false);
    expect(hasThumbnail('a.png')).toBe(true);
  });
});

describe('formatting', () => {
  it('formats sizes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(2_147_483_648)).toBe('2.1 GB');
  });

  it('turns a search highlight into text segments, never markup', () => {
    expect(highlightSegments('The <mark>launch window</mark> opens &lt;script&gt; &amp; more')).toEqual([
      { text: 'The ', marked: false },
      { text: 'launch window', marked: true },
      { text: ' opens <script> & more', marked: false },
    ]);
    expect(highlightSegments('<mark>a</mark><mark>b</mark>')).toEqual([
      { text: 'a', marked: true },
      { text: 'b', marked: true },
    ]);
  });
});

describe('version rev', () => {
  it('is the ULID’s 128 bits in hex, as the Dropbox API names versions', () => {
    expect(versionRev('00000000000000000000000001')).toBe('00000000000000000000000000000001');
    expect(versionRev('0000000000000000000000000Z')).toBe('0000000000000000000000000000001f');
    expect(versionRev('7ZZZZZZZZZZZZZZZZZZZZZZZZZ')).toBe('ffffffffffffffffffffffffffffffff');
    expect(versionRev('01arz3ndektsv4rrffq69g5fav')).toBe(versionRev('01ARZ3NDEKTSV4RRFFQ69G5FAV'));
    expect(() => versionRev('not-a-ulid-at-all-uuuuuuuu')).toThrow();
  });
});
