import { useState } from 'react';
import { ActionIcon, Box, Group, Loader, NavLink } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconFolder, IconHome } from '@tabler/icons-react';
import { hrefOf } from '../app/route';
import { useListing } from './queries';
import { isWithin } from '../util/paths';

/** The folder tree in the navigation: each folder loads its subfolders when expanded. */
export function FolderTree({ current }: { current: string | null }) {
  return (
    <nav aria-label="Folders">
      <FolderNode path="/" name="All files" current={current} depth={0} initiallyOpen />
    </nav>
  );
}

function FolderNode({
  path,
  name,
  current,
  depth,
  initiallyOpen = false,
}: {
  path: string;
  name: string;
  current: string | null;
  depth: number;
  initiallyOpen?: boolean;
}) {
  const onCurrentBranch =
    current !== null && path !== '/' && isWithin(current, path) && current.toLowerCase() !== path.toLowerCase();
  const [open, setOpen] = useState<boolean | null>(null);
  const expanded = open ?? (initiallyOpen || onCurrentBranch);
  const listing = useListing(path, expanded);
  const folders = (listing.data?.entries ?? []).filter((e) => e.is_dir).sort((a, b) => a.name.localeCompare(b.name));
  const isCurrent = current !== null && current.toLowerCase() === path.toLowerCase();
  const childrenId = `tree-${encodeURIComponent(path)}`;

  return (
    <Box>
      <Group gap={0} wrap="nowrap" pl={depth * 14}>
        <ActionIcon
          variant="subtle"
          color="gray"
          size="sm"
          aria-label={`${expanded ? 'Collapse' : 'Expand'} ${name}`}
          aria-expanded={expanded}
          aria-controls={childrenId}
          onClick={() => setOpen(!expanded)}
        >
          {expanded ? <IconChevronDown size={14} aria-hidden /> : <IconChevronRight size={14} aria-hidden />}
        </ActionIcon>
        <NavLink
          href={hrefOf({ name: 'files', path })}
          label={name}
          leftSection={depth === 0 ? <IconHome size={18} aria-hidden /> : <IconFolder size={18} aria-hidden />}
          active={isCurrent}
          aria-current={isCurrent ? 'page' : undefined}
          rightSection={listing.isFetching && !listing.data ? <Loader size={12} aria-label="Loading folders" /> : undefined}
          py={6}
        />
      </Group>
      {expanded && (
        <Box id={childrenId} role="group" aria-label={`Folders in ${name}`}>
          {folders.map((folder) => (
            <FolderNode key={folder.file_id} path={folder.path} name={folder.name} current={current} depth={depth + 1} />
          ))}
        </Box>
      )}
    </Box>
  );
}
