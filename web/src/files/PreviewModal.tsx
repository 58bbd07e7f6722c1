import { lazy, Suspense, useEffect, useState } from 'react';
import { Alert, Button, Center, Group, Loader, Modal, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { readBlob, readText, temporaryLink } from '../api/endpoints';
import { errorMessage } from '../api/client';
import { previewKind } from '../util/paths';
import { formatBytes } from '../util/format';
import { download } from './download';

const Markdown = lazy(() => import('./Markdown'));

/** Text previews read at most this much (a ranged read). */
export const TEXT_PREVIEW_BYTES = 1024 * 1024;
/** PDFs are loaded into the page whole; bigger ones are downloaded instead. */
export const PDF_PREVIEW_BYTES = 50 * 1024 * 1024;

export interface PreviewTarget {
  fileId: string;
  name: string;
  size: number;
  versionId: string | null;
}

export function PreviewModal({ target, onClose }: { target: PreviewTarget | null; onClose: () => void }) {
  const phone = useMediaQuery('(max-width: 48em)');
  return (
    <Modal opened={target !== null} onClose={onClose} title={target?.name ?? 'Preview'} size="80rem" fullScreen={phone}>
      {target && <PreviewBody target={target} />}
    </Modal>
  );
}

function PreviewBody({ target }: { target: PreviewTarget }) {
  const kind = previewKind(target.name);
  const tooBig = kind === 'pdf' && target.size > PDF_PREVIEW_BYTES;
  return (
    <>
      {kind === null || tooBig ? (
        <Text>
          {tooBig ? `This PDF is too large to preview here (${formatBytes(target.size)}).` : 'There is no preview for this kind of file.'}
        </Text>
      ) : kind === 'image' ? (
        <ImagePreview target={target} />
      ) : kind === 'pdf' ? (
        <PdfPreview target={target} />
      ) : (
        <TextPreview target={target} markdown={kind === 'markdown'} />
      )}
      <Group justify="flex-end" mt="md">
        <Button variant="default" onClick={() => void download(target.fileId, target.name)}>
          Download
        </Button>
      </Group>
    </>
  );
}

function ImagePreview({ target }: { target: PreviewTarget }) {
  // A temporary link streams the image straight into the <img>, whatever its size.
  const link = useQuery({
    queryKey: ['preview-link', target.fileId, target.versionId],
    queryFn: () => temporaryLink(target.fileId),
    staleTime: 60 * 60_000,
  });
  if (link.isPending) return <Loading />;
  if (link.isError) return <Alert color="red">{errorMessage(link.error)}</Alert>;
  return (
    <Center>
      <img src={link.data} alt={target.name} style={{ maxWidth: '100%', maxHeight: '75vh', objectFit: 'contain' }} />
    </Center>
  );
}

function PdfPreview({ target }: { target: PreviewTarget }) {
  const blob = useQuery({
    queryKey: ['preview-pdf', target.fileId, target.versionId],
    queryFn: ({ signal }) => readBlob(target.fileId, 'application/pdf', signal),
    staleTime: Infinity,
    gcTime: 0,
  });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!blob.data) return;
    const objectUrl = URL.createObjectURL(blob.data);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [blob.data]);
  if (blob.isError) return <Alert color="red">{errorMessage(blob.error)}</Alert>;
  if (!url) return <Loading />;
  return <iframe className="preview-frame" src={url} title={`PDF preview of ${target.name}`} />;
}

function TextPreview({ target, markdown }: { target: PreviewTarget; markdown: boolean }) {
  const text = useQuery({
    queryKey: ['preview-text', target.fileId, target.versionId],
    queryFn: ({ signal }) => readText(target.fileId, TEXT_PREVIEW_BYTES, signal),
    staleTime: 30_000,
  });
  if (text.isPending) return <Loading />;
  if (text.isError) return <Alert color="red">{errorMessage(text.error)}</Alert>;
  return (
    <div data-testid="text-preview">
      {text.data.truncated && (
        <Alert color="blue" mb="sm">
          Showing the first {formatBytes(TEXT_PREVIEW_BYTES)}; download the file for all of it.
        </Alert>
      )}
      {markdown ? (
        <Suspense fallback={<Loading />}>
          <Markdown source={text.data.text} />
        </Suspense>
      ) : (
        <pre className="preview-text">{text.data.text}</pre>
      )}
    </div>
  );
}

function Loading() {
  return (
    <Center p="xl">
      <Loader aria-label="Loading preview" />
    </Center>
  );
}
