/** Timers a test advances by hand (the client's `timers` option): nothing fires unless the test says so. */
import type { Timers } from '../../src/index.js';

interface Scheduled {
  id: number;
  at: number;
  callback: () => void;
}

export class ManualTimers implements Timers {
  private clock = 0;
  private nextId = 1;
  private scheduled: Scheduled[] = [];

  setTimeout(callback: () => void, ms: number): number {
    const id = this.nextId++;
    this.scheduled.push({ id, at: this.clock + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.scheduled = this.scheduled.filter((timer) => timer.id !== handle);
  }

  now(): number {
    return this.clock;
  }

  /** Timers scheduled and not yet fired or cleared. */
  get pending(): number {
    return this.scheduled.length;
  }

  /** Moves the clock forward by `ms`, firing due timers in order. */
  advance(ms: number): void {
    const until = this.clock + ms;
    for (;;) {
      const due = this.scheduled.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.scheduled = this.scheduled.filter((timer) => timer !== due);
      this.clock = due.at;
      due.callback();
    }
    this.clock = until;
  }
}
