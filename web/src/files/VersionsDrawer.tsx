import { Alert, Badge, Button, Drawer, Group, Loader, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { metadata, restoreVersion, versions } from '../api/endpoints';
import { errorMessage } from '../api/client';
import type { Entry } from '../api/types';
import { formatBytes, formatDate } from '../util/format';
import { download } from './download';
import { parentOf } from '../util/paths';

export function VersionsDrawer({ entry, onClose }: { entry: Entry | null; onClose: () => void }) {
  return (
    <Drawer opened={entry !== null} onClose={onClose} title={entry ? `Versions of “${entry.name}”` : 'Versions'} position="right" size="md">
      {entry && <VersionList entry={entry} />}
    </Drawer>
  );
}

function VersionList({ entry }: { entry: Entry }) {
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['versions', entry.file_id], queryFn: () => versions(entry.file_id) });
  // The listing row may be older than the history: ask the file which version is current now.
  const meta = useQuery({ queryKey: ['metadata', entry.file_id], queryFn: () => metadata(entry.file_id) });
  const current = meta.data?.current_version_id ?? entry.current_version_id;
  const restore = useMutation({
    mutationFn: (versionId: string) => restoreVersion(entry.file_id, versionId),
    onSuccess: () => {
      notifications.show({ color: 'green', message: `Restored an earlier version of ${entry.name}` });
      void client.invalidateQueries({ queryKey: ['versions', entry.file_id] });
      void client.invalidateQueries({ queryKey: ['metadata', entry.file_id] });
      void client.invalidateQueries({ queryKey: ['list', parentOf(entry.path)] });
      void client.invalidateQueries({ queryKey: ['usage'] });
    },
  });
  const fetchOne = useMutation({
    mutationFn: (versionId: string) => download(entry.file_id, entry.name, versionId),
  });

  if (list.isPending) return <Loader aria-label="Loading versions" />;
  if (list.isError) return <Alert color="red">{errorMessage(list.error)}</Alert>;
  const failure = restore.error ?? fetchOne.error;
  return (
    <Stack>
      {failure && (
        <Alert color="red" role="alert">
          {errorMessage(failure)}
        </Alert>
      )}
      <ol aria-label="Versions, newest first" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {list.data.versions.map((v) => (
          <li key={v.id} style={{ borderBottom: '1px solid var(--mantine-color-gray-3)', padding: '10px 0' }} data-testid="version">
            <Group justify="space-between" wrap="wrap" gap="xs">
              <div>
                <Text size="sm" fw={500}>
                  {formatDate(v.created_at)}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatBytes(v.size)}
                </Text>
                <Group gap={4} mt={2}>
                  {v.id === current && <Badge size="xs">Current</Badge>}
                  {v.is_conflict && (
                    <Badge size="xs" color="orange">
                      Conflict copy
                    </Badge>
                  )}
                </Group>
              </div>
              <Group gap="xs">
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => fetchOne.mutate(v.id)}
                  aria-label={`Download the version of ${formatDate(v.created_at)}`}
                >
                  Download
                </Button>
                {v.id !== current && (
                  <Button
                    size="xs"
                    onClick={() => restore.mutate(v.id)}
                    loading={restore.isPending && restore.variables === v.id}
                    aria-label={`Restore the version of ${formatDate(v.created_at)}`}
                  >
                    Restore
                  </Button>
                )}
              </Group>
            </Group>
          </li>
        ))}
      </ol>
    </Stack>
  );
}
