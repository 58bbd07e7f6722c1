import { describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import type { Entry } from '../api/types';
import { FileTable, sortEntries, type Sort } from './FileTable';
import { renderWithProviders } from '../test/render';

const entry = (name: string, isDir: boolean, size: number, modified: string): Entry => ({
  file_id: `id-${name}`,
  name,
  path: `/${name}`,
  is_dir: isDir,
  size,
  current_version_id: isDir ? null : `v-${name}`,
  content_hash: null,
  modified_at: modified,
});

const entries = [
  entry('report 10.txt', false, 10, '2026-01-03T00:00:00Z'),
  entry('Zebra', true, 0, '2026-01-01T00:00:00Z'),
  entry('report 9.txt', false, 900, '2026-01-01T00:00:00Z'),
  entry('archive.zip', false, 50, '2026-01-02T00:00:00Z'),
];

describe('sortEntries', () => {
  it('puts folders first and orders names naturally', () => {
    expect(sortEntries(entries, { key: 'name', ascending: true }).map((e) => e.name)).toEqual([
      'Zebra',
      'archive.zip',
      'report 9.txt',
      'report 10.txt',
    ]);
    expect(sortEntries(entries, { key: 'size', ascending: false }).map((e) => e.name)).toEqual([
      'Zebra',
      'report 9.txt',
      'archive.zip',
      'report 10.txt',
    ]);
    expect(sortEntries(entries, { key: 'modified', ascending: true }).map((e) => e.name)).toEqual([
      'Zebra',
      'report 9.txt',
      'archive.zip',
      'report 10.txt',
    ]);
  });
});

function Harness({ onAction }: { onAction: (action: string, entry: Entry) => void }) {
  const [sort, setSort] = useState<Sort>({ key: 'name', ascending: true });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  return (
    <>
      <output data-testid="selected">{[...selected].sort().join(',')}</output>
      <FileTable entries={sortEntries(entries, sort)} sort={sort} onSort={setSort} selected={selected} onSelect={setSelected} onAction={onAction} />
    </>
  );
}

describe('FileTable', () => {
  it('sorts by a column header, announced with aria-sort', async () => {
    renderWithProviders(<Harness onAction={() => {}} />);
    const user = userEvent.setup();
    const names = () => screen.getAllByTestId('file-row').map((row) => within(row).getAllByRole('button')[0].textContent);
    expect(names()).toEqual(['Zebra', 'archive.zip', 'report 9.txt', 'report 10.txt']);
    const sizeHeader = screen.getByRole('columnheader', { name: /Size/ });
    await user.click(within(sizeHeader).getByRole('button'));
    expect(sizeHeader).toHaveAttribute('aria-sort', 'ascending');
    expect(names()).toEqual(['Zebra', 'report 10.txt', 'archive.zip', 'report 9.txt']);
    await user.click(within(sizeHeader).getByRole('button'));
    expect(sizeHeader).toHaveAttribute('aria-sort', 'descending');
    expect(screen.getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'none');
  });

  it('selects one by one and all at once', async () => {
    renderWithProviders(<Harness onAction={() => {}} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('checkbox', { name: 'Select archive.zip' }));
    expect(screen.getByTestId('selected')).toHaveTextContent('id-archive.zip');
    const all = screen.getByRole('checkbox', { name: 'Select all' });
    expect(all).toHaveAttribute('data-indeterminate', 'true');
    await user.click(all);
    expect(screen.getByTestId('selected').textContent!.split(',')).toHaveLength(4);
    await user.click(all);
    expect(screen.getByTestId('selected')).toHaveTextContent('');
  });

  it('opens folders, previews what it can and downloads the rest; every row has a labelled actions menu', async () => {
    const onAction = vi.fn();
    renderWithProviders(<Harness onAction={onAction} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Zebra' }));
    await user.click(screen.getByRole('button', { name: 'report 9.txt' }));
    await user.click(screen.getByRole('button', { name: 'archive.zip' }));
    expect(onAction.mock.calls.map(([action, e]) => `${action} ${e.name}`)).toEqual([
      'open Zebra',
      'preview report 9.txt',
      'download archive.zip',
    ]);
    await user.click(screen.getByRole('button', { name: 'Actions for report 9.txt' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Version history' }));
    expect(onAction).toHaveBeenLastCalledWith('versions', expect.objectContaining({ name: 'report 9.txt' }));
  });
});
