/**
 * Dead-connection detection, pure. A TCP connection can die silently (a laptop
 * sleeps, a NAT forgets it): the socket stays "open" and nothing arrives. After
 * `pingIntervalMs` without any incoming message the client sends `{"type":"ping"}`;
 * if nothing at all arrives within `pongTimeoutMs` after it, the connection is dead.
 */

export interface HeartbeatOptions {
  /** Silence after which a ping is sent. */
  readonly pingIntervalMs: number;
  /** How long to wait for any message after a ping. */
  readonly pongTimeoutMs: number;
}

export const DEFAULT_HEARTBEAT: Readonly<HeartbeatOptions> = Object.freeze({ pingIntervalMs: 25_000, pongTimeoutMs: 10_000 });

export type HeartbeatStep =
  | { readonly action: 'ping'; readonly nextCheckMs: number }
  | { readonly action: 'wait'; readonly nextCheckMs: number }
  | { readonly action: 'dead' };

/**
 * What to do when the heartbeat timer fires. `pingSentAt` is the time of the last
 * ping still unanswered (undefined once any message arrived after it).
 */
export function heartbeatStep(
  now: number,
  lastActivityAt: number,
  pingSentAt: number | undefined,
  options: HeartbeatOptions,
): HeartbeatStep {
  if (pingSentAt !== undefined) {
    const waited = now - pingSentAt;
    return waited >= options.pongTimeoutMs ? { action: 'dead' } : { action: 'wait', nextCheckMs: options.pongTimeoutMs - waited };
  }
  const idle = now - lastActivityAt;
  if (idle >= options.pingIntervalMs) return { action: 'ping', nextCheckMs: options.pongTimeoutMs };
  return { action: 'wait', nextCheckMs: options.pingIntervalMs - idle };
}
