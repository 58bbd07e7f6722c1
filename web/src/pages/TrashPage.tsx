import { useState } from 'react';
import { Alert, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { emptyTrash, purgeFromTrash, restoreFromTrash, trash } from '../api/endpoints';
import { errorMessage } from '../api/client';
import type { TrashEntry } from '../api/types';
import { formatBytes, formatDate } from '../util/format';
import { nameOf, parentOf } from '../util/paths';
import { ConfirmDialog } from '../files/ConfirmDialog';

export function TrashPage() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['trash'], queryFn: trash });
  const [confirm, setConfirm] = useState<{ kind: 'purge'; entry: TrashEntry } | { kind: 'empty' } | null>(null);
  const changed = (path?: string) => {
    void client.invalidateQueries({ queryKey: ['trash'] });
    void client.invalidateQueries({ queryKey: ['usage'] });
    if (path) void client.invalidateQueries({ queryKey: ['list', parentOf(path)] });
  };
  const restore = useMutation({
    mutationFn: (entry: TrashEntry) => restoreFromTrash(entry.file_id),
    onSuccess: (restored) => {
      notifications.show({ color: 'green', message: `Restored to ${restored.path}` });
      changed(restored.path);
    },
  });

  const entries = [...(list.data?.entries ?? [])].sort((a, b) => Date.parse(b.deleted_at) - Date.parse(a.deleted_at));
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Trash</Title>
        {entries.length > 0 && (
          <Button color="red" variant="light" onClick={() => setConfirm({ kind: 'empty' })}>
            Empty trash
          </Button>
        )}
      </Group>
      <Text size="sm" c="dimmed">
        Deleted items are kept for 30 days and still count toward your storage until they are deleted for good.
      </Text>
      {restore.isError && (
        <Alert color="red" role="alert">
          {errorMessage(restore.error)}
        </Alert>
      )}
      {list.isPending ? (
        <Loader aria-label="Loading the trash" />
      ) : list.isError ? (
        <Alert color="red">{errorMessage(list.error)}</Alert>
      ) : entries.length === 0 ? (
        <Text c="dimmed">The trash is empty.</Text>
      ) : (
        <Table aria-label="Deleted items" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th visibleFrom="sm">Size</Table.Th>
              <Table.Th visibleFrom="sm">Deleted</Table.Th>
              <Table.Th visibleFrom="md">Kept until</Table.Th>
              <Table.Th>
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.map((entry) => (
              <Table.Tr key={entry.file_id} data-testid="trash-row">
                <Table.Td>
                  <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                    {nameOf(entry.path)}
                    {entry.is_dir ? ' (folder)' : ''}
                  </Text>
                  <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                    from {parentOf(entry.path)}
                  </Text>
                </Table.Td>
                <Table.Td visibleFrom="sm">{entry.is_dir ? '—' : formatBytes(entry.size)}</Table.Td>
                <Table.Td visibleFrom="sm">{formatDate(entry.deleted_at)}</Table.Td>
                <Table.Td visibleFrom="md">{formatDate(entry.recovery_deadline)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="xs"
                      onClick={() => restore.mutate(entry)}
                      loading={restore.isPending && restore.variables?.file_id === entry.file_id}
                      aria-label={`Restore ${nameOf(entry.path)}`}
                    >
                      Restore
                    </Button>
                    <Button
                      size="xs"
                      color="red"
                      variant="subtle"
                      onClick={() => setConfirm({ kind: 'purge', entry })}
                      aria-label={`Delete ${nameOf(entry.path)} forever`}
                    >
                      Delete forever
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ConfirmDialog
        opened={confirm !== null}
        title={confirm?.kind === 'empty' ? 'Empty the trash' : 'Delete forever'}
        message={
          confirm?.kind === 'purge'
            ? `“${nameOf(confirm.entry.path)}” and all its versions will be deleted for good. This cannot be undone.`
            : 'Everything in the trash and all its versions will be deleted for good. This cannot be undone.'
        }
        confirmLabel={confirm?.kind === 'empty' ? 'Empty trash' : 'Delete forever'}
        danger
        onClose={() => setConfirm(null)}
        onConfirm={async () => {
          if (confirm?.kind === 'purge') await purgeFromTrash(confirm.entry.file_id);
          else await emptyTrash();
          changed();
        }}
      />
    </Stack>
  );
}
