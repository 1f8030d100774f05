/**
 * SwitchboardClient: one pooled, reference-counted connection per path, shared by
 * every subscriber of that path (seed 003's WebSocket service: connect, send,
 * subscribe, disconnect, disconnectAll, connection pooling).
 */
import { HEALTH_WS_PATH, NOTIFICATIONS_PATH, ROOMS_PATH, channelPath, documentPath } from '@switchboard/protocol';
import { Connection } from './connection.js';
import type {
  AnyEndpoint,
  ChannelsEndpoint,
  DocumentsEndpoint,
  Endpoint,
  EndpointOf,
  HealthEndpoint,
  NotificationsEndpoint,
  RoomsEndpoint,
} from './endpoints.js';
import type { Unsubscribe } from './listeners.js';
import { resolveClientOptions, type ClientOptions, type ResolvedClientOptions } from './options.js';
import { normalizePath } from './transport.js';

interface PoolEntry {
  connection: Connection<Endpoint>;
  refs: number;
}

export class SwitchboardClient {
  readonly options: ResolvedClientOptions;
  private readonly pool = new Map<string, PoolEntry>();

  constructor(options: ClientOptions = {}) {
    this.options = resolveClientOptions(options);
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
      created.connection = new Connection<Endpoint>(key, this.options, () => this.releaseEntry(key, created));
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
