/**
 * SwitchboardClient: one pooled, reference-counted connection per path, shared by
 * every subscriber of that path (seed 003's WebSocket service: connect, send,
 * subscribe, disconnect, disconnectAll, connection pooling), and the token they share.
 */
import {
  ANALYTICS_DASHBOARD_PATH,
  HEALTH_WS_PATH,
  NOTIFICATIONS_PATH,
  ROOMS_PATH,
  blogCommentsPath,
  blogPostPath,
  channelPath,
  conversationPath,
  documentPath,
  projectPresencePath,
  projectTicketsPath,
} from '@switchboard/protocol';
import { Connection, type RequestOptions } from './connection.js';
import type {
  AnalyticsEndpoint,
  AnyEndpoint,
  BlogCommentsEndpoint,
  BlogPostEndpoint,
  ChannelsEndpoint,
  ConversationsEndpoint,
  DocumentsEndpoint,
  Endpoint,
  EndpointOf,
  HealthEndpoint,
  NotificationsEndpoint,
  ProjectPresenceEndpoint,
  ProjectTicketsEndpoint,
  RoomsEndpoint,
} from './endpoints.js';
import { TokenRefreshError } from './errors.js';
import type { Unsubscribe } from './listeners.js';
import { resolveClientOptions, type ClientOptions, type ResolvedClientOptions } from './options.js';
import { ClientToken, type TokenRefreshResult } from './token.js';
import { normalizePath } from './transport.js';

interface PoolEntry {
  connection: Connection<Endpoint>;
  refs: number;
}

export class SwitchboardClient {
  readonly options: ResolvedClientOptions;
  private readonly pool = new Map<string, PoolEntry>();
  private readonly auth: ClientToken;

  constructor(options: ClientOptions = {}) {
    this.options = resolveClientOptions(options);
    this.auth = new ClientToken(this.options.token);
  }

  /** The token connection attempts use when there is no `getToken`: the `token` option, or the last `refreshToken`'s. */
  get token(): string | undefined {
    return this.auth.value;
  }

  /**
   * A renewed access token: sent as `refresh_token` on every open connection, so none
   * of them closes at the old token's expiry, and used by later connection attempts
   * when there is no `getToken`. Resolves once every open connection accepted it;
   * rejects with `TokenRefreshError` (the error of each path that failed) otherwise.
   */
  async refreshToken(token: string, options?: RequestOptions): Promise<TokenRefreshResult> {
    if (typeof token !== 'string' || token === '') throw new TypeError('refreshToken needs a non-empty token');
    this.auth.set(token);
    const entries = [...this.pool];
    const outcomes = await Promise.allSettled(entries.map(([, entry]) => entry.connection.refreshToken(token, options)));
    const refreshed: Record<string, number> = {};
    const skipped: string[] = [];
    const failures: Record<string, Error> = {};
    outcomes.forEach((outcome, index) => {
      const path = entries[index]![0];
      if (outcome.status === 'rejected') failures[path] = outcome.reason as Error;
      else if (outcome.value === undefined) skipped.push(path);
      else refreshed[path] = outcome.value;
    });
    const result: TokenRefreshResult = { refreshed, skipped };
    if (Object.keys(failures).length > 0) throw new TokenRefreshError(failures, result);
    return result;
  }

  /**
   * The shared connection to `path`, connecting it on first use. Every call takes a
   * reference; give it back with `connection.release()` (or `client.release(path)`):
   * the last release closes the socket. A literal path types the messages
   * (`'/api/v1/ws'`, `` `/ws/channels/${id}/` ``, …).
   */
  connection<P extends string>(path: P): Connection<EndpointOf<P>>;
  connection<E extends Endpoint>(path: string): Connection<E>;
  connection(path: string): unknown {
    const key = normalizePath(path);
    let entry = this.pool.get(key);
    if (!entry) {
      const created: PoolEntry = { connection: undefined!, refs: 0 };
      created.connection = new Connection<Endpoint>(key, this.options, () => this.releaseEntry(key, created), this.auth);
      this.pool.set(key, created);
      created.connection.connect();
      entry = created;
    }
    entry.refs++;
    return entry.connection;
  }

  /** Seed 001 rooms, `/api/v1/ws`. */
  rooms(): Connection<RoomsEndpoint> {
    return this.connection<RoomsEndpoint>(ROOMS_PATH);
  }

  /** Seed 000 chat, `/ws/channels/<id>/`, with `client_id`s and the `after_seq` backfill. */
  channel(channelId: string): Connection<ChannelsEndpoint> {
    return this.connection<ChannelsEndpoint>(channelPath(channelId));
  }

  /** Seed 000 documents (JSON endpoint), `/ws/documents/<id>/`. */
  document(documentId: string): Connection<DocumentsEndpoint> {
    return this.connection<DocumentsEndpoint>(documentPath(documentId));
  }

  notifications(): Connection<NotificationsEndpoint> {
    return this.connection<NotificationsEndpoint>(NOTIFICATIONS_PATH);
  }

  health(): Connection<HealthEndpoint> {
    return this.connection<HealthEndpoint>(HEALTH_WS_PATH);
  }

  /** Seed 003, `/ws/projects/<id>/tickets/` (pushes only). */
  projectTickets(projectId: string): Connection<ProjectTicketsEndpoint> {
    return this.connection<ProjectTicketsEndpoint>(projectTicketsPath(projectId));
  }

  /** Seed 003, `/ws/projects/<id>/presence/`. */
  projectPresence(projectId: string): Connection<ProjectPresenceEndpoint> {
    return this.connection<ProjectPresenceEndpoint>(projectPresencePath(projectId));
  }

  /** Seed 002, `/ws/blog/posts/<id>/`. */
  blogPost(postId: string): Connection<BlogPostEndpoint> {
    return this.connection<BlogPostEndpoint>(blogPostPath(postId));
  }

  /** Seed 002, `/ws/blog/comments/<id>/`. */
  blogComments(postId: string): Connection<BlogCommentsEndpoint> {
    return this.connection<BlogCommentsEndpoint>(blogCommentsPath(postId));
  }

  /** Seed 002, `/ws/analytics/dashboard/` (staff only). */
  analytics(): Connection<AnalyticsEndpoint> {
    return this.connection<AnalyticsEndpoint>(ANALYTICS_DASHBOARD_PATH);
  }

  /** Seed 004, `/ws/chat/<id>/`. */
  conversation(conversationId: string): Connection<ConversationsEndpoint> {
    return this.connection<ConversationsEndpoint>(conversationPath(conversationId));
  }

  /**
   * Seed 003's `subscribe(path, handler)`: takes a reference to the connection and
   * listens to one message type (or `'*'`). The returned function removes the
   * handler and gives the reference back (once, however often it is called).
   */
  subscribe(path: string, type: string, handler: (message: AnyEndpoint['server'][string]) => void): Unsubscribe {
    const connection = this.connection<AnyEndpoint>(path);
    const off = type === '*' ? connection.on('*', handler) : connection.on(type, handler);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      off();
      connection.release();
    };
  }

  /** Gives back one reference to the connection of `path`. */
  release(path: string): void {
    this.pool.get(normalizePath(path))?.connection.release();
  }

  /** Closes the connection of `path` whatever its reference count, and forgets it. */
  disconnect(path: string): void {
    const key = normalizePath(path);
    const entry = this.pool.get(key);
    if (!entry) return;
    this.pool.delete(key);
    entry.connection.disconnect();
  }

  disconnectAll(): void {
    for (const path of [...this.pool.keys()]) this.disconnect(path);
  }

  /** Paths with a pooled connection. */
  get paths(): string[] {
    return [...this.pool.keys()];
  }

  private releaseEntry(key: string, entry: PoolEntry): void {
    if (this.pool.get(key) !== entry) {
      // Already forgotten by disconnect(path): nothing is shared any more.
      entry.connection.disconnect();
      return;
    }
    if (--entry.refs > 0) return;
    this.pool.delete(key);
    entry.connection.disconnect();
  }
}
