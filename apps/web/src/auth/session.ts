/**
 * The login session: access and refresh tokens in memory and in sessionStorage (per
 * tab, gone when the tab closes), renewed through `/api/auth/refresh` a minute before
 * the access token expires. Refresh tokens rotate: each is used once, so concurrent
 * refreshes share one request. An external store for `useSyncExternalStore`.
 */
import { tokenUser } from '@switchboard/react';
import { auth, type Me, type TokenPair } from '../api/endpoints.js';
import { ApiError, setTokenSource } from '../api/http.js';

export interface SessionState {
  readonly access: string;
  readonly refresh: string;
  readonly user: Me;
}

const STORAGE_KEY = 'switchboard.session';
/** Renew this long before the access token expires. */
const REFRESH_AHEAD_MS = 60_000;
/** A token this close to expiry is renewed before use. */
const MIN_VALIDITY_MS = 10_000;

function expiryOf(access: string): number {
  return tokenUser(access)?.expiresAt ?? Number.POSITIVE_INFINITY;
}

function load(): SessionState | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as SessionState | null;
    return stored && typeof stored.access === 'string' && typeof stored.refresh === 'string' && stored.user ? stored : null;
  } catch {
    return null;
  }
}

export class Session {
  private state: SessionState | null = load();
  private readonly listeners = new Set<() => void>();
  private refreshing: Promise<string | null> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    setTokenSource({ accessToken: () => this.accessToken(), refreshed: () => this.refreshNow() });
    this.schedule();
  }

  readonly getSnapshot = (): SessionState | null => this.state;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  async login(username: string, password: string): Promise<void> {
    const pair = await auth.token({ username, password });
    // /api/users/me with the new token (not yet the session's).
    const user = await auth.me(pair.access);
    this.set({ ...pair, user });
  }

  async register(username: string, password: string, name: string): Promise<void> {
    await auth.register({ username, password, ...(name ? { name } : {}) });
    await this.login(username, password);
  }

  /** Revokes the refresh token and closes this user's sockets; the local session ends whatever happens. */
  async logout(): Promise<void> {
    const refresh = this.state?.refresh;
    try {
      if (this.state) await auth.logout(refresh);
    } catch {
      // Already expired or unreachable: forgetting the tokens is what matters.
    }
    this.set(null);
  }

  /** The access token, renewed first when it is about to expire. */
  async accessToken(): Promise<string | null> {
    const state = this.state;
    if (!state) return null;
    if (expiryOf(state.access) - Date.now() > MIN_VALIDITY_MS) return state.access;
    return this.refreshNow();
  }

  /** Renews the tokens now (one request however many callers); null when the session is over. */
  refreshNow(): Promise<string | null> {
    if (this.refreshing) return this.refreshing;
    const state = this.state;
    if (!state) return Promise.resolve(null);
    this.refreshing = auth
      .refresh(state.refresh)
      .then(
        (pair: TokenPair) => {
          if (this.state?.refresh !== state.refresh) return this.state?.access ?? null;
          this.set({ ...state, ...pair });
          return pair.access;
        },
        (error: unknown) => {
          // A refused refresh token ends the session; a network error keeps it for a later try.
          if (error instanceof ApiError && (error.status === 401 || error.status === 403)) this.set(null);
          return this.state?.access ?? null;
        },
      )
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  private set(state: SessionState | null): void {
    this.state = state;
    try {
      if (state) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(state));
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Storage disabled: the session lives in memory only.
    }
    this.schedule();
    for (const listener of [...this.listeners]) listener();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.state) return;
    const delay = expiryOf(this.state.access) - Date.now() - REFRESH_AHEAD_MS;
    if (!Number.isFinite(delay)) return;
    this.timer = setTimeout(() => void this.refreshNow(), Math.max(1000, delay));
  }
}

export const session = new Session();
