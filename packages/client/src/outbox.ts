/**
 * Outgoing messages of one connection: the bounded offline queue (messages accepted
 * while not open, flushed in order on open) and the messages written to a socket
 * that still wait for an answer carrying their `ref`.
 *
 * Delivery: a plain message is written at most once. A message that carries a
 * `client_id` (chat) is idempotent on the server, so if the socket drops before its
 * answer it goes back to the front of the queue and is written again on the next
 * connection: at least once on the wire, stored exactly once.
 */
import type { ServerMessage } from './endpoints.js';
import { SendQueueFullError } from './errors.js';

export interface ReplyCallbacks {
  resolve(reply: ServerMessage): void;
  reject(error: Error): void;
}

export interface Outgoing {
  readonly type: string;
  readonly ref: string;
  /** The encoded JSON message. */
  readonly frame: string;
  /** Safe to write again after a reconnect (the server dedupes it by `client_id`). */
  readonly idempotent: boolean;
  /** A request: settled by the answer carrying `ref`. */
  readonly reply?: ReplyCallbacks;
  /** The client's own request (backfill): its answer is not dispatched to handlers. */
  readonly internal?: boolean;
}

export class Outbox {
  private queue: Outgoing[] = [];
  private readonly unanswered = new Map<string, Outgoing>();

  constructor(private readonly limit: number) {}

  /** Messages waiting for the connection to open. */
  get queued(): number {
    return this.queue.length;
  }

  /** Written messages still waiting for their answer. */
  get awaiting(): number {
    return this.unanswered.size;
  }

  /** Accepts a message while not open; a full queue refuses the new one (nothing queued is dropped). */
  enqueue(entry: Outgoing): void {
    if (this.queue.length >= this.limit) throw new SendQueueFullError(this.limit);
    this.queue.push(entry);
  }

  /** Takes every queued message, oldest first, to be written now. */
  drain(): Outgoing[] {
    const entries = this.queue;
    this.queue = [];
    return entries;
  }

  /** Records a message just written to the socket; requests and idempotent messages then wait for their answer. */
  written(entry: Outgoing): void {
    if (entry.reply || entry.idempotent) this.unanswered.set(entry.ref, entry);
  }

  /** The message answered by a server message carrying `ref`, if one was waiting. */
  answered(ref: string): Outgoing | undefined {
    const entry = this.unanswered.get(ref);
    if (entry) this.unanswered.delete(ref);
    return entry;
  }

  /**
   * The socket dropped. Idempotent messages go back to the front of the queue in
   * their original order (ahead of newer ones, past the limit: they were accepted
   * already); the other unanswered requests are returned to be rejected.
   */
  connectionLost(): Outgoing[] {
    const resend: Outgoing[] = [];
    const lost: Outgoing[] = [];
    for (const entry of this.unanswered.values()) (entry.idempotent ? resend : lost).push(entry);
    this.unanswered.clear();
    this.queue = [...resend, ...this.queue];
    return lost;
  }

  /** Removes a message wherever it is (its request timed out); `written` tells whether it had left the queue. */
  remove(ref: string): { entry: Outgoing; written: boolean } | undefined {
    const waiting = this.answered(ref);
    if (waiting) return { entry: waiting, written: true };
    const index = this.queue.findIndex((entry) => entry.ref === ref);
    if (index === -1) return undefined;
    const [entry] = this.queue.splice(index, 1);
    return { entry: entry!, written: false };
  }

  /** Empties the queue and forgets every unanswered message; returns them all, to reject their requests. */
  clear(): Outgoing[] {
    const all = [...this.unanswered.values(), ...this.queue];
    this.unanswered.clear();
    this.queue = [];
    return all;
  }
}
