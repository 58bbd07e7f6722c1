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
      <Text size="sm" fw={500}>
        Storage
      </Text>
      {/* The name and value text go on the section, which is the progressbar; the root is a plain div. */}
      <Progress.Root>
        <Progress.Section
          value={percent}
          color={percent > 90 ? 'red' : percent > 75 ? 'yellow' : 'blue'}
          withAria={false}
          role="progressbar"
          aria-label="Storage used"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(percent)}
          aria-valuetext={label}
        />
      </Progress.Root>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}
