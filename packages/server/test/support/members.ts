/** A LayerMember for layer tests: records delivered frames and lets a test await the next one. */
import type { LayerMember } from '../../src/layer/types.js';

let nextId = 1;

export class FakeMember implements LayerMember {
  readonly frames: Buffer[] = [];
  private readonly waiters: Array<{ resolve: (frame: Buffer) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }> = [];
  private read = 0;

  /** `id` defaults to a fresh number; pass one to mimic another process's counter. */
  constructor(
    readonly userId: string,
    readonly id: number = nextId++,
  ) {}

  deliver(frame: Buffer): void {
    this.frames.push(frame);
    const waiter = this.waiters.shift();
    if (waiter) {
      clearTimeout(waiter.timer);
      this.read++;
      waiter.resolve(frame);
    }
  }

  /** The next frame not yet returned by next(), waiting for it if needed. */
  next(timeoutMs = 5_000): Promise<Buffer> {
    if (this.read < this.frames.length) return Promise.resolve(this.frames[this.read++]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.findIndex((waiter) => waiter.timer === timer), 1);
        reject(new Error(`member ${this.userId}#${this.id}: no frame within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push({ resolve, reject, timer });
    });
  }

  /** Frames delivered but not yet returned by next(). */
  get unread(): Buffer[] {
    return this.frames.slice(this.read);
  }
}

/** A text payload standing in for an encoded WebSocket frame. */
export function frame(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

export function text(frame: Buffer): string {
  return frame.toString('utf8');
}
