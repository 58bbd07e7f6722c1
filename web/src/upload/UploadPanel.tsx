import { useSyncExternalStore } from 'react';
import { ActionIcon, Button, Group, Paper, Progress, ScrollArea, Stack, Text } from '@mantine/core';
import { IconPlayerPause, IconPlayerPlay, IconX } from '@tabler/icons-react';
import { uploads as defaultManager, type UploadItem, type UploadManager } from './uploads';
import { formatBytes } from '../util/format';

const STATUS: Record<UploadItem['status'], string> = {
  queued: 'Waiting',
  uploading: 'Uploading',
  retrying: 'Connection lost, retrying',
  paused: 'Paused',
  done: 'Done',
  error: 'Failed',
};

export function UploadPanel({ manager = defaultManager }: { manager?: UploadManager }) {
  const items = useSyncExternalStore(manager.subscribe, manager.getSnapshot);
  if (items.length === 0) return null;
  const done = items.filter((i) => i.status === 'done').length;
  const total = items.reduce((sum, i) => sum + i.size, 0);
  const sent = items.reduce((sum, i) => sum + i.bytesSent, 0);
  return (
    <Paper
      withBorder
      shadow="md"
      p="sm"
      component="section"
      aria-labelledby="uploads-title"
      style={{ position: 'fixed', right: 12, bottom: 12, width: 'min(420px, calc(100vw - 24px))', zIndex: 150 }}
      data-testid="upload-panel"
    >
      <Group justify="space-between" mb="xs">
        <Text fw={600} id="uploads-title">
          Uploads: {done} of {items.length} done
        </Text>
        {done > 0 && (
          <Button size="compact-xs" variant="subtle" onClick={() => manager.clearFinished()}>
            Clear finished
          </Button>
        )}
      </Group>
      <Progress value={total ? (sent / total) * 100 : 0} size="sm" mb="xs" aria-label="Progress of all uploads" />
      <ScrollArea.Autosize mah={240}>
        <Stack gap="xs" component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {items.map((item) => (
            <UploadRow key={item.id} item={item} manager={manager} />
          ))}
        </Stack>
      </ScrollArea.Autosize>
    </Paper>
  );
}

function UploadRow({ item, manager }: { item: UploadItem; manager: UploadManager }) {
  const percent = item.size ? Math.floor((item.bytesSent / item.size) * 100) : item.status === 'done' ? 100 : 0;
  const active = item.status === 'uploading' || item.status === 'retrying' || item.status === 'queued';
  return (
    <li data-testid="upload-item" data-status={item.status}>
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm" truncate="end" title={item.path} style={{ flex: 1 }}>
          {item.name}
        </Text>
        {(item.status === 'uploading' || item.status === 'retrying') && (
          <ActionIcon size="sm" variant="subtle" aria-label={`Pause ${item.name}`} onClick={() => manager.pause(item.id)}>
            <IconPlayerPause size={14} aria-hidden />
          </ActionIcon>
        )}
        {(item.status === 'paused' || item.status === 'error') && (
          <ActionIcon size="sm" variant="subtle" aria-label={`Resume ${item.name}`} onClick={() => manager.resume(item.id)}>
            <IconPlayerPlay size={14} aria-hidden />
          </ActionIcon>
        )}
        {item.status !== 'done' && (
          <ActionIcon size="sm" variant="subtle" color="red" aria-label={`Cancel ${item.name}`} onClick={() => manager.cancel(item.id)}>
            <IconX size={14} aria-hidden />
          </ActionIcon>
        )}
      </Group>
      {/* Progress puts aria-label on its section (the progressbar), with the percentage as its value text. */}
      <Progress
        value={percent}
        size="sm"
        color={item.status === 'error' ? 'red' : item.status === 'done' ? 'green' : item.status === 'retrying' ? 'yellow' : 'blue'}
        animated={active && item.status !== 'queued'}
        aria-label={`Upload progress of ${item.name}`}
      />
      <Text size="xs" c={item.status === 'error' ? 'red' : 'dimmed'} aria-live="polite">
        {STATUS[item.status]} · {formatBytes(item.bytesSent)} of {formatBytes(item.size)} ({percent}%)
        {item.error && item.status !== 'uploading' ? ` — ${item.error}` : ''}
      </Text>
    </li>
  );
}
