/** Client SDK instances for tests: `ws` as the WebSocket, quick reconnects, tokens for the test server. */
import WebSocket from 'ws';
import { SwitchboardClient, type ClientOptions } from '../../src/index.js';

/** Reconnect delays short enough for tests, jittered as in production. */
export const FAST_RECONNECT = { baseMs: 20, maxMs: 200 } as const;

export function createClient(url: string, options: ClientOptions = {}): SwitchboardClient {
  return new SwitchboardClient({
    url,
    WebSocket,
    ...options,
    reconnect: { ...FAST_RECONNECT, ...options.reconnect },
  });
}

/** ws://127.0.0.1:port */
export function baseUrl(port: number): string {
  return `ws://127.0.0.1:${port}`;
}
