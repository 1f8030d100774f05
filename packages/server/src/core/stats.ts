/**
 * Plain counters updated on the hot path (a field increment, no label hashing);
 * `/metrics` reads them at scrape time.
 */
import type { ErrorCode } from '@switchboard/protocol';

export class ServerStats {
  messagesIn = 0;
  messagesOut = 0;
  bytesOut = 0;
  connectionsOpened = 0;
  readonly errors = new Map<ErrorCode, number>();
  readonly closes = new Map<number, number>();

  countError(code: ErrorCode): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  countClose(code: number): void {
    this.closes.set(code, (this.closes.get(code) ?? 0) + 1);
  }
}
