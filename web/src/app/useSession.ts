import { useSyncExternalStore } from 'react';
import { loadSession, onSessionChange, type Session } from '../api/session';

let cached: Session | null | undefined;
let cachedKey = '';

function snapshot(): Session | null {
  const session = loadSession();
  const key = session ? `${session.accessToken}|${session.email}` : '';
  if (cached === undefined || key !== cachedKey) {
    cached = session;
    cachedKey = key;
  }
  return cached;
}

export function useSession(): Session | null {
  return useSyncExternalStore(onSessionChange, snapshot);
}
