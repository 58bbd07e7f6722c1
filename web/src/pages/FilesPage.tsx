import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { Alert, Anchor, Breadcrumbs, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconArrowsMove, IconFolderPlus, IconTrash, IconUpload } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import type { Entry } from '../api/types';
import { createFolder, deleteToTrash, move } from '../api/endpoints';
import { errorMessage } from '../api/client';
import { hrefOf, navigate } from '../app/route';
import { crumbs, joinPath, nameOf, parentOf } from '../util/paths';
import { useListing } from '../files/queries';
import { FileTable, sortEntries, type EntryAction, type Sort } from '../files/FileTable';
import { NameDialog } from '../files/NameDialog';
import { MoveDialog } from '../files/MoveDialog';
import { ConfirmDialog } from '../files/ConfirmDialog';
import { ShareDialog } from '../files/ShareDialog';
import { VersionsDrawer } from '../files/VersionsDrawer';
import { PreviewModal, type PreviewTarget } from '../files/PreviewModal';
import { download } from '../files/download';
import { uploads } from '../upload/uploads';
import { fromDataTransfer, fromFileList } from '../upload/picked';

type Dialog =
  | { kind: 'new-folder' }
  | { kind: 'rename'; entry: Entry }
  | { kind: 'move'; entries: Entry[] }
  | { kind: 'delete'; entries: Entry[] }
  | { kind: 'share'; entry: Entry }
  | { kind: 'versions'; entry: Entry }
  | { kind: 'preview'; target: PreviewTarget };

export function FilesPage({ path }: { path: string }) {
  const client = useQueryClient();
  const listing = useListing(path);
  const [sort, setSort] = useState<Sort>({ key: 'name', ascending: true });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  useEffect(() => setSelected(new Set()), [path]);
  const entries = useMemo(() => sortEntries(listing.data?.entries ?? [], sort), [listing.data, sort]);
  // Keep only selections that are still listed (another device may have removed them).
  const selection = entries.filter((e) => selected.has(e.file_id));

  const refresh = (...folders: string[]) => {
    for (const folder of new Set([path, ...folders])) void client.invalidateQueries({ queryKey: ['list', folder] });
    void client.invalidateQueries({ queryKey: ['trash'] });
    void client.invalidateQueries({ queryKey: ['usage'] });
  };

  const onAction = (action: EntryAction, entry: Entry) => {
    switch (action) {
      case 'open':
        navigate({ name: 'files', path: entry.path });
        break;
      case 'preview':
        setDialog({ kind: 'preview', target: { fileId: entry.file_id, name: entry.name, size: entry.size, versionId: entry.current_version_id } });
        break;
      case 'download':
        download(entry.file_id, entry.name).catch((e) => notifications.show({ color: 'red', title: 'Download failed', message: errorMessage(e) }));
        break;
      case 'rename':
        setDialog({ kind: 'rename', entry });
        break;
      case 'move':
        setDialog({ kind: 'move', entries: [entry] });
        break;
      case 'delete':
        setDialog({ kind: 'delete', entries: [entry] });
        break;
      case 'share':
        setDialog({ kind: 'share', entry });
        break;
      case 'versions':
        setDialog({ kind: 'versions', entry });
        break;
    }
  };

  const upload = (picked: ReturnType<typeof fromFileList>) => {
    if (picked.files.length === 0 && picked.folders.length === 0) return;
    uploads.add(path, picked).catch((e) => notifications.show({ color: 'red', title: 'Upload failed', message: errorMessage(e) }));
    if (picked.folders.length > 0) refresh();
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void fromDataTransfer(event.dataTransfer).then(upload);
  };

  const moveAll = async (destination: string, items: Entry[]) => {
    const failures: string[] = [];
    for (const entry of items) {
      try {
        await move(entry.file_id, joinPath(destination, entry.name));
      } catch (e) {
        failures.push(`${entry.name}: ${errorMessage(e)}`);
      }
    }
    setSelected(new Set());
    refresh(destination);
    if (failures.length) throw new Error(failures.join('\n'));
  };

  const deleteAll = async (items: Entry[]) => {
    const failures: string[] = [];
    for (const entry of items) {
      try {
        await deleteToTrash(entry.file_id);
      } catch (e) {
        failures.push(`${entry.name}: ${errorMessage(e)}`);
      }
    }
    setSelected(new Set());
    refresh();
    if (failures.length) throw new Error(failures.join('\n'));
    notifications.show({ message: `${items.length === 1 ? items[0].name : `${items.length} items`} moved to the trash` });
  };

  const title = path === '/' ? 'All files' : nameOf(path);
  return (
    <Stack gap="sm">
      <nav aria-label="Breadcrumb">
      <Breadcrumbs separatorMargin={6} style={{ flexWrap: 'wrap' }}>
        {crumbs(path).map((c, i, all) =>
          i === all.length - 1 ? (
            <Text key={c.path} aria-current="page" size="sm" fw={600}>
              {c.name}
            </Text>
          ) : (
            <Anchor key={c.path} href={hrefOf({ name: 'files', path: c.path })} size="sm">
              {c.name}
            </Anchor>
          ),
        )}
      </Breadcrumbs>
      </nav>
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Title order={2}>{title}</Title>
        <Group gap="xs" wrap="wrap">
          <Button leftSection={<IconUpload size={16} aria-hidden />} onClick={() => fileInput.current?.click()}>
            Upload files
          </Button>
          <Button variant="light" leftSection={<IconUpload size={16} aria-hidden />} onClick={() => folderInput.current?.click()}>
            Upload folder
          </Button>
          <Button variant="default" leftSection={<IconFolderPlus size={16} aria-hidden />} onClick={() => setDialog({ kind: 'new-folder' })}>
            New folder
          </Button>
        </Group>
      </Group>
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        aria-label="Files to upload"
        data-testid="file-input"
        onChange={(e) => {
          if (e.currentTarget.files) upload(fromFileList(e.currentTarget.files));
          e.currentTarget.value = '';
        }}
      />
      <input
        ref={folderInput}
        type="file"
        hidden
        aria-label="Folder to upload"
        data-testid="folder-input"
        {...({ webkitdirectory: '', directory: '' } as Record<string, string>)}
        onChange={(e) => {
          if (e.currentTarget.files) upload(fromFileList(e.currentTarget.files));
          e.currentTarget.value = '';
        }}
      />

      {selection.length > 0 && (
        <Group gap="xs" role="toolbar" aria-label="Selected items" p="xs" bg="var(--mantine-color-blue-light)" style={{ borderRadius: 8 }}>
          <Text size="sm" fw={500} aria-live="polite">
            {selection.length} selected
          </Text>
          <Button size="xs" variant="default" leftSection={<IconArrowsMove size={14} aria-hidden />} onClick={() => setDialog({ kind: 'move', entries: selection })}>
            Move
          </Button>
          <Button size="xs" color="red" variant="light" leftSection={<IconTrash size={14} aria-hidden />} onClick={() => setDialog({ kind: 'delete', entries: selection })}>
            Delete
          </Button>
          <Button size="xs" variant="subtle" onClick={() => setSelected(new Set())}>
            Clear selection
          </Button>
        </Group>
      )}

      <div
        className="drop-target"
        data-dragging={dragging}
        data-testid="drop-zone"
        onDragOver={(e) => {
          if (e.dataTransfer.types.includes('Files')) {
            e.preventDefault();
            e.dataTransfer.dropEffect = 'copy';
            setDragging(true);
          }
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={onDrop}
      >
        {listing.isPending ? (
          <Loader aria-label="Loading files" m="xl" />
        ) : listing.isError ? (
          <Alert color="red" title="Could not list this folder" role="alert">
            {errorMessage(listing.error)}
          </Alert>
        ) : entries.length === 0 ? (
          <Stack align="center" p="xl" gap="xs">
            <IconUpload size={40} aria-hidden color="var(--mantine-color-gray-5)" />
            <Text c="dimmed">This folder is empty. Drop files or folders here, or use “Upload files”.</Text>
          </Stack>
        ) : (
          <FileTable entries={entries} sort={sort} onSort={setSort} selected={selected} onSelect={setSelected} onAction={onAction} />
        )}
        {entries.length > 0 && (
          <Text size="xs" c="dimmed" mt="sm" visibleFrom="sm">
            Drop files or folders anywhere in this list to upload them here.
          </Text>
        )}
      </div>

      <NameDialog
        opened={dialog?.kind === 'new-folder'}
        title="New folder"
        label="Folder name"
        initial=""
        submitLabel="Create"
        onClose={() => setDialog(null)}
        onSubmit={async (name) => {
          await createFolder(joinPath(path, name));
          refresh();
        }}
      />
      <NameDialog
        opened={dialog?.kind === 'rename'}
        title="Rename"
        label="New name"
        initial={dialog?.kind === 'rename' ? dialog.entry.name : ''}
        submitLabel="Rename"
        onClose={() => setDialog(null)}
        onSubmit={async (name) => {
          if (dialog?.kind !== 'rename') return;
          await move(dialog.entry.file_id, joinPath(parentOf(dialog.entry.path), name));
          refresh();
        }}
      />
      <MoveDialog
        opened={dialog?.kind === 'move'}
        entries={dialog?.kind === 'move' ? dialog.entries : []}
        start={path}
        onClose={() => setDialog(null)}
        onMove={(destination) => moveAll(destination, dialog?.kind === 'move' ? dialog.entries : [])}
      />
      <ConfirmDialog
        opened={dialog?.kind === 'delete'}
        title="Move to trash"
        message={
          dialog?.kind === 'delete'
            ? `Move ${dialog.entries.length === 1 ? `“${dialog.entries[0].name}”` : `${dialog.entries.length} items`} to the trash? You can restore ${dialog.entries.length === 1 ? 'it' : 'them'} from the trash for 30 days.`
            : ''
        }
        confirmLabel="Move to trash"
        danger
        onClose={() => setDialog(null)}
        onConfirm={() => deleteAll(dialog?.kind === 'delete' ? dialog.entries : [])}
      />
      <ShareDialog entry={dialog?.kind === 'share' ? dialog.entry : null} onClose={() => setDialog(null)} />
      <VersionsDrawer entry={dialog?.kind === 'versions' ? dialog.entry : null} onClose={() => setDialog(null)} />
      <PreviewModal target={dialog?.kind === 'preview' ? dialog.target : null} onClose={() => setDialog(null)} />
    </Stack>
  );
}
