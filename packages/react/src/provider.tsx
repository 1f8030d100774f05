/**
 * SwitchboardProvider: creates and owns one SwitchboardClient (or uses the one given),
 * keeps the shared stores, opens the notifications connection as soon as a token is
 * available (seed 003's provider "auto-connects to notifications on login"), passes a
 * renewed token to the open connections with `refresh_token` so they outlive the old
 * one, and closes everything at logout (token back to null).
 */
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { SwitchboardClient, type ClientOptions, type GetToken } from '@switchboard/client';
import { NotificationsBinding, NOTIFICATIONS_KEY } from './bindings/notifications.js';
import { BindingRegistry } from './registry.js';
import { tokenUser, type TokenUser } from './token.js';

export interface SwitchboardContextValue {
  readonly client: SwitchboardClient;
  readonly registry: BindingRegistry;
  /** The current access token; null when logged out. */
  readonly token: string | null;
  /** The user the token names. */
  readonly user: TokenUser | null;
}

export interface SwitchboardProviderProps {
  /** Use this client instead of creating one (the provider then never closes it). */
  client?: SwitchboardClient;
  /** Server URL; default: the page's host. */
  url?: string;
  /** The access token; null or absent means logged out. */
  token?: string | null;
  /**
   * Called before each connection attempt; default: the `token` prop. Given a
   * `refresh: true` request (the server closed with 4001) it should return a fresh token.
   */
  getToken?: GetToken;
  /** Other client options (timeouts, reconnect policy, WebSocket implementation). */
  clientOptions?: Omit<ClientOptions, 'url' | 'getToken'>;
  /** Open `/ws/notifications/` while logged in. Default true. */
  connectNotifications?: boolean;
  children?: ReactNode;
}

const SwitchboardContext = createContext<SwitchboardContextValue | null>(null);

export function SwitchboardProvider(props: SwitchboardProviderProps): ReactNode {
  const { connectNotifications = true, children } = props;
  const token = props.token ?? null;
  const latest = useRef(props);
  latest.current = props;

  const [owned] = useState(() => {
    if (props.client) return undefined;
    const getToken: GetToken = (request) => {
      const current = latest.current;
      return current.getToken ? current.getToken(request) : (current.token ?? null);
    };
    return new SwitchboardClient({ ...props.clientOptions, ...(props.url ? { url: props.url } : {}), getToken });
  });
  const client = props.client ?? owned!;
  const registry = useMemo(() => new BindingRegistry(client), [client]);
  const user = useMemo(() => tokenUser(token), [token]);
  const authenticated = token !== null;

  // A renewed token: tell the live connections. Logging out: close everything.
  const previousToken = useRef(token);
  useEffect(() => {
    const previous = previousToken.current;
    previousToken.current = token;
    // A refused refresh leaves that connection to close 4001 at expiry and reconnect through getToken.
    if (token && previous && token !== previous) client.refreshToken(token).catch(() => undefined);
    if (!token && previous) {
      registry.clear();
      client.disconnectAll();
    }
  }, [token, client, registry]);

  useEffect(() => {
    if (!authenticated || !connectNotifications) return;
    const binding = registry.get(NOTIFICATIONS_KEY, () => new NotificationsBinding());
    return registry.retain(NOTIFICATIONS_KEY, binding);
  }, [authenticated, connectNotifications, registry]);

  // An owned client closes with the provider.
  useEffect(() => {
    if (!owned) return;
    return () => {
      registry.clear();
      owned.disconnectAll();
    };
  }, [owned, registry]);

  const value = useMemo<SwitchboardContextValue>(() => ({ client, registry, token, user }), [client, registry, token, user]);
  return <SwitchboardContext.Provider value={value}>{children}</SwitchboardContext.Provider>;
}

export function useSwitchboard(): SwitchboardContextValue {
  const value = useContext(SwitchboardContext);
  if (!value) throw new Error('Switchboard hooks must be used inside <SwitchboardProvider>');
  return value;
}

/** The user the current token names (null when logged out). */
export function useCurrentUser(): TokenUser | null {
  return useSwitchboard().user;
}
