/**
 * Turns keystrokes into few typing events: `true` on the first keystroke and again
 * every `resendMs` while typing continues (the server forgets a typer after 5 s),
 * `false` after `idleMs` without a keystroke or when the text is sent.
 */
import { systemTimers, type Timers } from '@switchboard/client';

export interface TypingSenderOptions {
  resendMs?: number;
  idleMs?: number;
}

export class TypingSender {
  private typing = false;
  private lastSentAt = 0;
  private idleTimer: unknown;
  private readonly resendMs: number;
  private readonly idleMs: number;

  constructor(
    private readonly send: (isTyping: boolean) => void,
    private readonly timers: Timers = systemTimers,
    options: TypingSenderOptions = {},
  ) {
    this.resendMs = options.resendMs ?? 3000;
    this.idleMs = options.idleMs ?? 3000;
  }

  get isTyping(): boolean {
    return this.typing;
  }

  keystroke(): void {
    const now = this.timers.now();
    if (!this.typing || now - this.lastSentAt >= this.resendMs) {
      this.typing = true;
      this.lastSentAt = now;
      this.send(true);
    }
    this.clearIdle();
    this.idleTimer = this.timers.setTimeout(() => {
      this.idleTimer = undefined;
      this.stop();
    }, this.idleMs);
  }

  /** Typing is over (idle, message sent, input cleared). */
  stop(): void {
    this.clearIdle();
    if (!this.typing) return;
    this.typing = false;
    this.send(false);
  }

  /** Forgets the timer without sending anything (the connection is going away). */
  dispose(): void {
    this.clearIdle();
    this.typing = false;
  }

  private clearIdle(): void {
    if (this.idleTimer === undefined) return;
    this.timers.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }
}
