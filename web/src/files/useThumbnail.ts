import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { thumbnail } from '../api/endpoints';

/** An object URL of the server-made thumbnail, or null while loading / when there is none. */
export function useThumbnail(fileId: string, versionId: string | null, size: number, enabled: boolean): string | null {
  const query = useQuery({
    queryKey: ['thumbnail', fileId, versionId, size],
    queryFn: ({ signal }) => thumbnail(fileId, size, versionId, signal),
    enabled,
    staleTime: Infinity,
    gcTime: 5 * 60_000,
    retry: false,
  });
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!query.data) {
      setUrl(null);
      return;
    }
    const objectUrl = URL.createObjectURL(query.data);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [query.data]);
  return url;
}
