/**
 * Who is typing where, on this instance, so the server can send `is_typing:false`
 * itself when a typer goes quiet. One timer for all typers: every entry has the same
 * timeout, so keeping the Map in refresh order (delete + set) keeps it in expiry
 * order, and the single timer only ever waits for the first entry.
 */

export interface Typer {
  channelId: string;
  userId: string;
  userName: string;
  /** The connection that sent the latest `true`: only its close ends the typing early. */
  connectionId: number;
}

interface Entry extends Typer {
  expiresAt: number;
}

const keyOf = (channelId: string, userId: string): string => `${channelId}\u0000${userId}`;

export class TypingTracker {
  private readonly entries = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    /** Called once per typer whose timeout passed; it is already forgotten. */
    private readonly onExpired: (typer: Typer) => void,
    private readonly timeoutMs: number,
  ) {}

  /** A `true`: (re)starts the typer's timeout. */
  typing(typer: Typer): void {
    if (this.stopped) return;
    const key = keyOf(typer.channelId, typer.userId);
    this.entries.delete(key);
    this.entries.set(key, { ...typer, expiresAt: Date.now() + this.timeoutMs });
    this.arm();
  }

  /** A `false`: the typer stopped by themselves. */
  stoppedTyping(channelId: string, userId: string): void {
    this.entries.delete(keyOf(channelId, userId));
  }

  /** A connection closed: true when it was the typer's latest, so `false` is due now. */
  release(channelId: string, userId: string, connectionId: number): Typer | undefined {
    const key = keyOf(channelId, userId);
    const entry = this.entries.get(key);
    if (!entry || entry.connectionId !== connectionId) return undefined;
    this.entries.delete(key);
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.entries.clear();
  }

  private arm(): void {
    if (this.timer !== undefined || this.stopped) return;
    const first = this.entries.values().next();
    if (first.done) return;
    this.timer = setTimeout(() => this.expire(), Math.max(0, first.value.expiresAt - Date.now()));
    this.timer.unref();
  }

  private expire(): void {
    this.timer = undefined;
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(key);
      this.onExpired(entry);
    }
    this.arm();
  }
}
