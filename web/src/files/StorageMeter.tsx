import { Progress, Stack, Text } from '@mantine/core';
import { useSpaceUsage } from './queries';
import { formatBytes } from '../util/format';

export function StorageMeter() {
  const usage = useSpaceUsage();
  if (usage.isPending) return <Text size="sm" c="dimmed">Loading storage…</Text>;
  if (usage.isError) return <Text size="sm" c="red">Storage use unavailable</Text>;
  const used = usage.data.used;
  const allocated = usage.data.allocation.allocated ?? 0;
  const percent = allocated > 0 ? Math.min(100, (used / allocated) * 100) : 0;
  const label = `${formatBytes(used)} of ${formatBytes(allocated)} used`;
  return (
    <Stack gap={4} data-testid="storage-meter">
      <Text size="sm" fw={500} id="storage-label">
        Storage
      </Text>
      <Progress
        value={percent}
        color={percent > 90 ? 'red' : percent > 75 ? 'yellow' : 'blue'}
        aria-labelledby="storage-label"
        aria-valuetext={label}
      />
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}
