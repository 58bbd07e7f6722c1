// The signed-in session. Kept in sessionStorage: it survives a reload of the tab but not the tab
// itself, and is not shared with other tabs (see web/README.md for why).

export interface Session {
  accessToken: string;
  deviceId: string;
  email: string;
}

const KEY = 'syncbox.session';
type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();

export function loadSession(): Session | null {
  try {
    const text = sessionStorage.getItem(KEY);
    if (!text) return null;
    const value = JSON.parse(text) as Partial<Session>;
    if (typeof value.accessToken !== 'string' || typeof value.deviceId !== 'string') return null;
    return { accessToken: value.accessToken, deviceId: value.deviceId, email: value.email ?? '' };
  } catch {
    return null;
  }
}

export function saveSession(session: Session | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
  listeners.forEach((listener) => listener(session));
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let signedOutByUser = false;

/** The user signs out (as opposed to the server ending the session). */
export function signOut(): void {
  signedOutByUser = true;
  saveSession(null);
}

/** Whether the last end of the session was the user's own sign-out (and forgets it). */
export function takeSignedOutByUser(): boolean {
  const value = signedOutByUser;
  signedOutByUser = false;
  return value;
}
