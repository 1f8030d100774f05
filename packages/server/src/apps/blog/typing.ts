/**
 * Who is typing a comment on which post. The set of typers is a Presence topic per
 * post, so `typing_users` is cluster-wide and a user typing in two tabs is one typer.
 * This instance remembers its own typing connections to expire them: a connection
 * that sent `typing_start` and then nothing is dropped `timeoutMs` later by one
 * shared sweep. Entries are kept in refresh order (delete + set), which is expiry
 * order, so a sweep stops at the first entry still fresh.
 */
import type { Logger } from 'pino';
import { MAX_BLOG_TYPING_USERS } from '@switchboard/protocol';
import type { Presence } from '../../presence/types.js';
import { typingTopic } from './groups.js';

export interface Typer {
  postId: string;
  userId: string;
  userName: string;
  connectionId: number;
}

interface Entry extends Typer {
  expiresAt: number;
  /** The connection's Presence join went through. */
  joined: boolean;
}

export class TypingTracker {
  private readonly entries = new Map<number, Entry>();
  private sweeping = false;

  constructor(
    private readonly presence: Presence,
    private readonly timeoutMs: number,
    /** Called when a typer's user stopped typing on the post because the entry expired. */
    private readonly onExpired: (typer: Typer) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /**
   * A `typing_start`: true when the user was not typing on this post before (anywhere).
   * Clients repeat it per keystroke; a connection already typing on the post only has
   * its timeout refreshed, without a Presence round trip.
   */
  async begin(typer: Typer): Promise<boolean> {
    const previous = this.entries.get(typer.connectionId);
    const joined = previous?.joined === true && previous.postId === typer.postId;
    const entry: Entry = { ...typer, expiresAt: Date.now() + this.timeoutMs, joined };
    this.entries.delete(typer.connectionId);
    this.entries.set(typer.connectionId, entry);
    if (joined) return false;
    const { changed } = await this.presence.join(
      typingTopic(typer.postId),
      { userId: typer.userId, userName: typer.userName },
      typer.connectionId,
    );
    // Only now: after a failed join the next `typing_start` tries again.
    entry.joined = true;
    return changed;
  }

  /**
   * A `typing_stop` or a closed connection: the typer when this was the user's last
   * typing connection on the post (so `is_typing:false` is due), else undefined.
   */
  async end(connectionId: number): Promise<Typer | undefined> {
    const entry = this.entries.get(connectionId);
    if (!entry) return undefined;
    this.entries.delete(connectionId);
    return (await this.leave(entry)) ? entry : undefined;
  }

  /** Display names of the users typing on the post, oldest typer first. */
  async typingUsers(postId: string): Promise<string[]> {
    const members = await this.presence.members(typingTopic(postId), MAX_BLOG_TYPING_USERS);
    return members.map((member) => member.userName);
  }

  /** Drops expired entries; run by the app's one shared timer. */
  async sweep(now = Date.now()): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const expired: Entry[] = [];
      for (const [connectionId, entry] of this.entries) {
        if (entry.expiresAt > now) break;
        this.entries.delete(connectionId);
        expired.push(entry);
      }
      for (const entry of expired) {
        try {
          if (await this.leave(entry)) await this.onExpired(entry);
        } catch (error) {
          // One failure must not strand the other typers of this sweep.
          this.logger.error({ err: error, post: entry.postId }, 'typing expiry failed');
        }
      }
    } finally {
      this.sweeping = false;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  private async leave(entry: Entry): Promise<boolean> {
    const { changed } = await this.presence.leave(typingTopic(entry.postId), entry.userId, entry.connectionId);
    return changed;
  }
}
