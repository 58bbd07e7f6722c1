import { useQuery } from '@tanstack/react-query';
import { listFolder, spaceUsage } from '../api/endpoints';

export const listKey = (path: string) => ['list', path] as const;

export function useListing(path: string, enabled = true) {
  return useQuery({
    queryKey: listKey(path),
    queryFn: ({ signal }) => listFolder(path, signal),
    enabled,
  });
}

export function useSpaceUsage() {
  return useQuery({ queryKey: ['usage'], queryFn: spaceUsage, staleTime: 60_000 });
}
