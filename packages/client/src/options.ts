/** Client options: defaults applied and validated once, then frozen. Units are in the names. */
import { MAX_CHANNEL_HISTORY_LIMIT } from '@switchboard/protocol';
import { DEFAULT_HEARTBEAT, type HeartbeatOptions } from './heartbeat.js';
import { DEFAULT_RECONNECT, type ReconnectOptions } from './state-machine.js';
import { globalWebSocket, resolveBaseUrl, systemTimers, type Timers, type WebSocketConstructor } from './transport.js';

export interface TokenRequest {
  /** The endpoint being connected to. */
  readonly path: string;
  /** True after the server closed with 4001: the last token was rejected, get a fresh one. */
  readonly refresh: boolean;
}

/** Returns the access token for the next connection attempt (nothing: connect without one). */
export type GetToken = (request: TokenRequest) => string | null | undefined | Promise<string | null | undefined>;

export interface ClientOptions {
  /** Server base URL, `ws(s)://` or `http(s)://` (a path prefix is kept). Default in a browser: the page's host. */
  url?: string;
  /** Called before every connection attempt; the token goes into `?token=`. */
  getToken?: GetToken;
  /** The access token to connect with when there is no `getToken`; `client.refreshToken()` replaces it. */
  token?: string | null;
  /** WebSocket implementation. Default: the global one (browsers, Node ≥ 22); in Node 20 pass `ws`. */
  WebSocket?: WebSocketConstructor;
  timers?: Timers;
  /** Source of jitter for reconnect delays, in [0, 1). */
  random?: () => number;
  reconnect?: Partial<ReconnectOptions>;
  /** `false` turns the client heartbeat off. */
  heartbeat?: Partial<HeartbeatOptions> | false;
  /** Time for getToken + the handshake + the server's confirmation before the attempt is abandoned. */
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Messages held while not open; a send beyond this throws `SendQueueFullError`. */
  maxQueuedMessages?: number;
  /** `limit` of each `history` page fetched to backfill a chat channel (≤ 100). */
  backfillPageSize?: number;
}

export interface ResolvedClientOptions {
  readonly baseUrl: URL;
  readonly getToken: GetToken | undefined;
  /** The initial token (the client's current one is `client.token`). */
  readonly token: string | undefined;
  readonly WebSocket: WebSocketConstructor;
  readonly timers: Timers;
  readonly random: () => number;
  readonly reconnect: Readonly<ReconnectOptions>;
  readonly heartbeat: Readonly<HeartbeatOptions> | false;
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxQueuedMessages: number;
  readonly backfillPageSize: number;
}

export const CLIENT_DEFAULTS = Object.freeze({
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  maxQueuedMessages: 100,
  backfillPageSize: MAX_CHANNEL_HISTORY_LIMIT,
});

function positive(name: string, value: number): number {
  if (!(value > 0)) throw new TypeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function count(name: string, value: number, { min = 0, max = Infinity } = {}): number {
  const whole = Number.isInteger(value) || value === Infinity;
  if (!whole || value < min || value > max) throw new TypeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  return value;
}

export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  const reconnect = { ...DEFAULT_RECONNECT, ...options.reconnect };
  positive('reconnect.baseMs', reconnect.baseMs);
  if (!(reconnect.maxMs >= reconnect.baseMs)) throw new TypeError('reconnect.maxMs must be at least reconnect.baseMs');
  count('reconnect.maxAttempts', reconnect.maxAttempts);
  count('reconnect.maxAuthFailures', reconnect.maxAuthFailures, { min: 1 });
  let heartbeat: HeartbeatOptions | false = false;
  if (options.heartbeat !== false) {
    heartbeat = { ...DEFAULT_HEARTBEAT, ...options.heartbeat };
    positive('heartbeat.pingIntervalMs', heartbeat.pingIntervalMs);
    positive('heartbeat.pongTimeoutMs', heartbeat.pongTimeoutMs);
    Object.freeze(heartbeat);
  }
  return Object.freeze({
    baseUrl: resolveBaseUrl(options.url),
    getToken: options.getToken,
    token: options.token ?? undefined,
    WebSocket: options.WebSocket ?? globalWebSocket(),
    timers: options.timers ?? systemTimers,
    random: options.random ?? Math.random,
    reconnect: Object.freeze(reconnect),
    heartbeat,
    connectTimeoutMs: positive('connectTimeoutMs', options.connectTimeoutMs ?? CLIENT_DEFAULTS.connectTimeoutMs),
    requestTimeoutMs: positive('requestTimeoutMs', options.requestTimeoutMs ?? CLIENT_DEFAULTS.requestTimeoutMs),
    maxQueuedMessages: count('maxQueuedMessages', options.maxQueuedMessages ?? CLIENT_DEFAULTS.maxQueuedMessages),
    backfillPageSize: count('backfillPageSize', options.backfillPageSize ?? CLIENT_DEFAULTS.backfillPageSize, {
      min: 1,
      max: MAX_CHANNEL_HISTORY_LIMIT,
    }),
  });
}
