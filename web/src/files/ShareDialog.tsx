import { useState, type FormEvent } from 'react';
import { ActionIcon, Alert, Button, Group, Loader, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { changeShare, revokeShare, share, shares } from '../api/endpoints';
import { errorMessage } from '../api/client';
import type { Entry, Permission } from '../api/types';

const PERMISSIONS = [
  { value: 'READ', label: 'Can view' },
  { value: 'READ_WRITE', label: 'Can edit' },
];

export function ShareDialog({ entry, onClose }: { entry: Entry | null; onClose: () => void }) {
  return (
    <Modal opened={entry !== null} onClose={onClose} title={entry ? `Share “${entry.name}”` : 'Share'} size="lg">
      {entry && <ShareForm entry={entry} />}
    </Modal>
  );
}

function ShareForm({ entry }: { entry: Entry }) {
  const client = useQueryClient();
  const key = ['shares', entry.file_id];
  const list = useQuery({ queryKey: key, queryFn: () => shares(entry.file_id) });
  const [email, setEmail] = useState('');
  const [permission, setPermission] = useState<Permission>('READ');
  const refresh = () => client.invalidateQueries({ queryKey: key });

  const add = useMutation({
    mutationFn: () => share(entry.file_id, email.trim(), permission),
    onSuccess: () => {
      setEmail('');
      void refresh();
    },
  });
  const change = useMutation({
    mutationFn: ({ shareId, to }: { shareId: number; to: Permission }) => changeShare(entry.file_id, shareId, to),
    onSuccess: () => void refresh(),
  });
  const revoke = useMutation({
    mutationFn: (shareId: number) => revokeShare(entry.file_id, shareId),
    onSuccess: () => void refresh(),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (email.trim()) add.mutate();
  };
  const failure = add.error ?? change.error ?? revoke.error;

  return (
    <Stack>
      {failure && (
        <Alert color="red" role="alert">
          {errorMessage(failure)}
        </Alert>
      )}
      <form onSubmit={submit}>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label="Email of the person"
            type="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            style={{ flex: 1, minWidth: 200 }}
            data-autofocus
          />
          <Select
            label="Permission"
            data={PERMISSIONS}
            value={permission}
            onChange={(value) => value && setPermission(value as Permission)}
            allowDeselect={false}
            w={140}
          />
          <Button type="submit" loading={add.isPending}>
            Share
          </Button>
        </Group>
      </form>
      <Text fw={500}>People with access</Text>
      {list.isPending ? (
        <Loader size="sm" aria-label="Loading shares" />
      ) : list.isError ? (
        <Text c="red">{errorMessage(list.error)}</Text>
      ) : list.data.shares.length === 0 ? (
        <Text c="dimmed" size="sm">
          Not shared with anyone yet.
        </Text>
      ) : (
        <Table aria-label="People with access">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Person</Table.Th>
              <Table.Th>Permission</Table.Th>
              <Table.Th>
                <span className="sr-only">Actions</span>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.shares.map((s) => (
              <Table.Tr key={s.share_id}>
                <Table.Td>
                  <Text size="sm">{s.name}</Text>
                  <Text size="xs" c="dimmed">
                    {s.email}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Select
                    aria-label={`Permission of ${s.email}`}
                    data={PERMISSIONS}
                    value={s.permission}
                    allowDeselect={false}
                    onChange={(value) => value && value !== s.permission && change.mutate({ shareId: s.share_id, to: value as Permission })}
                    w={140}
                    size="xs"
                  />
                </Table.Td>
                <Table.Td>
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    aria-label={`Stop sharing with ${s.email}`}
                    onClick={() => revoke.mutate(s.share_id)}
                    loading={revoke.isPending && revoke.variables === s.share_id}
                  >
                    <IconX size={16} aria-hidden />
                  </ActionIcon>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
