/**
 * One chat channel of `/ws/channels/<uuid>/`: messages ordered by `seq` and deduplicated
 * by id (history pages, live messages and the client's backfill may overlap), messages
 * being sent (shown at once, replaced by the stored one with the same `client_id`),
 * typing users, online users and read markers.
 */
import { isChannelMessage } from '@switchboard/client';
import type { ChannelMessage, ChannelReadMarker } from '@switchboard/protocol';
import { ExternalStore } from './store.js';

export interface PendingMessage {
  readonly client_id: string;
  readonly content: string;
  readonly user_id: string;
  readonly user_name: string;
  readonly created_at: string;
  /** Set when sending failed for good (the text is kept so the user can retry). */
  readonly error?: string;
}

export interface TypingUser {
  readonly user_id: string;
  readonly user_name: string;
}

export interface ChannelSnapshot {
  /** Oldest first, by `seq`. */
  readonly messages: readonly ChannelMessage[];
  /** Sent but not yet confirmed, oldest first. */
  readonly pending: readonly PendingMessage[];
  readonly typingUsers: readonly TypingUser[];
  /** Ids of the workspace's users with a live connection. */
  readonly onlineUsers: readonly string[];
  /** Each member's read marker, by user id. */
  readonly readMarkers: Readonly<Record<string, ChannelReadMarker>>;
  /** Display names learned from messages and typing events, by user id. */
  readonly names: Readonly<Record<string, string>>;
  /** True once the first history page arrived. */
  readonly loaded: boolean;
  /** Older messages exist before the first one kept. */
  readonly hasOlder: boolean;
}

/** The snapshot before anything is loaded (also what hooks show with no channel). */
export const INITIAL_CHANNEL: ChannelSnapshot = Object.freeze({
  messages: [],
  pending: [],
  typingUsers: [],
  onlineUsers: [],
  readMarkers: {},
  names: {},
  loaded: false,
  hasOlder: false,
});

/** Merges two lists ordered by seq, dropping ids already present. */
function mergeBySeq(existing: readonly ChannelMessage[], incoming: readonly ChannelMessage[]): ChannelMessage[] | undefined {
  const last = existing[existing.length - 1];
  // A live message newer than everything kept cannot be a duplicate: append without indexing the history.
  const only = incoming.length === 1 ? incoming[0] : undefined;
  if (isChannelMessage(only) && (!last || only.seq > last.seq)) return [...existing, only];
  const ids = new Set(existing.map((message) => message.id));
  const fresh = incoming.filter((message) => isChannelMessage(message) && !ids.has(message.id) && ids.add(message.id));
  if (fresh.length === 0) return undefined;
  fresh.sort((a, b) => a.seq - b.seq);
  // The common case, appending newer messages, needs no full sort.
  if (!last || fresh[0]!.seq > last.seq) return [...existing, ...fresh];
  return [...existing, ...fresh].sort((a, b) => a.seq - b.seq);
}

export class ChannelStore extends ExternalStore<ChannelSnapshot> {
  constructor() {
    super(INITIAL_CHANNEL);
  }

  /** Highest seq kept (0: none). */
  get lastSeq(): number {
    const messages = this.current.messages;
    return messages[messages.length - 1]?.seq ?? 0;
  }

  /** Lowest seq kept (0: none). */
  get firstSeq(): number {
    return this.current.messages[0]?.seq ?? 0;
  }

  /** Any server message of the endpoint; unknown types are ignored. */
  receive(message: { type: string; data?: unknown }): void {
    const data = message.data as Record<string, unknown> | undefined;
    if (!data) return;
    switch (message.type) {
      case 'message':
        if (isChannelMessage(data)) this.messagesArrived([data]);
        return;
      case 'typing':
        this.typing(String(data.user_id), String(data.user_name ?? ''), data.is_typing === true);
        return;
      case 'read':
        this.read(data as unknown as ChannelReadMarker);
        return;
      case 'presence':
        if (Array.isArray(data.online_users)) this.presence(data.online_users.map(String));
        return;
    }
  }

  /** Stored messages (live, backfilled or from a `history` page after the newest kept). */
  messagesArrived(incoming: readonly ChannelMessage[]): void {
    const merged = mergeBySeq(this.current.messages, incoming);
    const confirmed = new Set(incoming.map((message) => message.client_id).filter((id): id is string => typeof id === 'string'));
    const pending = this.current.pending.filter((item) => !confirmed.has(item.client_id));
    const names = this.learnNames(incoming);
    // A user who sent a message has stopped typing it.
    const senders = new Set(incoming.map((message) => message.user_id));
    const typingUsers = this.current.typingUsers.filter((user) => !senders.has(user.user_id));
    if (!merged && pending.length === this.current.pending.length && names === this.current.names) return;
    this.setState({
      ...this.current,
      messages: merged ?? this.current.messages,
      pending,
      names,
      typingUsers: typingUsers.length === this.current.typingUsers.length ? this.current.typingUsers : typingUsers,
    });
  }

  /**
   * A `history` reply. `direction` says what was asked: the newest page (first load),
   * messages `after` the newest kept (catch-up), or `before` the oldest (scrolling back).
   */
  historyPage(page: { messages: readonly ChannelMessage[]; has_more: boolean }, direction: 'latest' | 'after' | 'before'): void {
    const before = this.current;
    const pageFirst = page.messages[0]?.seq ?? Infinity;
    let hasOlder = before.hasOlder;
    if (direction === 'before') hasOlder = page.has_more;
    // The newest page says whether anything precedes it, unless older messages were kept already.
    else if (direction === 'latest' && (!before.loaded || before.messages.length === 0 || (before.messages[0]?.seq ?? 0) >= pageFirst)) {
      hasOlder = page.has_more;
    }
    this.setState({
      ...before,
      messages: mergeBySeq(before.messages, page.messages) ?? before.messages,
      names: this.learnNames(page.messages),
      loaded: true,
      hasOlder,
    });
  }

  typing(userId: string, userName: string, isTyping: boolean): void {
    const others = this.current.typingUsers.filter((user) => user.user_id !== userId);
    const typingUsers = isTyping ? [...others, { user_id: userId, user_name: userName }] : others;
    if (!isTyping && others.length === this.current.typingUsers.length) return;
    const names = userName && this.current.names[userId] !== userName ? { ...this.current.names, [userId]: userName } : this.current.names;
    this.setState({ ...this.current, typingUsers, names });
  }

  /** Keeps the same list when nothing changed, so `useChannelPresence` does not re-render. */
  private presence(onlineUsers: string[]): void {
    const current = this.current.onlineUsers;
    if (onlineUsers.length === current.length && onlineUsers.every((id, index) => id === current[index])) return;
    this.patch({ onlineUsers });
  }

  read(marker: ChannelReadMarker): void {
    if (typeof marker.user_id !== 'string' || typeof marker.message_id !== 'string') return;
    const previous = this.current.readMarkers[marker.user_id];
    // Markers only move forward; a late event for an older message changes nothing.
    if (previous && typeof marker.seq === 'number' && previous.seq >= marker.seq) return;
    this.patch({ readMarkers: { ...this.current.readMarkers, [marker.user_id]: marker } });
  }

  /** A message being sent, shown until the stored one (same `client_id`) arrives. */
  addPending(message: Omit<PendingMessage, 'error'>): void {
    this.patch({ pending: [...this.current.pending.filter((item) => item.client_id !== message.client_id), message] });
  }

  /** Sending failed for good: the message stays, marked with the error. */
  failPending(clientId: string, error: string): void {
    const pending = this.current.pending.map((item) => (item.client_id === clientId ? { ...item, error } : item));
    this.patch({ pending });
  }

  discardPending(clientId: string): void {
    const pending = this.current.pending.filter((item) => item.client_id !== clientId);
    if (pending.length !== this.current.pending.length) this.patch({ pending });
  }

  /** After a reconnect typing indicators may be stale: the server re-sends what is current. */
  connectionLost(): void {
    if (this.current.typingUsers.length > 0) this.patch({ typingUsers: [] });
  }

  private learnNames(messages: readonly ChannelMessage[]): Readonly<Record<string, string>> {
    let names = this.current.names;
    for (const message of messages) {
      if (message.user_name && names[message.user_id] !== message.user_name) {
        if (names === this.current.names) names = { ...names };
        (names as Record<string, string>)[message.user_id] = message.user_name;
      }
    }
    return names;
  }
}
