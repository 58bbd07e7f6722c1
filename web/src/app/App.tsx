import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { notifications } from '@mantine/notifications';
import { useSession } from './useSession';
import { takeSignedOutByUser } from '../api/session';
import { navigate, useRoute } from './route';
import { AuthPage } from '../pages/AuthPage';
import { Shell } from './Shell';

export function App() {
  const session = useSession();
  const route = useRoute();
  const client = useQueryClient();
  const hadSession = useRef(session !== null);

  useEffect(() => {
    if (session === null) {
      client.clear();
      if (hadSession.current && !takeSignedOutByUser()) {
        notifications.show({ color: 'yellow', title: 'Signed out', message: 'Your session has ended. Sign in again.' });
      }
      if (route.name !== 'login' && route.name !== 'register') navigate({ name: 'login' });
    } else if (route.name === 'login' || route.name === 'register') {
      navigate({ name: 'files', path: '/' });
    }
    hadSession.current = session !== null;
  }, [session, route.name, client]);

  if (session === null) return <AuthPage mode={route.name === 'register' ? 'register' : 'login'} />;
  return <Shell session={session} route={route} />;
}
