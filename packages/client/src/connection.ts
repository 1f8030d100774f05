/**
 * One WebSocket endpoint (a path) with reconnection: the state machine's effects,
 * the handshake, the heartbeat, the offline queue, requests matched by `ref`, and
 * the chat backfill. Created and shared by `SwitchboardClient.connection(path)`.
 *
 * "Open" means the server confirmed the connection: right after the socket opens the
 * client sends a ping and waits for its pong. The server handles a connection's
 * messages only after authentication, `authorize` and `onConnect`, so the pong proves
 * all three passed; a token rejected with 4001 never shows up as `open`, and queued
 * messages are not written into a socket that is about to be refused.
 *
 * One timer per connection, used by one phase at a time: the connect timeout while
 * connecting, the backoff delay while waiting to reconnect, the heartbeat while open.
 *
 * Tokens: `getToken` when given, else the client's token (`ClientToken`). A
 * connection whose attempt began before the client's token was replaced sends the new
 * one as `refresh_token` once confirmed, so it does not close at the old one's expiry.
 */
import type { ErrorMessage } from '@switchboard/protocol';
import { ChannelBackfill } from './backfill.js';
import {
  isChannelPath,
  type AnyEndpoint,
  type Endpoint,
  type PayloadArgs,
  type ReplyOf,
  type ServerMessage,
  type ServerMessageOf,
} from './endpoints.js';
import { ConnectionClosedError, ConnectionLostError, RequestError, RequestTimeoutError } from './errors.js';
import { heartbeatStep } from './heartbeat.js';
import { Listeners, type Unsubscribe } from './listeners.js';
import type { ResolvedClientOptions } from './options.js';
import { Outbox, type Outgoing, type ReplyCallbacks } from './outbox.js';
import {
  INITIAL_MACHINE,
  transition,
  type ConnectionState,
  type GiveUpReason,
  type Machine,
  type MachineEvent,
} from './state-machine.js';
import { ClientToken } from './token.js';
import { SocketState, socketUrl, type CloseEventLike, type MessageEventLike, type WebSocketLike } from './transport.js';
import { newClientId } from './uuid.js';

/** Emitted on every state change. */
export interface StateChange {
  readonly state: ConnectionState;
  readonly previous: ConnectionState;
  /** The close code that caused the change (1006 when the client abandoned a dead or failed socket). */
  readonly code?: number;
  readonly reason?: string;
  /** Why the connection went to `closed`. */
  readonly gaveUp?: GiveUpReason;
}

/** Emitted when a reconnect attempt is scheduled. */
export interface RetryEvent {
  /** 1 for the first retry after a drop. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly code: number;
  readonly reason: string;
  /** The last close was 4001: `getToken` is asked for a fresh token. */
  readonly refreshToken: boolean;
}

export interface RequestOptions {
  /** Default: the client's `requestTimeoutMs`. Counted from the call, queued time included. */
  timeoutMs?: number;
}

/** Close code reported when the client abandons a socket itself (dead, timed out, failed). */
const ABNORMAL_CLOSE = 1006;
const CLIENT_DISCONNECT = { code: 1000, reason: 'Client disconnect' } as const;
/** Message types the server stores at most once per `client_id`, by endpoint. */
const CHANNEL_IDEMPOTENT_TYPES: ReadonlySet<string> = new Set(['message']);
const PING_FRAME = JSON.stringify({ type: 'ping' });

function noop(): void {}

function isServerMessage(value: unknown): value is ServerMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

export class Connection<E extends Endpoint = AnyEndpoint> {
  private machine: Machine = INITIAL_MACHINE;
  private socket: WebSocketLike | undefined;
  /** Bumped whenever a socket is abandoned, so late callbacks of an old socket or getToken are ignored. */
  private generation = 0;
  private timer: unknown;
  private handshakeRef: string | undefined;
  private lastActivityAt = 0;
  private pingSentAt: number | undefined;
  private lastClose: { code: number; reason: string } | undefined;
  /** `token.version` when the current attempt read its token. */
  private tokenVersion = 0;
  private refCounter = 0;
  private readonly outbox: Outbox;
  private readonly listeners = new Listeners();
  private readonly backfill: ChannelBackfill | undefined;
  private readonly idempotentTypes: ReadonlySet<string>;

  constructor(
    readonly path: string,
    private readonly options: ResolvedClientOptions,
    /** Set by the pool; a connection made without one closes on release. */
    private readonly onRelease?: () => void,
    /** The client's token, shared by its connections. */
    private readonly token = new ClientToken(options.token),
  ) {
    this.outbox = new Outbox(options.maxQueuedMessages);
    const channel = isChannelPath(path);
    this.backfill = channel ? new ChannelBackfill() : undefined;
    this.idempotentTypes = channel ? CHANNEL_IDEMPOTENT_TYPES : new Set();
  }

  get state(): ConnectionState {
    return this.machine.state;
  }

  /** Messages waiting in the offline queue. */
  get queued(): number {
    return this.outbox.queued;
  }

  /**
   * Chat channels: the highest `seq` seen, from `message` events, the application's
   * own `history` requests (newest page or `after_seq`) or `seedLastSeq` (0: none yet).
   */
  get lastSeq(): number | undefined {
    return this.backfill?.lastSeq;
  }

  /**
   * Chat channels: the application already has every message up to `seq` (from REST,
   * a cache, an earlier connection), so the next (re)connect fetches what follows.
   * Never lowers the position; `seedLastSeq(0)` on an empty channel fetches everything.
   */
  seedLastSeq(seq: number): void {
    if (!this.backfill) throw new TypeError(`seedLastSeq: ${this.path} is not a chat channel`);
    this.backfill.seed(seq);
  }

  // ---- lifecycle ----

  /** Connects from `closed` (a pooled connection is connected already); no effect otherwise. */
  connect(): void {
    const previous = this.machine.state;
    this.machine = transition(this.machine, { type: 'connect' }, this.options.reconnect).machine;
    if (this.machine.state === previous) return;
    this.emitState({ state: this.machine.state, previous });
    void this.openSocket(false);
  }

  /**
   * Closes now with 1000 and stays closed. Queued messages are discarded and pending
   * requests reject with `ConnectionClosedError`.
   */
  disconnect(): void {
    if (this.machine.state === 'closed') return;
    this.abandonSocket(CLIENT_DISCONNECT.code, CLIENT_DISCONNECT.reason);
    this.apply({ type: 'disconnect' }, CLIENT_DISCONNECT.code, CLIENT_DISCONNECT.reason);
  }

  /** Gives back this subscriber's share of a pooled connection; the last one closes it. */
  release(): void {
    if (this.onRelease) this.onRelease();
    else this.disconnect();
  }

  // ---- listeners ----

  /** State changes: `connecting | open | reconnecting | closed`. */
  on(type: 'state', handler: (change: StateChange) => void): Unsubscribe;
  /** A reconnect attempt was scheduled. */
  on(type: 'retry', handler: (retry: RetryEvent) => void): Unsubscribe;
  /** Every server message. */
  on(type: '*', handler: (message: ServerMessageOf<E>) => void): Unsubscribe;
  /** Server messages of one `type`. */
  on<K extends keyof E['server'] & string>(type: K, handler: (message: E['server'][K]) => void): Unsubscribe;
  on(type: string, handler: (value: never) => void): Unsubscribe {
    if (type === 'state' || type === 'retry' || type === '*') return this.listeners.add(type, handler);
    return this.listeners.add(`message:${type}`, handler);
  }

  // ---- sending ----

  /**
   * Sends `refresh_token` when open, so the server keeps the connection past the old
   * token's expiry; resolves with the new `exp` (seconds since the epoch). Resolves
   * with undefined when not open, or when the socket dropped before the answer (a new
   * connection authenticates afresh). Rejects with `RequestError` when the server
   * refuses the token. The reply is not dispatched to handlers.
   */
  refreshToken(token: string, options?: RequestOptions): Promise<number | undefined> {
    if (this.machine.state !== 'open') return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.track('refresh_token', { token }, options?.timeoutMs, true, {
        resolve: (reply) => resolve(reply.exp as number), // a `token_refreshed`
        reject: (error) => {
          if (error instanceof ConnectionLostError || error instanceof ConnectionClosedError) resolve(undefined);
          else reject(error);
        },
      });
    });
  }

  /**
   * Sends `{type, ...payload, ref}` and returns the `ref`. While not open the message
   * is queued (flushed in order on open); a full queue throws `SendQueueFullError`,
   * a closed connection `ConnectionClosedError`.
   */
  send<K extends keyof E['client'] & string>(type: K, ...[payload]: PayloadArgs<E['client'][K]>): string {
    const entry = this.prepare(type, payload);
    this.dispatch(entry);
    return entry.ref;
  }

  /**
   * Sends like `send` and resolves with the server's message carrying the same `ref`;
   * rejects with `RequestError` when that message is an `error`, `RequestTimeoutError`,
   * or `ConnectionLostError` when the socket dropped after sending and before the reply.
   */
  request<K extends keyof E['client'] & string>(
    type: K,
    ...args: [...PayloadArgs<E['client'][K]>, RequestOptions?]
  ): Promise<ReplyOf<E, K>> {
    const [payload, options] = args as unknown[] as [unknown, RequestOptions | undefined];
    return new Promise((resolve, reject) => {
      this.track(type, payload, options?.timeoutMs, false, {
        resolve: (reply) => resolve(reply as ReplyOf<E, K>),
        reject,
      });
    });
  }

  private prepare(type: string, payload: unknown, reply?: ReplyCallbacks, internal = false): Outgoing {
    const ref = `c${++this.refCounter}`;
    const fields: Record<string, unknown> = typeof payload === 'object' && payload !== null ? { ...payload } : {};
    const idempotent = this.idempotentTypes.has(type);
    // The server stores a chat message once per client_id, so a resend after a reconnect is safe.
    if (idempotent && typeof fields.client_id !== 'string') fields.client_id = newClientId();
    if (this.backfill && type === 'history' && !internal) this.backfill.query(ref, fields);
    const frame = JSON.stringify({ ...fields, type, ref });
    return { type, ref, frame, idempotent, ...(reply ? { reply } : {}), ...(internal ? { internal } : {}) };
  }

  /** Writes now when open, else queues. */
  private dispatch(entry: Outgoing): void {
    if (this.machine.state === 'closed') {
      throw new ConnectionClosedError(this.path, this.lastClose?.code, this.lastClose?.reason);
    }
    if (this.machine.state === 'open' && this.socket?.readyState === SocketState.Open) this.write(entry);
    else this.outbox.enqueue(entry);
  }

  private write(entry: Outgoing): void {
    this.socket!.send(entry.frame);
    this.outbox.written(entry);
  }

  /** A request with a timeout counted from now; `internal` replies are not dispatched to handlers. */
  private track(type: string, payload: unknown, timeoutMs: number | undefined, internal: boolean, callbacks: ReplyCallbacks): void {
    const { timers } = this.options;
    const limit = timeoutMs ?? this.options.requestTimeoutMs;
    let timer: unknown;
    const reply: ReplyCallbacks = {
      resolve: (message) => {
        timers.clearTimeout(timer);
        callbacks.resolve(message);
      },
      reject: (error) => {
        timers.clearTimeout(timer);
        callbacks.reject(error);
      },
    };
    const entry = this.prepare(type, payload, reply, internal);
    try {
      this.dispatch(entry);
    } catch (error) {
      callbacks.reject(error as Error);
      return;
    }
    timer = timers.setTimeout(() => {
      const removed = this.outbox.remove(entry.ref);
      if (removed) callbacks.reject(new RequestTimeoutError(type, limit, removed.written));
    }, limit);
  }

  // ---- socket ----

  private async openSocket(refreshToken: boolean): Promise<void> {
    const generation = ++this.generation;
    this.setTimer(this.options.connectTimeoutMs, () => this.abandon(generation, 'Connect timeout'));
    const { getToken } = this.options;
    const tokenVersion = this.token.version;
    let token: string | null | undefined;
    try {
      token = await (getToken ? getToken({ path: this.path, refresh: refreshToken }) : this.token.value);
    } catch {
      if (generation === this.generation) this.socketClosed(generation, ABNORMAL_CLOSE, 'getToken failed');
      return;
    }
    if (generation !== this.generation) return;
    this.tokenVersion = tokenVersion;
    let socket: WebSocketLike;
    try {
      socket = new this.options.WebSocket(socketUrl(this.options.baseUrl, this.path, token));
    } catch {
      this.socketClosed(generation, ABNORMAL_CLOSE, 'WebSocket constructor failed');
      return;
    }
    this.socket = socket;
    socket.onopen = () => this.socketOpened(generation);
    socket.onmessage = (event: MessageEventLike) => this.received(generation, event.data);
    socket.onclose = (event: CloseEventLike) => this.socketClosed(generation, event.code, event.reason);
    // Every error is followed by a close event, where it is handled.
    socket.onerror = noop;
  }

  private socketOpened(generation: number): void {
    if (generation !== this.generation) return;
    this.handshakeRef = `c${++this.refCounter}`;
    this.socket!.send(JSON.stringify({ type: 'ping', ref: this.handshakeRef }));
  }

  private received(generation: number, data: unknown): void {
    // Binary frames are not part of the JSON protocol; invalid JSON is ignored.
    if (generation !== this.generation || typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (!isServerMessage(message)) return;
    this.lastActivityAt = this.options.timers.now();
    this.pingSentAt = undefined;
    if (typeof message.ref === 'string') {
      if (message.ref === this.handshakeRef) {
        this.handshakeRef = undefined;
        this.confirmed(generation);
        return;
      }
      const entry = this.outbox.answered(message.ref);
      if (entry?.reply) {
        if (message.type === 'error') entry.reply.reject(new RequestError(message as unknown as ErrorMessage));
        else entry.reply.resolve(message);
      }
      if (entry?.internal) return;
    }
    this.deliver(message);
  }

  private deliver(message: ServerMessage): void {
    if (this.backfill && message.type === 'message') {
      for (const chat of this.backfill.live(message)) this.emitMessage(chat);
      return;
    }
    if (this.backfill && message.type === 'history') this.backfill.observe(message);
    this.emitMessage(message);
  }

  private emitMessage(message: ServerMessage): void {
    this.listeners.emit(`message:${message.type}`, message);
    this.listeners.emit('*', message);
  }

  /**
   * The handshake pong arrived. Order: the `open` listeners (what they send, e.g.
   * re-joining rooms, goes out first), a token refresh, the backfill request, then
   * the queue.
   */
  private confirmed(generation: number): void {
    this.clearTimer();
    this.lastActivityAt = this.options.timers.now();
    this.scheduleHeartbeat(generation);
    this.apply({ type: 'confirmed' });
    if (generation !== this.generation || this.machine.state !== 'open') return;
    const { value, version } = this.token;
    // Authenticated with a token older than the client's. If refused, it closes 4001 at expiry and retries.
    if (version > this.tokenVersion && value) this.refreshToken(value).catch(noop);
    if (this.backfill?.known) {
      this.backfill.begin();
      this.fetchMissed(generation);
    }
    this.flushQueue();
  }

  private flushQueue(): void {
    // Writing never closes a socket synchronously, so the whole queue goes out on this one.
    for (const entry of this.outbox.drain()) this.write(entry);
  }

  /** Pages through `history {after_seq}` until `has_more` is false. */
  private fetchMissed(generation: number): void {
    const backfill = this.backfill!;
    this.track('history', { after_seq: backfill.cursor, limit: this.options.backfillPageSize }, undefined, true, {
      resolve: (reply) => {
        if (generation !== this.generation) return;
        const { deliver, done } = backfill.page(reply);
        for (const message of deliver) this.emitMessage(message);
        if (!done) this.fetchMissed(generation);
      },
      // Delivering live messages now would hide the gap: start over on a new connection.
      reject: () => this.abandon(generation, 'Backfill failed'),
    });
  }

  private socketClosed(generation: number, code: number, reason: string): void {
    if (generation !== this.generation) return;
    this.abandonSocket();
    this.apply({ type: 'closed', code }, code, reason);
  }

  /** Gives up on a socket without waiting for its closing handshake (it may be dead). */
  private abandon(generation: number, reason: string): void {
    if (generation !== this.generation) return;
    this.socketClosed(generation, ABNORMAL_CLOSE, reason);
  }

  /** Detaches the current socket, closes it if still live, and settles what it left behind. */
  private abandonSocket(code?: number, reason?: string): void {
    this.generation++;
    this.clearTimer();
    this.handshakeRef = undefined;
    this.pingSentAt = undefined;
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.onopen = noop;
      socket.onmessage = noop;
      socket.onclose = noop;
      socket.onerror = noop;
      if (socket.readyState === SocketState.Connecting || socket.readyState === SocketState.Open) {
        if (code === undefined && socket.terminate) socket.terminate();
        else socket.close(code, reason);
      }
    }
    this.backfill?.abort();
    for (const entry of this.outbox.connectionLost()) entry.reply?.reject(new ConnectionLostError(entry.type));
  }

  // ---- state machine effects ----

  private apply(event: MachineEvent, code?: number, reason?: string): void {
    const previous = this.machine.state;
    const result = transition(this.machine, event, this.options.reconnect, this.options.random);
    this.machine = result.machine;
    if (code !== undefined) this.lastClose = { code, reason: reason ?? '' };
    const { retry, gaveUp } = result;
    if (gaveUp) {
      const error = new ConnectionClosedError(this.path, code, reason);
      for (const entry of this.outbox.clear()) entry.reply?.reject(error);
    }
    const generation = this.generation;
    if (retry) {
      this.setTimer(retry.delayMs, () => {
        if (generation === this.generation) void this.openSocket(retry.refreshToken);
      });
    }
    if (this.machine.state !== previous) {
      this.emitState({
        state: this.machine.state,
        previous,
        ...(code !== undefined ? { code, reason: reason ?? '' } : {}),
        ...(gaveUp ? { gaveUp } : {}),
      });
    }
    // A state listener may have disconnected: then there is no retry to announce.
    if (retry && generation === this.generation) {
      this.listeners.emit('retry', { ...retry, code: code ?? ABNORMAL_CLOSE, reason: reason ?? '' } satisfies RetryEvent);
    }
  }

  private emitState(change: StateChange): void {
    this.listeners.emit('state', change);
  }

  // ---- the one timer ----

  private scheduleHeartbeat(generation: number, delayMs?: number): void {
    const heartbeat = this.options.heartbeat;
    if (!heartbeat) return;
    this.setTimer(delayMs ?? heartbeat.pingIntervalMs, () => {
      if (generation !== this.generation) return;
      const now = this.options.timers.now();
      const step = heartbeatStep(now, this.lastActivityAt, this.pingSentAt, heartbeat);
      if (step.action === 'dead') {
        this.abandon(generation, 'Heartbeat timeout');
        return;
      }
      if (step.action === 'ping') {
        this.socket?.send(PING_FRAME);
        this.pingSentAt = now;
      }
      this.scheduleHeartbeat(generation, step.nextCheckMs);
    });
  }

  private setTimer(delayMs: number, callback: () => void): void {
    this.clearTimer();
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = undefined;
      callback();
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer === undefined) return;
    this.options.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
