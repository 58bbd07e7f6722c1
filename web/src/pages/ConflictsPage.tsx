import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { conflicts, metadata, resolveConflict } from '../api/endpoints';
import { errorMessage } from '../api/client';
import type { Conflict, Entry } from '../api/types';
import { hrefOf } from '../app/route';
import { formatDate } from '../util/format';
import { nameOf, parentOf } from '../util/paths';
import { VersionsDrawer } from '../files/VersionsDrawer';

const RESOLUTION: Record<string, string> = {
  MERGED: 'Merged',
  MERGED_WITH_MARKERS: 'Merged with conflict markers',
  CONFLICTED_COPY: 'Kept as a conflicted copy',
  REJECTED: 'Upload refused',
};

export function ConflictsPage() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['conflicts'], queryFn: conflicts });
  const [versionsOf, setVersionsOf] = useState<Entry | null>(null);
  const openVersions = useMutation({
    mutationFn: (conflict: Conflict) => metadata(conflict.file_id),
    onSuccess: (entry) => setVersionsOf(entry),
  });
  // "Keep the current version": the conflict is resolved by the version that is current now.
  const resolve = useMutation({
    mutationFn: async (conflict: Conflict) => {
      const entry = await metadata(conflict.file_id);
      if (!entry.current_version_id) throw new Error('This file has no current version.');
      return resolveConflict(conflict.file_id, conflict.conflict_id, entry.current_version_id);
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: ['conflicts'] }),
  });
  const open = (list.data?.conflicts ?? []).filter((c) => c.status === 'OPEN');
  const failure = resolve.error ?? openVersions.error;

  return (
    <Stack>
      <Title order={2}>Conflicts</Title>
      <Text size="sm" c="dimmed">
        When two devices change the same file at once, nothing is lost: text is merged where it can be, otherwise the other
        edit is kept as a version or a conflicted copy beside the file. Check each one, then mark it resolved.
      </Text>
      {failure && (
        <Alert color="red" role="alert">
          {errorMessage(failure)}
        </Alert>
      )}
      {list.isPending ? (
        <Loader aria-label="Loading conflicts" />
      ) : list.isError ? (
        <Alert color="red" role="alert" title="Could not load conflicts">
          {errorMessage(list.error)}
        </Alert>
      ) : open.length === 0 ? (
        <Text c="dimmed">No open conflicts.</Text>
      ) : (
        <Table aria-label="Open conflicts" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>File</Table.Th>
              <Table.Th visibleFrom="sm">What happened</Table.Th>
              <Table.Th visibleFrom="sm">When</Table.Th>
              <Table.Th>
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {open.map((c) => (
              <Table.Tr key={c.conflict_id} data-testid="conflict-row">
                <Table.Td>
                  <Anchor href={hrefOf({ name: 'files', path: parentOf(c.path) })} fw={500} style={{ overflowWrap: 'anywhere' }}>
                    {nameOf(c.path)}
                  </Anchor>
                  <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                    {parentOf(c.path)}
                  </Text>
                </Table.Td>
                <Table.Td visibleFrom="sm">
                  <Badge variant="light" color="orange">
                    {(c.resolution && RESOLUTION[c.resolution]) ?? c.resolution ?? 'Open'}
                  </Badge>
                </Table.Td>
                <Table.Td visibleFrom="sm">{formatDate(c.diverged_at)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => openVersions.mutate(c)}
                      loading={openVersions.isPending && openVersions.variables?.conflict_id === c.conflict_id}
                      aria-label={`Versions of ${nameOf(c.path)}`}
                    >
                      Versions
                    </Button>
                    <Button
                      size="xs"
                      onClick={() => resolve.mutate(c)}
                      loading={resolve.isPending && resolve.variables?.conflict_id === c.conflict_id}
                      aria-label={`Keep the current version of ${nameOf(c.path)} and mark resolved`}
                    >
                      Mark resolved
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <VersionsDrawer entry={versionsOf} onClose={() => setVersionsOf(null)} />
    </Stack>
  );
}
