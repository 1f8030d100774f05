/**
 * What the client needs from its environment, injectable so the same code runs in
 * browsers (the global WebSocket), in Node (the `ws` package) and under fake timers.
 */

/** The subset of the browser WebSocket API the client uses; `ws` implements it too. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drops the TCP connection at once (a dead peer never answers a close). */
  terminate?(): void;
  // `never` parameters: assignable from both the DOM's and ws's handler types.
  onopen: ((event: never) => void) | null;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}

export interface MessageEventLike {
  readonly data: unknown;
}

export interface CloseEventLike {
  readonly code: number;
  readonly reason: string;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** WebSocket `readyState` values. */
export const SocketState = { Connecting: 0, Open: 1, Closing: 2, Closed: 3 } as const;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Milliseconds; only differences are used. */
  now(): number;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as number),
  now: () => Date.now(),
};

export function globalWebSocket(): WebSocketConstructor {
  const constructor = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (!constructor) {
    throw new TypeError('No global WebSocket: pass one as the `WebSocket` option (in Node 20: `import WebSocket from "ws"`)');
  }
  return constructor;
}

/** The server's base URL as ws:// or wss://; http(s) URLs are converted. In a browser the page's host is the default. */
export function resolveBaseUrl(url: string | undefined): URL {
  let text = url;
  if (text === undefined) {
    const location = (globalThis as { location?: { protocol: string; host: string } }).location;
    if (!location) throw new TypeError('`url` is required outside a browser (e.g. ws://127.0.0.1:8000)');
    text = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}`;
  }
  const base = new URL(text);
  if (base.protocol === 'http:') base.protocol = 'ws:';
  else if (base.protocol === 'https:') base.protocol = 'wss:';
  if (base.protocol !== 'ws:' && base.protocol !== 'wss:') throw new TypeError(`url must be ws(s):// or http(s)://, got ${text}`);
  base.search = '';
  base.hash = '';
  return base;
}

/** `/ws/notifications/` and `ws/notifications/` name the same endpoint. */
export function normalizePath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}

/** The socket URL: the base (keeping any path prefix, e.g. behind a proxy) + path, with `?token=`. */
export function socketUrl(base: URL, path: string, token: string | null | undefined): string {
  const url = new URL(base.href);
  const query = path.indexOf('?');
  const pathname = query === -1 ? path : path.slice(0, query);
  url.pathname = base.pathname.replace(/\/+$/, '') + pathname;
  url.search = query === -1 ? '' : path.slice(query);
  if (token) url.searchParams.set('token', token);
  return url.href;
}
