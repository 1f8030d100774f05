/**
 * One seed-004 conversation (`/ws/chat/{id}/`): the history the REST API returned
 * plus live `message`s (deduplicated by id), whether the other side is typing, and
 * read receipts (`read {user_id, last_read_id}` marks the caller's messages up to it).
 */
import type { ConversationMessage, ConversationMessageRecord } from '@switchboard/protocol';
import { ExternalStore } from './store.js';

export type ConversationEntry = ConversationMessage & Partial<Pick<ConversationMessageRecord, 'seq' | 'delivery_status'>>;

export interface ConversationSnapshot {
  /** Oldest first. */
  readonly messages: readonly ConversationEntry[];
  readonly loaded: boolean;
  /** Ids of the users typing (only the other participant's events arrive). */
  readonly typingUserIds: readonly string[];
}

export const INITIAL_CONVERSATION: ConversationSnapshot = Object.freeze({ messages: [], loaded: false, typingUserIds: [] });

function order(a: ConversationEntry, b: ConversationEntry): number {
  if (a.seq !== undefined && b.seq !== undefined) return a.seq - b.seq;
  return a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0;
}

export class ConversationStore extends ExternalStore<ConversationSnapshot> {
  constructor(private readonly selfUserId?: string) {
    super(INITIAL_CONVERSATION);
  }

  /** The REST history (oldest first); merged with what arrived live meanwhile. */
  loaded(messages: readonly ConversationMessageRecord[]): void {
    this.merge(messages, true);
  }

  receive(message: { type: string; [field: string]: unknown }): void {
    switch (message.type) {
      case 'message': {
        const entry = message.message as ConversationMessage | undefined;
        if (entry && typeof entry.id === 'string') {
          this.merge([entry], false);
          if (entry.sender_id) this.typing(entry.sender_id, false);
        }
        return;
      }
      case 'typing':
        if (typeof message.user_id === 'string') this.typing(message.user_id, message.is_typing !== false);
        return;
      case 'read':
        if (typeof message.user_id === 'string') this.read(message.user_id, message.last_read_id as string | null);
        return;
    }
  }

  connectionLost(): void {
    if (this.current.typingUserIds.length > 0) this.patch({ typingUserIds: [] });
  }

  private merge(incoming: readonly ConversationEntry[], fromHistory: boolean): void {
    const existing = this.current.messages;
    const last = existing[existing.length - 1];
    const only = incoming.length === 1 ? incoming[0]! : undefined;
    // A live message ordered after everything kept is new (a known id sorts where it already is).
    if (only && (!last || order(last, only) < 0)) {
      this.setState({ ...this.current, messages: [...existing, only], loaded: this.current.loaded || fromHistory });
      return;
    }
    const byId = new Map(this.current.messages.map((entry) => [entry.id, entry]));
    for (const entry of incoming) byId.set(entry.id, { ...byId.get(entry.id), ...entry });
    const messages = [...byId.values()].sort(order);
    this.setState({ ...this.current, messages, loaded: this.current.loaded || fromHistory });
  }

  private typing(userId: string, isTyping: boolean): void {
    const others = this.current.typingUserIds.filter((id) => id !== userId);
    if (isTyping && others.length === this.current.typingUserIds.length) this.patch({ typingUserIds: [...others, userId] });
    else if (!isTyping && others.length !== this.current.typingUserIds.length) this.patch({ typingUserIds: others });
  }

  /** The other side read everything of ours up to `lastReadId` (null: everything). */
  private read(readerId: string, lastReadId: string | null): void {
    const messages = this.current.messages;
    const limit = lastReadId === null ? messages.length - 1 : messages.findIndex((entry) => entry.id === lastReadId);
    if (limit < 0) return;
    let changed = false;
    const next = messages.map((entry, index) => {
      const ours = entry.sender_id !== null && entry.sender_id !== readerId && (this.selfUserId === undefined || entry.sender_id === this.selfUserId);
      if (index > limit || !ours || entry.is_read) return entry;
      changed = true;
      return { ...entry, is_read: true, delivery_status: 'read' as const };
    });
    if (changed) this.patch({ messages: next });
  }
}
