import { useState } from 'react';
import { Alert, Badge, Button, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { devices, revokeDevice } from '../api/endpoints';
import { errorMessage } from '../api/client';
import { signOut } from '../api/session';
import type { Device } from '../api/types';
import { formatDate } from '../util/format';
import { ConfirmDialog } from '../files/ConfirmDialog';

export function DevicesPage() {
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['devices'], queryFn: devices });
  const [revoking, setRevoking] = useState<Device | null>(null);
  const rows = [...(list.data?.devices ?? [])].sort(
    (a, b) => Number(!!a.revoked_at) - Number(!!b.revoked_at) || Date.parse(b.created_at) - Date.parse(a.created_at),
  );
  return (
    <Stack>
      <Title order={2}>Devices</Title>
      <Text size="sm" c="dimmed">
        Every sign-in is a device with its own access. Revoking one signs it out everywhere at once.
      </Text>
      {list.isPending ? (
        <Loader aria-label="Loading devices" />
      ) : list.isError ? (
        <Alert color="red">{errorMessage(list.error)}</Alert>
      ) : (
        <Table aria-label="Devices" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Device</Table.Th>
              <Table.Th visibleFrom="sm">Signed in</Table.Th>
              <Table.Th visibleFrom="sm">Last seen</Table.Th>
              <Table.Th>
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((device) => (
              <Table.Tr key={device.device_id} data-testid="device-row" c={device.revoked_at ? 'dimmed' : undefined}>
                <Table.Td>
                  <Text size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                    {device.name}{' '}
                    {device.current && (
                      <Badge size="xs" ml={4}>
                        This browser
                      </Badge>
                    )}
                    {device.revoked_at && (
                      <Badge size="xs" color="gray" ml={4}>
                        Revoked
                      </Badge>
                    )}
                  </Text>
                </Table.Td>
                <Table.Td visibleFrom="sm">{formatDate(device.created_at)}</Table.Td>
                <Table.Td visibleFrom="sm">{formatDate(device.last_seen_at)}</Table.Td>
                <Table.Td>
                  {!device.revoked_at && (
                    <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(device)} aria-label={`Revoke ${device.name}`}>
                      {device.current ? 'Sign out' : 'Revoke'}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ConfirmDialog
        opened={revoking !== null}
        title={revoking?.current ? 'Revoke this browser' : 'Revoke device'}
        message={
          revoking?.current
            ? 'This browser will be signed out and its access revoked.'
            : `“${revoking?.name ?? ''}” will be signed out and will need to sign in again.`
        }
        confirmLabel="Revoke"
        danger
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await revokeDevice(revoking.device_id);
          if (revoking.current) signOut();
          else void client.invalidateQueries({ queryKey: ['devices'] });
        }}
      />
    </Stack>
  );
}
