/**
 * Consumer: the application side of a connection, one instance per socket, like a
 * Django Channels consumer but typed. Lifecycle: authorize → onConnect →
 * handlers per message type → onDisconnect.
 *
 * Subclasses declare `static handlers = { type: on(schema, (consumer, payload, ref) => …) }`.
 * The base class owns the envelope (PROTOCOL.md §1): JSON parsing, `type`, `ref` echo,
 * payload = top-level fields merged with `data`, forbidden keys, schema validation,
 * rate limiting, the malformed-message limit, `ping`, `refresh_token`, and one
 * message at a time per connection, in order.
 */
import {
  CloseCode,
  CloseReason,
  ErrorCode,
  MAX_REF_LENGTH,
  errorCodeInfo,
  findForbiddenKey,
  type Schema,
} from '@switchboard/protocol';
import { Connection, ConnectionState, type ConnectionInit } from './connection.js';
import { compactAdd, compactDelete, compactHas } from './compact-set.js';
import { ClientError } from './errors.js';
import { encodeMessage } from './frame.js';
import { countMalformed, takeToken } from './limits.js';

export interface MessageHandler<C, P> {
  readonly schema: Schema<P>;
  // Method syntax on purpose: tables of handlers with different payload types unify.
  handle(consumer: C, payload: P, ref: string | undefined): void | Promise<void>;
}

export type HandlerTable<C> = Readonly<Record<string, MessageHandler<C, unknown>>>;

/** Declares the handler of one message type with the schema its payload must pass. */
export function on<C, P>(
  schema: Schema<P>,
  handle: (consumer: C, payload: P, ref: string | undefined) => void | Promise<void>,
): MessageHandler<C, P> {
  return { schema, handle };
}

type OutgoingMessage = { type: string; [key: string]: unknown };

/** Inbox depth at which the socket is paused until the queue drains (TCP backpressure). */
const INBOX_PAUSE_DEPTH = 32;
/** Cheap pre-check before the full scan; `\\u` because JSON escapes can spell any key. */
const FORBIDDEN_KEY_HINT = /__proto__|constructor|prototype|\\u/;

interface QueuedFrame {
  data: Buffer;
  isBinary: boolean;
}

/** Binary protocols (Yjs) send many small frames per keystroke: a larger budget. */
const BINARY_RATE_MULTIPLIER = 5;

export abstract class Consumer extends Connection {
  static handlers: HandlerTable<Consumer> = {};
  /**
   * True for endpoints whose clients speak a binary protocol and cannot parse JSON error
   * frames: over-limit frames are dropped without a reply, and the budget is larger.
   */
  static binaryProtocol = false;
  /** The `type` of a client message that has none (seed 004 sends bare `{message}`); undefined: refused. */
  static defaultType: string | undefined = undefined;

  /** Frames waiting while connecting or while an async handler runs; undefined when idle. */
  private inbox: QueuedFrame[] | undefined = [];
  /** Set once onConnect has started, so onDisconnect runs only for connected consumers. */
  connectStarted = false;

  constructor(init: ConnectionInit) {
    super(init);
  }

  // ---- lifecycle hooks (override) ----

  /** Return false to close with 4003 (no access, or the resource does not exist). */
  authorize(): boolean | Promise<boolean> {
    return true;
  }

  onConnect(): void | Promise<void> {}

  onDisconnect(_code: number): void | Promise<void> {}

  /** Binary frames; endpoints that speak a binary protocol (Yjs) override this. */
  onBinary(_data: Buffer, ref?: string): void | Promise<void> {
    this.malformed(ErrorCode.InvalidJson, 'Binary frames are not accepted on this endpoint', ref);
  }

  // ---- helpers for subclasses ----

  send(message: OutgoingMessage, ref?: string): void {
    this.deliver(encodeMessage(ref === undefined ? message : { ...message, ref }));
  }

  sendError(code: ErrorCode, message: string, ref?: string): void {
    this.host.stats.countError(code);
    this.send({ type: 'error', message, code }, ref);
  }

  async join(group: string): Promise<void> {
    this.groups = compactAdd(this.groups, group);
    await this.host.layer.groupAdd(group, this);
  }

  async leave(group: string): Promise<void> {
    if (!compactHas(this.groups, group)) return;
    this.groups = compactDelete(this.groups, group);
    await this.host.layer.groupDiscard(group, this);
  }

  /**
   * Encodes once and sends to every member of `group`. `except: 'self'` skips this
   * connection, `'user'` every connection of this user. With a `ref`, this connection
   * gets its own copy carrying the ref and the shared frame goes to everyone else.
   */
  broadcast(group: string, message: OutgoingMessage, options: { except?: 'self' | 'user'; ref?: string } = {}): Promise<void> {
    const frame = encodeMessage(message);
    const layer = this.host.layer;
    // A failed cross-instance hop does not reject here: the server's layer logs and
    // counts it (see core/fanout.ts).
    if (options.except === 'user') return layer.groupSend(group, frame, { exceptUser: this.user.id });
    if (options.except === 'self') return layer.groupSend(group, frame, { except: this });
    if (options.ref === undefined) return layer.groupSend(group, frame);
    this.send(message, options.ref);
    return layer.groupSend(group, frame, { except: this });
  }

  // ---- receive pipeline (called by the server) ----

  /** Entry point for every frame from the client. */
  receive(data: Buffer, isBinary: boolean): void {
    const now = Date.now();
    this.lastSeenAt = now;
    this.host.stats.messagesIn++;
    if (this.state !== ConnectionState.Open && this.state !== ConnectionState.Connecting) return;
    const binary = (this.constructor as typeof Consumer).binaryProtocol;
    const verdict = takeToken(this, this.host.options, now, binary ? BINARY_RATE_MULTIPLIER : 1);
    if (verdict === 'abuse') {
      this.close(CloseCode.PolicyViolation, CloseReason.RateLimitAbuse);
      return;
    }
    if (verdict === 'limited') {
      if (binary) this.host.stats.countError(ErrorCode.RateLimited);
      else this.sendError(ErrorCode.RateLimited, 'Rate limit exceeded: message dropped');
      return;
    }
    if (this.inbox !== undefined) {
      this.inbox.push({ data, isBinary });
      if (!this.paused && this.inbox.length >= INBOX_PAUSE_DEPTH) {
        this.paused = true;
        this.ws.pause();
      }
      return;
    }
    this.process(data, isBinary);
  }

  /** Called by the server once onConnect has finished: starts handling queued frames. */
  markOpen(): void {
    this.state = ConnectionState.Open;
    this.drainInbox();
  }

  private process(data: Buffer, isBinary: boolean): void {
    let result: void | Promise<void>;
    try {
      result = isBinary ? this.onBinary(data) : this.dispatch(data);
    } catch (error) {
      this.handlerFailed(error, undefined);
      return;
    }
    if (result !== undefined) {
      this.inbox = [];
      result.then(
        () => this.drainInbox(),
        (error: unknown) => {
          this.handlerFailed(error, undefined);
          this.drainInbox();
        },
      );
    }
  }

  private drainInbox(): void {
    const queue = this.inbox;
    this.inbox = undefined;
    if (queue) {
      for (let i = 0; i < queue.length; i++) {
        if (this.state !== ConnectionState.Open) return;
        const frame = queue[i]!;
        this.process(frame.data, frame.isBinary);
        if (this.inbox !== undefined) {
          // An async handler started: keep the rest, in order, behind it.
          (this.inbox as QueuedFrame[]).push(...queue.slice(i + 1));
          return;
        }
      }
    }
    if (this.paused && this.state === ConnectionState.Open) {
      this.paused = false;
      this.ws.resume();
    }
  }

  private dispatch(data: Buffer): void | Promise<void> {
    const text = data.toString('utf8');
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return this.malformed(ErrorCode.InvalidJson, 'Invalid JSON');
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return this.malformed(ErrorCode.InvalidPayload, 'Message must be a JSON object');
    }
    const fields = message as Record<string, unknown>;
    const rawRef = fields.ref;
    if (rawRef !== undefined && (typeof rawRef !== 'string' || rawRef.length > MAX_REF_LENGTH)) {
      return this.malformed(ErrorCode.InvalidPayload, `ref must be a string of at most ${MAX_REF_LENGTH} characters`);
    }
    const ref = rawRef as string | undefined;
    const type = fields.type === undefined ? (this.constructor as typeof Consumer).defaultType : fields.type;
    if (typeof type !== 'string' || type === '') {
      return this.malformed(ErrorCode.InvalidPayload, 'type must be a non-empty string', ref);
    }
    if (FORBIDDEN_KEY_HINT.test(text)) {
      const key = findForbiddenKey(message);
      if (key) return this.malformed(ErrorCode.InvalidPayload, `Forbidden key: ${key}`, ref);
    }
    if (type === 'ping') {
      this.send(fields.timestamp === undefined ? { type: 'pong' } : { type: 'pong', client_timestamp: fields.timestamp }, ref);
      return;
    }
    const payload = payloadOf(fields);
    if (type === 'refresh_token') return this.refreshToken(payload.token, ref);
    const table = (this.constructor as typeof Consumer).handlers;
    const handler = Object.hasOwn(table, type) ? table[type] : undefined;
    if (!handler) return this.malformed(ErrorCode.UnknownType, `Unknown message type: ${type}`, ref);
    const invalid = handler.schema.check(payload, '');
    if (invalid !== undefined) return this.malformed(ErrorCode.InvalidPayload, invalid, ref);
    let result: void | Promise<void>;
    try {
      result = handler.handle(this, payload, ref);
    } catch (error) {
      return this.handlerFailed(error, ref);
    }
    if (result === undefined) return;
    return result.catch((error: unknown) => this.handlerFailed(error, ref));
  }

  /** Replies with an error and counts it towards the malformed limit (close 4002). */
  protected malformed(code: ErrorCode, message: string, ref?: string): void {
    this.sendError(code, message, ref);
    if (errorCodeInfo(code).malformed) this.noteMalformed();
  }

  /**
   * Counts a malformed message without replying (binary protocols have no error frame)
   * and closes with 4002 once over the limit.
   */
  protected noteMalformed(): void {
    if (countMalformed(this, this.host.options, Date.now())) {
      this.close(CloseCode.MalformedMessages, CloseReason.TooManyMalformed);
    }
  }

  private handlerFailed(error: unknown, ref: string | undefined): void {
    if (error instanceof ClientError) {
      if (errorCodeInfo(error.code).malformed) this.malformed(error.code, error.message, ref);
      else this.sendError(error.code, error.message, ref);
      return;
    }
    this.host.logger.error({ err: error, connection: this.id, route: this.route }, 'handler failed');
    this.sendError(ErrorCode.InternalError, 'Internal error: the message was not processed', ref);
  }

  private async refreshToken(token: unknown, ref: string | undefined): Promise<void> {
    if (typeof token !== 'string' || token === '') {
      return this.malformed(ErrorCode.InvalidPayload, 'token: is required', ref);
    }
    const result = await this.host.verifyToken(token);
    if (!result.ok) {
      this.sendError(ErrorCode.Unauthenticated, 'Invalid token', ref);
      return;
    }
    if (result.user.id !== this.user.id) {
      this.sendError(ErrorCode.Forbidden, 'Token belongs to another user', ref);
      return;
    }
    if (result.user.exp > this.user.exp) {
      this.user = { ...result.user, name: this.user.name };
      this.host.rescheduleExpiry(this);
    }
    this.send({ type: 'token_refreshed', exp: this.user.exp }, ref);
  }
}

/** The message minus `type`/`ref`, with the fields of `data` merged in when it is an object. */
export function payloadOf(message: Record<string, unknown>): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const key of Object.keys(message)) {
    if (key !== 'type' && key !== 'ref' && key !== 'data') payload[key] = message[key];
  }
  const data = message.data;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) Object.assign(payload, data);
  else if (data !== undefined) payload.data = data;
  return payload;
}
