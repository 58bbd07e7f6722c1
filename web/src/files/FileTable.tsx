import { ActionIcon, Checkbox, Menu, Table, Text, UnstyledButton } from '@mantine/core';
import {
  IconArrowsMove,
  IconChevronDown,
  IconChevronUp,
  IconDots,
  IconDownload,
  IconEye,
  IconFile,
  IconFileText,
  IconFolder,
  IconHistory,
  IconPencil,
  IconPhoto,
  IconShare,
  IconTrash,
} from '@tabler/icons-react';
import type { Entry } from '../api/types';
import { formatBytes, formatDate } from '../util/format';
import { hasThumbnail, previewKind } from '../util/paths';
import { useThumbnail } from './useThumbnail';

export type SortKey = 'name' | 'size' | 'modified';
export interface Sort {
  key: SortKey;
  ascending: boolean;
}

export type EntryAction = 'open' | 'preview' | 'download' | 'rename' | 'move' | 'versions' | 'share' | 'delete';

/** Folders first, then by the chosen column; names compare naturally ("file 2" before "file 10"). */
export function sortEntries(entries: Entry[], sort: Sort): Entry[] {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  const direction = sort.ascending ? 1 : -1;
  return [...entries].sort((a, b) => {
    if (a.is_dir !== b.is_dir) return a.is_dir ? -1 : 1;
    let order = 0;
    if (sort.key === 'size') order = a.size - b.size;
    else if (sort.key === 'modified') order = Date.parse(a.modified_at) - Date.parse(b.modified_at);
    if (order === 0) order = collator.compare(a.name, b.name);
    return order * direction;
  });
}

export function FileTable({
  entries,
  sort,
  onSort,
  selected,
  onSelect,
  onAction,
}: {
  entries: Entry[];
  sort: Sort;
  onSort: (sort: Sort) => void;
  selected: Set<string>;
  onSelect: (selected: Set<string>) => void;
  onAction: (action: EntryAction, entry: Entry) => void;
}) {
  const allSelected = entries.length > 0 && entries.every((e) => selected.has(e.file_id));
  const someSelected = entries.some((e) => selected.has(e.file_id));
  const header = (key: SortKey, label: string, phone = true) => {
    const active = sort.key === key;
    return (
      <Table.Th aria-sort={active ? (sort.ascending ? 'ascending' : 'descending') : 'none'} visibleFrom={phone ? undefined : 'sm'}>
        <UnstyledButton
          onClick={() => onSort({ key, ascending: active ? !sort.ascending : true })}
          style={{ display: 'inline-flex', alignItems: 'center', gap: 4, fontWeight: 700 }}
        >
          {label}
          {active && (sort.ascending ? <IconChevronUp size={14} aria-hidden /> : <IconChevronDown size={14} aria-hidden />)}
          <span className="sr-only">, sort</span>
        </UnstyledButton>
      </Table.Th>
    );
  };

  return (
    <Table highlightOnHover verticalSpacing="xs" aria-label="Files">
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={40}>
            <Checkbox
              aria-label="Select all"
              checked={allSelected}
              indeterminate={someSelected && !allSelected}
              onChange={() => onSelect(allSelected ? new Set() : new Set(entries.map((e) => e.file_id)))}
            />
          </Table.Th>
          <Table.Th w={52}>
            <span className="sr-only">Type</span>
          </Table.Th>
          {header('name', 'Name')}
          {header('size', 'Size', false)}
          {header('modified', 'Modified', false)}
          <Table.Th w={48}>
            <span className="sr-only">Actions</span>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {entries.map((entry) => (
          <Row
            key={entry.file_id}
            entry={entry}
            selected={selected.has(entry.file_id)}
            onToggle={() => {
              const next = new Set(selected);
              if (next.has(entry.file_id)) next.delete(entry.file_id);
              else next.add(entry.file_id);
              onSelect(next);
            }}
            onAction={onAction}
          />
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Row({
  entry,
  selected,
  onToggle,
  onAction,
}: {
  entry: Entry;
  selected: boolean;
  onToggle: () => void;
  onAction: (action: EntryAction, entry: Entry) => void;
}) {
  const canPreview = !entry.is_dir && previewKind(entry.name) !== null;
  return (
    <Table.Tr data-selected={selected || undefined} bg={selected ? 'var(--mantine-color-blue-light)' : undefined} data-testid="file-row">
      <Table.Td>
        <Checkbox aria-label={`Select ${entry.name}`} checked={selected} onChange={onToggle} />
      </Table.Td>
      <Table.Td>
        <EntryIcon entry={entry} />
      </Table.Td>
      <Table.Td>
        <button
          type="button"
          className="file-name-button"
          onClick={() => onAction(entry.is_dir ? 'open' : canPreview ? 'preview' : 'download', entry)}
          title={entry.is_dir ? `Open ${entry.name}` : canPreview ? `Preview ${entry.name}` : `Download ${entry.name}`}
        >
          {entry.name}
        </button>
        <Text size="xs" c="dimmed" hiddenFrom="sm">
          {entry.is_dir ? 'Folder' : `${formatBytes(entry.size)} · ${formatDate(entry.modified_at)}`}
        </Text>
      </Table.Td>
      <Table.Td visibleFrom="sm">{entry.is_dir ? '—' : formatBytes(entry.size)}</Table.Td>
      <Table.Td visibleFrom="sm">{entry.is_dir ? '—' : formatDate(entry.modified_at)}</Table.Td>
      <Table.Td>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${entry.name}`}>
              <IconDots size={18} aria-hidden />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            {entry.is_dir ? (
              <Menu.Item leftSection={<IconFolder size={16} />} onClick={() => onAction('open', entry)}>
                Open
              </Menu.Item>
            ) : (
              <>
                {canPreview && (
                  <Menu.Item leftSection={<IconEye size={16} />} onClick={() => onAction('preview', entry)}>
                    Preview
                  </Menu.Item>
                )}
                <Menu.Item leftSection={<IconDownload size={16} />} onClick={() => onAction('download', entry)}>
                  Download
                </Menu.Item>
                <Menu.Item leftSection={<IconHistory size={16} />} onClick={() => onAction('versions', entry)}>
                  Version history
                </Menu.Item>
              </>
            )}
            <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => onAction('rename', entry)}>
              Rename
            </Menu.Item>
            <Menu.Item leftSection={<IconArrowsMove size={16} />} onClick={() => onAction('move', entry)}>
              Move
            </Menu.Item>
            <Menu.Item leftSection={<IconShare size={16} />} onClick={() => onAction('share', entry)}>
              Share
            </Menu.Item>
            <Menu.Divider />
            <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => onAction('delete', entry)}>
              Delete
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Table.Td>
    </Table.Tr>
  );
}

function EntryIcon({ entry }: { entry: Entry }) {
  const thumb = useThumbnail(entry.file_id, entry.current_version_id, 256, !entry.is_dir && hasThumbnail(entry.name));
  if (thumb) return <img className="thumb" src={thumb} alt="" data-testid="thumbnail" />;
  const kind = entry.is_dir ? 'folder' : previewKind(entry.name);
  const Icon = kind === 'folder' ? IconFolder : kind === 'image' ? IconPhoto : kind ? IconFileText : IconFile;
  return <Icon size={28} aria-hidden color={kind === 'folder' ? 'var(--mantine-color-blue-6)' : undefined} />;
}
