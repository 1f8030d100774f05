/**
 * Gap-free chat for `/ws/channels/<uuid>/`. The connection remembers the highest
 * `seq` of the `message` events it delivered; after a reconnect it pages through
 * `history {after_seq}` and replays the missed messages to `message` handlers, in
 * order. Live messages that arrive meanwhile are held back and delivered after the
 * replay, and every message is delivered once (deduplicated by id).
 */
import type { ChannelMessage } from '@switchboard/protocol';
import type { ServerMessage } from './endpoints.js';

/** Ids remembered for deduplication: far more than one catch-up's overlap with live traffic. */
const RECENT_IDS = 1000;

function chatMessage(value: unknown): ChannelMessage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { id, seq } = value as Partial<ChannelMessage>;
  return typeof id === 'string' && typeof seq === 'number' ? (value as ChannelMessage) : undefined;
}

class RecentIds {
  private readonly ids = new Set<string>();
  private readonly order: string[] = [];

  constructor(private readonly capacity: number) {}

  /** Remembers `id`; false when it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    this.order.push(id);
    if (this.order.length > this.capacity) this.ids.delete(this.order.shift()!);
    return true;
  }
}

export class ChannelBackfill {
  /** Highest `seq` delivered so far (0: none yet, nothing to backfill from). */
  lastSeq = 0;
  private readonly recent = new RecentIds(RECENT_IDS);
  /** Live messages held while catching up; undefined when not catching up. */
  private held: ServerMessage[] | undefined;

  get catchingUp(): boolean {
    return this.held !== undefined;
  }

  /** Starts a catch-up: fetch `history {after_seq: lastSeq}` pages and feed them to `page`. */
  begin(): void {
    this.held = [];
  }

  /** The catch-up was interrupted: held messages are dropped (the next catch-up fetches them). */
  abort(): void {
    this.held = undefined;
  }

  /** A live `message` event: what to deliver now (nothing while catching up or for a duplicate). */
  live(message: ServerMessage): ServerMessage[] {
    if (!chatMessage(message.data)) return [message];
    if (this.held) {
      this.held.push(message);
      return [];
    }
    return this.accept(message) ? [message] : [];
  }

  /**
   * A `history` reply during the catch-up: the missed messages as `message` events to
   * deliver, and whether the catch-up is over (then the held live messages follow).
   */
  page(reply: ServerMessage): { deliver: ServerMessage[]; done: boolean } {
    const data = (reply.data ?? {}) as { messages?: unknown; has_more?: unknown };
    const messages = Array.isArray(data.messages) ? data.messages.map(chatMessage) : [];
    const deliver: ServerMessage[] = [];
    let progressed = false;
    for (const stored of messages) {
      if (!stored) continue;
      if (stored.seq > this.lastSeq) progressed = true;
      const event: ServerMessage = { type: 'message', data: stored, timestamp: reply.timestamp };
      if (this.accept(event)) deliver.push(event);
    }
    // Without progress another page would ask for the same range again.
    const done = data.has_more !== true || !progressed;
    if (done) {
      const held = (this.held ?? []).sort((a, b) => chatMessage(a.data)!.seq - chatMessage(b.data)!.seq);
      this.held = undefined;
      for (const message of held) if (this.accept(message)) deliver.push(message);
    }
    return { deliver, done };
  }

  /** Deduplicates by id and advances `lastSeq`. */
  private accept(message: ServerMessage): boolean {
    const stored = chatMessage(message.data)!;
    if (stored.seq > this.lastSeq) this.lastSeq = stored.seq;
    return this.recent.add(stored.id);
  }
}
