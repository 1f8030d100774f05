/** Timing of the operations app; the CLI reads the same stale window as the server. */

export interface OperationsOptions {
  /** How often buffered connection events are written (one shared timer). */
  flushIntervalMs?: number;
  /** How often this instance refreshes its heartbeat row. */
  heartbeatIntervalMs?: number;
  /** An instance without a heartbeat for this long counts as dead: its open records no longer count. */
  instanceStaleMs?: number;
  /** Events kept while the database is unreachable; beyond this (twice, during a retry) new events are dropped. */
  maxBufferedEvents?: number;
}

export type ResolvedOperationsOptions = Readonly<Required<OperationsOptions>>;

export const OPERATIONS_DEFAULTS: ResolvedOperationsOptions = Object.freeze({
  flushIntervalMs: 1_000,
  heartbeatIntervalMs: 10_000,
  instanceStaleMs: 60_000,
  maxBufferedEvents: 100_000,
});

export function resolveOperationsOptions(options: OperationsOptions): ResolvedOperationsOptions {
  const resolved = { ...OPERATIONS_DEFAULTS, ...options };
  for (const [name, value] of Object.entries(resolved)) {
    if (!Number.isInteger(value) || value <= 0) throw new TypeError(`operations ${name} must be a positive integer, got ${value}`);
  }
  if (resolved.instanceStaleMs <= resolved.heartbeatIntervalMs) {
    throw new TypeError('operations instanceStaleMs must be longer than heartbeatIntervalMs');
  }
  return Object.freeze(resolved);
}
