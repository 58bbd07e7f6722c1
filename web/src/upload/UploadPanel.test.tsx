import { describe, expect, it, vi } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { UploadPanel } from './UploadPanel';
import type { UploadItem, UploadManager } from './uploads';
import { renderWithProviders } from '../test/render';

function fakeManager(items: UploadItem[]) {
  return {
    subscribe: () => () => {},
    getSnapshot: () => items,
    pause: vi.fn(),
    resume: vi.fn(),
    cancel: vi.fn(),
    clearFinished: vi.fn(),
  } as unknown as UploadManager & { pause: ReturnType<typeof vi.fn>; resume: ReturnType<typeof vi.fn> };
}

const item = (id: string, name: string, status: UploadItem['status'], sent: number, size: number, error?: string): UploadItem => ({
  id,
  name,
  path: `/${name}`,
  size,
  bytesSent: sent,
  status,
  error,
});

describe('UploadPanel', () => {
  it('shows each file’s progress and offers pause, resume and cancel as they apply', async () => {
    const manager = fakeManager([
      item('1', 'big.iso', 'uploading', 250, 1000),
      item('2', 'notes.txt', 'done', 10, 10),
      item('3', 'photo.jpg', 'error', 5, 100, 'Not enough space'),
    ]);
    renderWithProviders(<UploadPanel manager={manager} />);
    expect(screen.getByText('Uploads: 1 of 3 done')).toBeInTheDocument();
    const rows = screen.getAllByRole('listitem');
    expect(within(rows[0]).getByRole('progressbar', { name: 'Upload progress of big.iso' })).toHaveAttribute('aria-valuenow', '25');
    expect(rows[0]).toHaveTextContent('Uploading · 250 B of 1.0 KB (25%)');
    expect(rows[2]).toHaveTextContent('Failed · 5 B of 100 B (5%) — Not enough space');
    expect(within(rows[1]).queryByRole('button')).toBeNull();

    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Pause big.iso' }));
    expect(manager.pause).toHaveBeenCalledWith('1');
    await user.click(screen.getByRole('button', { name: 'Resume photo.jpg' }));
    expect(manager.resume).toHaveBeenCalledWith('3');
    await user.click(screen.getByRole('button', { name: 'Clear finished' }));
    expect(manager.clearFinished).toHaveBeenCalled();
  });

  it('is absent when nothing is uploading', () => {
    renderWithProviders(<UploadPanel manager={fakeManager([])} />);
    expect(screen.queryByTestId('upload-panel')).toBeNull();
  });
});
