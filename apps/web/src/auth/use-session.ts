import { useSyncExternalStore } from 'react';
import { session, type SessionState } from './session.js';

export function useSession(): SessionState | null {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}
