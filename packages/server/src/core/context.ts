/**
 * The services a server lends to every connection and app: the public core API that
 * library users write their own consumers and routes against.
 */
import type { Logger } from 'pino';
import type { VerifyResult } from './auth.js';
import type { Connection } from './connection.js';
import type { ResolvedOptions } from './options.js';
import type { ServerStats } from './stats.js';
import type { TokenIssuer } from './tokens.js';
import type { ChannelLayer } from '../layer/types.js';
import type { Presence } from '../presence/types.js';
import type { Store } from '../store/store.js';

/** A connection's lifecycle as apps see it (e.g. to keep connection records). */
export interface ConnectionEvent {
  readonly connectionId: number;
  readonly userId: string;
  /** The route pattern, e.g. `/ws/channels/:id/`. */
  readonly route: string;
  readonly params: Readonly<Record<string, string>>;
  readonly at: Date;
  /** Close code, on close only. */
  readonly code?: number;
}

export type ConnectionListener = (event: ConnectionEvent) => void;

export interface ServerContext {
  readonly options: ResolvedOptions;
  readonly stats: ServerStats;
  readonly logger: Logger;
  /** Tolerant: groupSend and sendToUser never reject (a failed cross-instance hop is logged; see fanout.ts). */
  readonly layer: ChannelLayer;
  readonly presence: Presence;
  readonly store: Store;
  readonly tokens: TokenIssuer;
  verifyToken(token: string): Promise<VerifyResult>;
  /** Live WebSocket connections on this instance. */
  connectionCount(): number;
  /** Re-files a connection under its (new) token expiry after `refresh_token`. */
  rescheduleExpiry(connection: Connection): void;
  /**
   * Observes connections once open (after onConnect) and once closed. Listeners run
   * synchronously on the connect path: keep them O(1) and defer any I/O.
   */
  onConnectionEvent(kind: 'open' | 'close', listener: ConnectionListener): () => void;
  /** Closes every connection of a user on this instance (logout, account removal). */
  closeUserConnections(userId: string, code: number, reason: string): number;
  /** Closes the user's connections on every instance; resolves with how many were on this one. */
  closeUserConnectionsEverywhere(userId: string, code: number, reason: string): Promise<number>;
}

/** Presence topic holding every live connection (per-user limit, online counts). */
export const CONNECTIONS_TOPIC = 'connections';
