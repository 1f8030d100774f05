/** What the repositories share for listing rows: page limits, the extra-row `hasMore`, ordered timestamps. */

/** `limit` as a whole number from 1 to `max`; `fallback` when it is missing or not a finite number. */
export function clampLimit(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(max, Math.max(1, Math.floor(limit)));
}

interface FetchedPage<T> {
  /** At most `limit` rows, in the query's order. */
  rows: T[];
  /** More rows match beyond this page. */
  hasMore: boolean;
}

/**
 * Runs `query` with one row more than `limit`: the extra row tells whether there is
 * more without a count query.
 */
export async function fetchPage<T>(limit: number, query: (limitPlusOne: number) => Promise<T[]>): Promise<FetchedPage<T>> {
  const rows = await query(limit + 1);
  return { rows: rows.slice(0, limit), hasMore: rows.length > limit };
}

/**
 * Hands out ISO timestamps: now, but strictly after the previous one of this clock,
 * so rows written within one millisecond still sort in creation order.
 */
export class MonotonicClock {
  /** Last timestamp issued, ms since the epoch. */
  private last = 0;

  now(): string {
    this.last = Math.max(Date.now(), this.last + 1);
    return new Date(this.last).toISOString();
  }
}
