import { useEffect, useMemo, useState, type FormEvent } from 'react';
import {
  AppShell,
  Badge,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Text,
  TextInput,
  Title,
  UnstyledButton,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import {
  IconAlertTriangle,
  IconDevices,
  IconSearch,
  IconShare,
  IconTrash,
  IconUserCircle,
} from '@tabler/icons-react';
import type { Session } from '../api/session';
import { signOut } from '../api/session';
import { revokeDevice } from '../api/endpoints';
import { hrefOf, navigate, type Route } from './route';
import { FolderTree } from '../files/FolderTree';
import { StorageMeter } from '../files/StorageMeter';
import { FilesPage } from '../pages/FilesPage';
import { TrashPage } from '../pages/TrashPage';
import { SharedPage } from '../pages/SharedPage';
import { ConflictsPage } from '../pages/ConflictsPage';
import { DevicesPage } from '../pages/DevicesPage';
import { SearchPage } from '../pages/SearchPage';
import { UploadPanel } from '../upload/UploadPanel';
import { uploads } from '../upload/uploads';
import { startLiveSync, type LiveState } from '../live/liveSync';
import { parentOf } from '../util/paths';

const LIVE_LABEL: Record<LiveState, string> = {
  connecting: 'Connecting…',
  websocket: 'Live',
  longpoll: 'Live (polling)',
  offline: 'Offline',
};

export function Shell({ session, route }: { session: Session; route: Route }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const client = useQueryClient();
  const [live, setLive] = useState<LiveState>('connecting');
  const [query, setQuery] = useState(route.name === 'search' ? route.q : '');

  // Another device (or this one) changed something: refetch what is shown.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'thumbnail' });
      }, 150);
    };
    const stop = startLiveSync({ token: session.accessToken, onChange: refresh, onState: setLive });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [client, session.accessToken]);

  useEffect(() => {
    uploads.onCommitted = (path) => {
      void client.invalidateQueries({ queryKey: ['list', parentOf(path)] });
      void client.invalidateQueries({ queryKey: ['usage'] });
    };
  }, [client]);

  // Close the navigation on phones after moving somewhere.
  const routeKey = JSON.stringify(route);
  useEffect(() => close(), [routeKey, close]);

  const onSearch = (event: FormEvent) => {
    event.preventDefault();
    if (query.trim()) navigate({ name: 'search', q: query.trim() });
  };

  const page = useMemo(() => {
    switch (route.name) {
      case 'trash':
        return <TrashPage />;
      case 'shared':
        return <SharedPage />;
      case 'conflicts':
        return <ConflictsPage />;
      case 'devices':
        return <DevicesPage />;
      case 'search':
        return <SearchPage q={route.q} />;
      case 'files':
        return <FilesPage path={route.path} />;
      default:
        return <FilesPage path="/" />;
    }
  }, [route]);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 280, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" gap="sm" wrap="nowrap">
          <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
          <Title order={1} size="h3" visibleFrom="xs">
            <UnstyledButton component="a" href={hrefOf({ name: 'files', path: '/' })}>
              syncbox
            </UnstyledButton>
          </Title>
          <form role="search" onSubmit={onSearch} style={{ flex: 1, maxWidth: 520 }}>
            <TextInput
              aria-label="Search files"
              placeholder="Search files and folders"
              leftSection={<IconSearch size={16} aria-hidden />}
              value={query}
              onChange={(e) => setQuery(e.currentTarget.value)}
              type="search"
            />
            <VisuallyHidden>
              <button type="submit">Search</button>
            </VisuallyHidden>
          </form>
          <Group gap="sm" wrap="nowrap" ml="auto">
          <Badge
            variant="dot"
            color={live === 'offline' ? 'red' : live === 'connecting' ? 'gray' : 'green'}
            visibleFrom="sm"
            aria-live="polite"
            data-testid="live-state"
          >
            {LIVE_LABEL[live]}
          </Badge>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <UnstyledButton aria-label={`Account menu for ${session.email}`}>
                <IconUserCircle size={28} aria-hidden />
              </UnstyledButton>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>{session.email}</Menu.Label>
              <Menu.Item component="a" href={hrefOf({ name: 'devices' })} leftSection={<IconDevices size={16} />}>
                Devices
              </Menu.Item>
              <Menu.Item
                color="red"
                onClick={() => {
                  // Signing out ends this browser's device: its token is refused from now on, wherever it was
                  // copied to. The page signs out even when the server cannot be reached.
                  void revokeDevice(session.deviceId)
                    .catch(() => undefined)
                    .finally(() => signOut());
                }}
              >
                Sign out
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label="Main">
        <AppShell.Section grow component={ScrollArea}>
          <FolderTree current={route.name === 'files' ? route.path : null} />
          <NavLink
            href={hrefOf({ name: 'shared' })}
            label="Shared with me"
            leftSection={<IconShare size={18} aria-hidden />}
            active={route.name === 'shared'}
            aria-current={route.name === 'shared' ? 'page' : undefined}
          />
          <NavLink
            href={hrefOf({ name: 'trash' })}
            label="Trash"
            leftSection={<IconTrash size={18} aria-hidden />}
            active={route.name === 'trash'}
            aria-current={route.name === 'trash' ? 'page' : undefined}
          />
          <NavLink
            href={hrefOf({ name: 'conflicts' })}
            label="Conflicts"
            leftSection={<IconAlertTriangle size={18} aria-hidden />}
            active={route.name === 'conflicts'}
            aria-current={route.name === 'conflicts' ? 'page' : undefined}
          />
          <NavLink
            href={hrefOf({ name: 'devices' })}
            label="Devices"
            leftSection={<IconDevices size={18} aria-hidden />}
            active={route.name === 'devices'}
            aria-current={route.name === 'devices' ? 'page' : undefined}
          />
        </AppShell.Section>
        <AppShell.Section>
          <StorageMeter />
          <Text size="xs" c="dimmed" hiddenFrom="sm" mt="xs">
            {LIVE_LABEL[live]}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main>
        {page}
        <UploadPanel />
      </AppShell.Main>
    </AppShell>
  );
}

