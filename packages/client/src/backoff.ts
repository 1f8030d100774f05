/**
 * Reconnect delays: full-jitter exponential backoff. The delay is uniformly random
 * between 0 and min(maxMs, baseMs · 2^attempt), so a crowd of clients dropped by the
 * same outage comes back spread out instead of in synchronized waves.
 */

export interface BackoffOptions {
  /** Ceiling of the first delay (attempt 0). */
  readonly baseMs: number;
  /** Ceiling of every delay. */
  readonly maxMs: number;
}

/**
 * The delay before reconnect attempt `attempt` (0 for the first retry after a drop).
 * Pure: `random` returns a number in [0, 1) and is injectable for tests.
 */
export function backoff(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 0) throw new RangeError(`attempt must be a non-negative integer, got ${attempt}`);
  // 2 ** attempt overflows to Infinity for huge attempts; Math.min keeps the cap.
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}
