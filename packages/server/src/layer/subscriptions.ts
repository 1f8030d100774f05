/**
 * Keeps this instance's Redis subscriptions in line with what it wants (a channel per
 * group with at least one local member), without races.
 *
 * Every change for a channel goes through one per-channel queue, and each step looks at
 * what is wanted *when it runs*, not when it was queued: add/discard/add while a
 * SUBSCRIBE is in flight settles on "subscribed" with at most one SUBSCRIBE and one
 * UNSUBSCRIBE sent, and a burst of adds sends a single SUBSCRIBE. A step that fails
 * (Redis unreachable, connection dropped mid-command) leaves the channel "unknown";
 * `resync()` after a reconnect redoes every unknown or still-queued channel.
 */
import type { Logger } from 'pino';

type State = 'unsubscribed' | 'subscribed' | 'unknown';

interface Entry {
  state: State;
  /** Tail of this channel's queue. */
  tail: Promise<void>;
  queued: number;
}

export interface SubscriptionTransport {
  subscribe(channel: string): Promise<void>;
  unsubscribe(channel: string): Promise<void>;
}

export class ChannelSubscriptions {
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  constructor(
    private readonly transport: SubscriptionTransport,
    /** Whether `channel` should be subscribed right now. */
    private readonly wanted: (channel: string) => boolean,
    private readonly logger: Logger,
  ) {}

  /** Queues a reconcile of `channel`; resolves once it ran. Never rejects (failures are logged). */
  sync(channel: string): Promise<void> {
    let entry = this.entries.get(channel);
    if (!entry) {
      entry = { state: 'unsubscribed', tail: Promise.resolve(), queued: 0 };
      this.entries.set(channel, entry);
    }
    const current = entry;
    current.queued++;
    current.tail = current.tail.then(() => this.reconcile(channel, current));
    return current.tail;
  }

  /** After a reconnect: reconciles every channel that failed or is still waiting. */
  resync(): void {
    for (const [channel, entry] of this.entries) {
      if (entry.state === 'unknown' || entry.queued > 0) void this.sync(channel);
    }
  }

  /** Channels subscribed or being changed. */
  get size(): number {
    return this.entries.size;
  }

  /** Stops issuing commands; the connection is about to close. */
  close(): void {
    this.closed = true;
  }

  private async reconcile(channel: string, entry: Entry): Promise<void> {
    try {
      if (this.closed) return;
      const want = this.wanted(channel);
      if (want && entry.state === 'subscribed') return;
      if (!want && entry.state === 'unsubscribed') return;
      try {
        if (want) {
          await this.transport.subscribe(channel);
          entry.state = 'subscribed';
        } else {
          await this.transport.unsubscribe(channel);
          entry.state = 'unsubscribed';
        }
      } catch (error) {
        entry.state = 'unknown';
        if (!this.closed) this.logger.warn({ err: error, channel }, `redis ${want ? 'subscribe' : 'unsubscribe'} failed; retrying on reconnect`);
      }
    } finally {
      entry.queued--;
      if (entry.queued === 0 && entry.state === 'unsubscribed' && this.entries.get(channel) === entry) {
        this.entries.delete(channel);
      }
    }
  }
}
