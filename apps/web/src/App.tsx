/** Logged out: the login screen. Logged in: the Switchboard provider around the app shell. */
import { SwitchboardProvider } from '@switchboard/react';
import type { GetToken } from '@switchboard/client';
import type { ReactNode } from 'react';
import { LoginPage } from './auth/LoginPage.js';
import { session } from './auth/session.js';
import { useSession } from './auth/use-session.js';
import { Shell } from './layout/Shell.js';

/** Each connection attempt asks for a valid token; after a 4001 close, for a renewed one. */
const getToken: GetToken = ({ refresh }) => (refresh ? session.refreshNow() : session.accessToken());

export function App(): ReactNode {
  const current = useSession();
  if (!current) return <LoginPage />;
  return (
    // A different user gets a fresh client and fresh stores.
    <SwitchboardProvider key={current.user.id} token={current.access} getToken={getToken}>
      <Shell user={current.user} />
    </SwitchboardProvider>
  );
}
