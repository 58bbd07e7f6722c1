import { useState } from 'react';
import { Alert, Anchor, Button, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { search } from '../api/endpoints';
import { errorMessage } from '../api/client';
import { hrefOf } from '../app/route';
import { formatBytes, formatDate, highlightSegments } from '../util/format';
import { parentOf, previewKind } from '../util/paths';
import { PreviewModal, type PreviewTarget } from '../files/PreviewModal';
import { download } from '../files/download';

export function SearchPage({ q }: { q: string }) {
  const [preview, setPreview] = useState<PreviewTarget | null>(null);
  const results = useInfiniteQuery({
    queryKey: ['search', q],
    queryFn: ({ pageParam }) => search(q, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.has_more && last.next_cursor ? last.next_cursor : undefined),
    enabled: q.trim() !== '',
  });
  const matches = results.data?.pages.flatMap((p) => p.matches) ?? [];
  return (
    <Stack>
      <Title order={2}>Search results for “{q}”</Title>
      {q.trim() === '' ? (
        <Text c="dimmed">Type something to search for.</Text>
      ) : results.isPending ? (
        <Loader aria-label="Searching" />
      ) : results.isError ? (
        <Alert color="red" role="alert">
          {errorMessage(results.error)}
        </Alert>
      ) : matches.length === 0 ? (
        <Text c="dimmed">Nothing found. New files can take a second or two to be found.</Text>
      ) : (
        <ul aria-label="Search results" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {matches.map((m) => {
            return (
              <li key={m.file_id} style={{ padding: '10px 0', borderBottom: '1px solid var(--mantine-color-gray-3)' }} data-testid="search-result">
                <Group justify="space-between" wrap="wrap" gap="xs">
                  <div style={{ minWidth: 0, flex: 1 }}>
                    <Text fw={500} style={{ overflowWrap: 'anywhere' }}>
                      {m.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      in{' '}
                      <Anchor href={hrefOf({ name: 'files', path: parentOf(m.path) })} size="xs" underline="always">
                        {parentOf(m.path)}
                      </Anchor>{' '}
                      · {formatBytes(m.size)} · {formatDate(m.modified_at)}
                    </Text>
                    {m.highlight && (
                      <Text size="sm" mt={4}>
                        {highlightSegments(m.highlight).map((s, i) => (s.marked ? <mark key={i}>{s.text}</mark> : <span key={i}>{s.text}</span>))}
                      </Text>
                    )}
                  </div>
                  <Group gap="xs">
                    <Button size="xs" variant="default" component="a" href={hrefOf({ name: 'files', path: parentOf(m.path) })} aria-label={`Show ${m.name} in its folder`}>
                      Show in folder
                    </Button>
                    {previewKind(m.name) && (
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => setPreview({ fileId: m.file_id, name: m.name, size: m.size, versionId: null })}
                        aria-label={`Preview ${m.name}`}
                      >
                        Preview
                      </Button>
                    )}
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() =>
                        download(m.file_id, m.name).catch((e) =>
                          notifications.show({ color: 'red', title: 'Download failed', message: errorMessage(e) }),
                        )
                      }
                      aria-label={`Download ${m.name}`}
                    >
                      Download
                    </Button>
                  </Group>
                </Group>
              </li>
            );
          })}
        </ul>
      )}
      {results.hasNextPage && (
        <Button variant="default" onClick={() => void results.fetchNextPage()} loading={results.isFetchingNextPage}>
          More results
        </Button>
      )}
      <PreviewModal target={preview} onClose={() => setPreview(null)} />
    </Stack>
  );
}
