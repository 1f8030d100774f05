/**
 * Gap-free chat for `/ws/channels/<uuid>/`. The connection remembers the highest
 * `seq` the application has seen: `message` events it delivered, the application's
 * own `history` requests (newest page or `after_seq`), or a seeded value. After a
 * reconnect it pages through `history {after_seq}` and replays the missed messages to
 * `message` handlers, in order. Live messages that arrive meanwhile are held back and
 * delivered after the replay, and every message is delivered once (deduplicated by id).
 */
import type { ChannelMessage } from '@switchboard/protocol';
import type { ServerMessage } from './endpoints.js';

/** Ids remembered for deduplication: far more than one catch-up's overlap with live traffic. */
const RECENT_IDS = 1000;
/** The application's `history` requests awaiting their reply; unanswered ones (timed out, lost) age out. */
const PENDING_QUERIES = 100;

/** A stored chat message as far as ordering and deduplication need: a string `id` and a numeric `seq`. */
export function isChannelMessage(value: unknown): value is ChannelMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { id, seq } = value as Partial<ChannelMessage>;
  return typeof id === 'string' && typeof seq === 'number';
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

function seqField(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

export class ChannelBackfill {
  /** Highest `seq` seen so far (0 also when nothing was: see `known`). */
  lastSeq = 0;
  /** Whether there is a position to backfill from (an empty channel's is 0). */
  known = false;
  /** Where the running catch-up's next page starts. */
  cursor = 0;
  private readonly recent = new RecentIds(RECENT_IDS);
  /** Live messages held while catching up; undefined when not catching up. */
  private held: ServerMessage[] | undefined;
  /** `ref` → the seq an application's `history` reply shows everything after. */
  private readonly queries = new Map<string, number>();

  get catchingUp(): boolean {
    return this.held !== undefined;
  }

  /** Raises the position (never lowers it): the application has every message up to `seq`. */
  seed(seq: number): void {
    if (seqField(seq) === undefined) throw new TypeError(`seq must be a non-negative integer, got ${seq}`);
    this.known = true;
    if (seq > this.lastSeq) this.lastSeq = seq;
  }

  /**
   * The application sent `history` with `fields`. Only a request without `before_seq`
   * (the newest page, or `after_seq`) says where the application is, so only those
   * are remembered; even an empty reply then marks a position.
   */
  query(ref: string, fields: Record<string, unknown>): void {
    // Seed-000 clients may nest the fields in `data`; the server merges them.
    const nested = typeof fields.data === 'object' && fields.data !== null ? (fields.data as Record<string, unknown>) : {};
    const query = { ...fields, ...nested };
    if (query.before_seq !== undefined && query.before_seq !== null) return;
    this.queries.set(ref, seqField(query.after_seq) ?? 0);
    if (this.queries.size > PENDING_QUERIES) this.queries.delete(this.queries.keys().next().value!);
  }

  /** A `history` reply dispatched to the application: advances the position if it answers a remembered query. */
  observe(reply: ServerMessage): void {
    const after = typeof reply.ref === 'string' ? this.queries.get(reply.ref) : undefined;
    if (after === undefined) return;
    this.queries.delete(reply.ref!);
    // A catch-up brings lastSeq at least this far; raising it now, and then being
    // interrupted, would skip what the catch-up had not fetched yet.
    if (this.held) return;
    const data = (reply.data ?? {}) as { messages?: unknown };
    const messages = Array.isArray(data.messages) ? data.messages : [];
    let newest = after;
    for (const message of messages) if (isChannelMessage(message)) newest = Math.max(newest, message.seq);
    this.seed(newest);
  }

  /** Starts a catch-up: fetch `history {after_seq: cursor}` pages and feed them to `page`. */
  begin(): void {
    this.held = [];
    this.cursor = this.lastSeq;
  }

  /** The catch-up was interrupted: held messages are dropped (the next catch-up fetches them). */
  abort(): void {
    this.held = undefined;
  }

  /** A live `message` event: what to deliver now (nothing while catching up or for a duplicate). */
  live(message: ServerMessage): ServerMessage[] {
    if (!isChannelMessage(message.data)) return [message];
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
    const messages: unknown[] = Array.isArray(data.messages) ? data.messages : [];
    const deliver: ServerMessage[] = [];
    let progressed = false;
    for (const stored of messages) {
      if (!isChannelMessage(stored)) continue;
      if (stored.seq > this.cursor) {
        progressed = true;
        this.cursor = stored.seq;
      }
      const event: ServerMessage = { type: 'message', data: stored, timestamp: reply.timestamp };
      if (this.accept(event)) deliver.push(event);
    }
    // Without progress another page would ask for the same range again.
    const done = data.has_more !== true || !progressed;
    if (done) {
      const held = (this.held ?? []).sort((a, b) => (a.data as ChannelMessage).seq - (b.data as ChannelMessage).seq);
      this.held = undefined;
      for (const message of held) if (this.accept(message)) deliver.push(message);
    }
    return { deliver, done };
  }

  /** Deduplicates by id and advances `lastSeq`; `message.data` passed `isChannelMessage`. */
  private accept(message: ServerMessage): boolean {
    const stored = message.data as ChannelMessage;
    this.known = true;
    if (stored.seq > this.lastSeq) this.lastSeq = stored.seq;
    return this.recent.add(stored.id);
  }
}
