import { useEffect, useState } from 'react';
import { Alert, Anchor, Breadcrumbs, Button, Group, Loader, Modal, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { IconFolder } from '@tabler/icons-react';
import type { Entry } from '../api/types';
import { errorMessage } from '../api/client';
import { crumbs, isWithin, parentOf } from '../util/paths';
import { useListing } from './queries';

/** Picks a destination folder by browsing; `onMove` moves every entry into it. */
export function MoveDialog({
  opened,
  entries,
  start,
  onClose,
  onMove,
}: {
  opened: boolean;
  entries: Entry[];
  start: string;
  onClose: () => void;
  onMove: (destination: string) => Promise<unknown>;
}) {
  const [folder, setFolder] = useState(start);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (opened) {
      setFolder(start);
      setError(null);
    }
  }, [opened, start]);
  const listing = useListing(folder, opened);
  const movingFolders = entries.filter((e) => e.is_dir).map((e) => e.path);
  const subfolders = (listing.data?.entries ?? [])
    .filter((e) => e.is_dir && !movingFolders.some((m) => isWithin(e.path, m)))
    .sort((a, b) => a.name.localeCompare(b.name));
  const sameFolder = entries.every((e) => parentOf(e.path).toLowerCase() === folder.toLowerCase());
  const intoItself = movingFolders.some((m) => isWithin(folder, m));
  const what = entries.length === 1 ? `“${entries[0].name}”` : `${entries.length} items`;

  const move = async () => {
    setBusy(true);
    setError(null);
    try {
      await onMove(folder);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={`Move ${what}`}>
      <Stack>
        {error && (
          <Alert color="red" role="alert">
            {error}
          </Alert>
        )}
        <nav aria-label="Destination folder">
        <Breadcrumbs separatorMargin={4}>
          {crumbs(folder).map((c) => (
            <Anchor component="button" type="button" key={c.path} onClick={() => setFolder(c.path)} size="sm">
              {c.name}
            </Anchor>
          ))}
        </Breadcrumbs>
        </nav>
        <ScrollArea.Autosize mah={260}>
          {listing.isPending ? (
            <Loader size="sm" aria-label="Loading folders" />
          ) : listing.isError ? (
            <Text c="red">{errorMessage(listing.error)}</Text>
          ) : subfolders.length === 0 ? (
            <Text c="dimmed" size="sm">
              No folders here.
            </Text>
          ) : (
            <nav aria-label="Folders to move into">
              {subfolders.map((f) => (
                <NavLink
                  key={f.file_id}
                  component="button"
                  label={f.name}
                  leftSection={<IconFolder size={16} aria-hidden />}
                  onClick={() => setFolder(f.path)}
                />
              ))}
            </nav>
          )}
        </ScrollArea.Autosize>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button onClick={move} loading={busy} disabled={sameFolder || intoItself}>
            Move here
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
