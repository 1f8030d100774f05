/**
 * Transport state of one WebSocket connection: batched writes of pre-encoded frames,
 * the slow-consumer cut, liveness and limits bookkeeping, closing. Consumer (the
 * application side) extends this, so each connection is a single compact object with
 * no timers and no per-connection closures.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { CloseCode, CloseReason } from '@switchboard/protocol';
import type { AuthUser } from './auth.js';
import type { ServerContext } from './context.js';
import type { CompactSet } from './compact-set.js';
import { scheduleFlush, type BatchedWriter } from './write-batch.js';
import type { LayerMember } from '../layer/types.js';

export interface ConnectionInit {
  readonly ws: WebSocket;
  /** The raw socket handed to the upgrade: frames are written to it directly. */
  readonly socket: Duplex;
  readonly user: AuthUser;
  readonly host: ServerContext;
  /** The route pattern this connection matched (e.g. `/ws/channels/:id/`). */
  readonly route: string;
  readonly params: Record<string, string>;
}

let nextConnectionId = 1;

export const ConnectionState = { Connecting: 0, Open: 1, Closing: 2, Closed: 3 } as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

export class Connection implements LayerMember, BatchedWriter {
  readonly id = nextConnectionId++;
  readonly ws: WebSocket;
  readonly socket: Duplex;
  readonly host: ServerContext;
  readonly route: string;
  readonly params: Record<string, string>;
  user: AuthUser;
  state: ConnectionState = ConnectionState.Connecting;
  /** Last time anything (message or pong) came from the client, ms since epoch. */
  lastSeenAt = Date.now();
  /** Expiry second under which ExpiryTracker filed this connection; 0 when not filed. */
  expiryBucket = 0;
  /** True once 'open' listeners were told, so 'close' listeners hear of exactly those. */
  announced = false;
  /** The connect sequence (authorize → onConnect) while it runs; cleared when done. */
  opening: Promise<void> | undefined;
  /** Groups this connection joined, left automatically on close. */
  groups: CompactSet<string>;

  /** True while reading is paused (connecting, or a backlog of async handlers). */
  paused = true;
  /** The upgrade response sits corked in the socket until the first flush (see holdHandshake). */
  private handshakeHeld = false;
  private pending: Buffer | Buffer[] | undefined;
  private pendingBytes = 0;

  // Rate limiting (token bucket) and malformed-message counting: see limits.ts.
  rateTokens: number;
  rateRefilledAt = Date.now();
  rateExcessSince = 0;
  rateRejectedAt = 0;
  malformedCount = 0;
  malformedWindowStart = 0;

  constructor(init: ConnectionInit) {
    this.ws = init.ws;
    this.socket = init.socket;
    this.user = init.user;
    this.host = init.host;
    this.route = init.route;
    this.params = init.params;
    this.rateTokens = init.host.options.rateLimitBurst;
  }

  get userId(): string {
    return this.user.id;
  }

  get isOpen(): boolean {
    return this.state === ConnectionState.Open || this.state === ConnectionState.Connecting;
  }

  /** Queues a complete frame; written with everything else queued this turn. */
  deliver(frame: Buffer): void {
    if (!this.isOpen) return;
    if (this.overflows(frame.length)) {
      this.cutSlowConsumer();
      return;
    }
    if (this.pending === undefined) {
      this.pending = frame;
      // holdHandshake already scheduled this turn's flush.
      if (!this.handshakeHeld) scheduleFlush(this);
    } else if (Array.isArray(this.pending)) {
      this.pending.push(frame);
    } else {
      this.pending = [this.pending, frame];
    }
    this.pendingBytes += frame.length;
  }

  /** Whether `bytes` more would pass the send-buffer limit (socket plus this turn's queue). */
  private overflows(bytes: number): boolean {
    return this.socket.writableLength + this.pendingBytes + bytes > this.host.options.maxBufferedBytes;
  }

  /**
   * Called with the socket corked around the upgrade: the 101 response then leaves
   * together with the frames queued while connecting (the welcome), one write instead
   * of two — a syscall is a large share of a connect. Flushed this turn at the latest.
   */
  holdHandshake(): void {
    this.handshakeHeld = true;
    scheduleFlush(this);
  }

  flushPending(): void {
    const pending = this.pending;
    if (pending !== undefined) {
      this.pending = undefined;
      const bytes = this.pendingBytes;
      this.pendingBytes = 0;
      if (this.state !== ConnectionState.Closed && !this.socket.destroyed) this.write(pending, bytes);
    }
    if (this.handshakeHeld) {
      this.handshakeHeld = false;
      this.socket.uncork();
    }
  }

  private write(pending: Buffer | Buffer[], bytes: number): void {
    const stats = this.host.stats;
    stats.bytesOut += bytes;
    if (Array.isArray(pending)) {
      stats.messagesOut += pending.length;
      this.socket.cork();
      for (let i = 0; i < pending.length; i++) this.socket.write(pending[i]!);
      this.socket.uncork();
    } else {
      stats.messagesOut++;
      this.socket.write(pending);
    }
  }

  /**
   * Answers a protocol-level ping. ws's own autoPong is off because it keeps a closure
   * per connection; the pong is refused, like any frame, to a client that stops reading.
   */
  answerPing(data: Buffer): void {
    if (!this.isOpen) return;
    this.lastSeenAt = Date.now();
    if (this.overflows(data.length)) {
      this.cutSlowConsumer();
      return;
    }
    this.ws.pong(data, false);
  }

  private cutSlowConsumer(): void {
    // Drop what is queued: the point is to stop growing memory for this client.
    this.pending = undefined;
    this.pendingBytes = 0;
    this.host.logger.warn({ connection: this.id, user: this.user.id }, 'slow consumer cut');
    this.close(CloseCode.SlowConsumer, CloseReason.SlowConsumer, false);
  }

  /**
   * Sends queued frames (unless `flush` is false), then a close frame. Idempotent.
   */
  close(code: number, reason: string, flush = true): void {
    if (this.state === ConnectionState.Closing || this.state === ConnectionState.Closed) return;
    if (flush) this.flushPending();
    this.state = ConnectionState.Closing;
    this.host.stats.countClose(code);
    // Read again, or the peer's close frame is never seen and the handshake stalls.
    if (this.paused) {
      this.paused = false;
      this.ws.resume();
    }
    this.ws.close(code, reason);
  }

  /** Drops the connection without a close handshake (dead peer). */
  terminate(): void {
    if (this.state === ConnectionState.Closed) return;
    this.state = ConnectionState.Closing;
    this.ws.terminate();
  }
}
