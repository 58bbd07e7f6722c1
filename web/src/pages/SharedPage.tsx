import { useState } from 'react';
import { Alert, Anchor, Badge, Button, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { revokeShare, sharedWithMe } from '../api/endpoints';
import { errorMessage } from '../api/client';
import type { SharedItem } from '../api/types';
import { hrefOf } from '../app/route';
import { formatDate } from '../util/format';
import { parentOf } from '../util/paths';
import { ConfirmDialog } from '../files/ConfirmDialog';

export function SharedPage() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['shared'], queryFn: sharedWithMe });
  const [leaving, setLeaving] = useState<SharedItem | null>(null);
  return (
    <Stack>
      <Title order={2}>Shared with me</Title>
      {list.isPending ? (
        <Loader aria-label="Loading shared items" />
      ) : list.isError ? (
        <Alert color="red">{errorMessage(list.error)}</Alert>
      ) : list.data.items.length === 0 ? (
        <Text c="dimmed">Nothing is shared with you yet.</Text>
      ) : (
        <Table aria-label="Shared with me" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th visibleFrom="sm">Owner</Table.Th>
              <Table.Th>Access</Table.Th>
              <Table.Th visibleFrom="sm">Shared</Table.Th>
              <Table.Th>
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((item) => (
              <Table.Tr key={item.share_id} data-testid="shared-row">
                <Table.Td>
                  <Anchor href={hrefOf({ name: 'files', path: item.is_dir ? item.path : parentOf(item.path) })} fw={500}>
                    {item.name}
                  </Anchor>
                  <Text size="xs" c="dimmed" hiddenFrom="sm">
                    from {item.owner.name || item.owner.email}
                  </Text>
                </Table.Td>
                <Table.Td visibleFrom="sm">
                  <Text size="sm">{item.owner.name}</Text>
                  <Text size="xs" c="dimmed">
                    {item.owner.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={item.permission === 'READ_WRITE' ? 'green' : 'gray'}>
                    {item.permission === 'READ_WRITE' ? 'Can edit' : 'Can view'}
                  </Badge>
                </Table.Td>
                <Table.Td visibleFrom="sm">{formatDate(item.shared_at)}</Table.Td>
                <Table.Td>
                  <Button size="xs" variant="subtle" color="red" onClick={() => setLeaving(item)} aria-label={`Leave ${item.name}`}>
                    Leave
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ConfirmDialog
        opened={leaving !== null}
        title="Leave shared item"
        message={leaving ? `“${leaving.name}” will disappear from your files. The owner keeps it.` : ''}
        confirmLabel="Leave"
        danger
        onClose={() => setLeaving(null)}
        onConfirm={async () => {
          if (!leaving) return;
          await revokeShare(leaving.file_id, leaving.share_id);
          void client.invalidateQueries({ queryKey: ['shared'] });
          void client.invalidateQueries({ queryKey: ['list', '/'] });
        }}
      />
    </Stack>
  );
}
