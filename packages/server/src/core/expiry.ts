/**
 * Closes connections whose token expires, with one 1-second tick for the whole
 * server: connections are filed in buckets by expiry second.
 */
import { CloseCode, CloseReason } from '@switchboard/protocol';
import type { Connection } from './connection.js';

export class ExpiryTracker {
  private readonly buckets = new Map<number, Set<Connection>>();
  private checkedThrough = Math.floor(Date.now() / 1000) - 1;

  add(connection: Connection): void {
    const second = Math.max(connection.user.exp, this.checkedThrough + 1);
    let bucket = this.buckets.get(second);
    if (!bucket) {
      bucket = new Set();
      this.buckets.set(second, bucket);
    }
    bucket.add(connection);
    connection.expiryBucket = second;
  }

  remove(connection: Connection): void {
    const second = connection.expiryBucket;
    if (second === 0) return;
    connection.expiryBucket = 0;
    const bucket = this.buckets.get(second);
    if (bucket && bucket.delete(connection) && bucket.size === 0) this.buckets.delete(second);
  }

  reschedule(connection: Connection): void {
    this.remove(connection);
    this.add(connection);
  }

  /** Closes every connection whose token expired at or before `nowMs`. */
  tick(nowMs = Date.now()): void {
    const now = Math.floor(nowMs / 1000);
    for (let second = this.checkedThrough + 1; second <= now; second++) {
      const bucket = this.buckets.get(second);
      if (!bucket) continue;
      this.buckets.delete(second);
      for (const connection of bucket) {
        connection.expiryBucket = 0;
        connection.close(CloseCode.Unauthenticated, CloseReason.TokenExpired);
      }
    }
    this.checkedThrough = Math.max(this.checkedThrough, now);
  }
}
