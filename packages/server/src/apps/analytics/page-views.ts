/**
 * Events in the last 60 seconds, in 60 one-second buckets: O(1) to record, O(60) to
 * count, fixed memory however many events arrive.
 */
const WINDOW_SECONDS = 60;

export class MinuteCounter {
  private readonly counts = new Uint32Array(WINDOW_SECONDS);
  /** The epoch second each bucket currently holds (-1: never used). */
  private readonly seconds = new Float64Array(WINDOW_SECONDS).fill(-1);

  record(now = Date.now()): void {
    const second = Math.floor(now / 1000);
    const bucket = second % WINDOW_SECONDS;
    if (this.seconds[bucket] !== second) {
      this.seconds[bucket] = second;
      this.counts[bucket] = 0;
    }
    this.counts[bucket]!++;
  }

  /** Events recorded in the current second and the 59 before it. */
  count(now = Date.now()): number {
    const oldest = Math.floor(now / 1000) - WINDOW_SECONDS + 1;
    let total = 0;
    for (let i = 0; i < WINDOW_SECONDS; i++) {
      if (this.seconds[i]! >= oldest) total += this.counts[i]!;
    }
    return total;
  }
}
