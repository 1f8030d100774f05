/** Presence for a single instance. */
import { compactAdd, compactDelete, compactHas, compactSize, type CompactSet } from '../core/compact-set.js';
import type { DepartureListener, Presence, PresenceChange, PresenceMember } from './types.js';

interface Entry {
  userName: string;
  connections: CompactSet<number>;
}

interface Topic {
  users: Map<string, Entry>;
  connections: number;
}

const CHANGED: PresenceChange = Object.freeze({ changed: true });
const UNCHANGED: PresenceChange = Object.freeze({ changed: false });

export class MemoryPresence implements Presence {
  private readonly topics = new Map<string, Topic>();

  async join(topic: string, member: PresenceMember, connectionId: number): Promise<PresenceChange> {
    let state = this.topics.get(topic);
    if (!state) {
      state = { users: new Map(), connections: 0 };
      this.topics.set(topic, state);
    }
    let entry = state.users.get(member.userId);
    const changed = entry === undefined;
    if (!entry) {
      entry = { userName: member.userName, connections: undefined };
      state.users.set(member.userId, entry);
    }
    if (!compactHas(entry.connections, connectionId)) {
      entry.connections = compactAdd(entry.connections, connectionId);
      state.connections++;
    }
    return changed ? CHANGED : UNCHANGED;
  }

  async leave(topic: string, userId: string, connectionId: number): Promise<PresenceChange> {
    const state = this.topics.get(topic);
    const entry = state?.users.get(userId);
    if (!state || !entry || !compactHas(entry.connections, connectionId)) return UNCHANGED;
    entry.connections = compactDelete(entry.connections, connectionId);
    state.connections--;
    if (entry.connections !== undefined) return UNCHANGED;
    state.users.delete(userId);
    if (state.users.size === 0) this.topics.delete(topic);
    return CHANGED;
  }

  async members(topic: string, limit = Infinity): Promise<PresenceMember[]> {
    const result: PresenceMember[] = [];
    const state = this.topics.get(topic);
    if (!state) return result;
    for (const [userId, entry] of state.users) {
      if (result.length >= limit) break;
      result.push({ userId, userName: entry.userName });
    }
    return result;
  }

  async filterPresent(topic: string, userIds: readonly string[]): Promise<string[]> {
    const users = this.topics.get(topic)?.users;
    return users ? userIds.filter((id) => users.has(id)) : [];
  }

  async userCount(topic: string): Promise<number> {
    return this.topics.get(topic)?.users.size ?? 0;
  }

  async connectionCount(topic: string): Promise<number> {
    return this.topics.get(topic)?.connections ?? 0;
  }

  async userConnectionCount(topic: string, userId: string): Promise<number> {
    const entry = this.topics.get(topic)?.users.get(userId);
    return entry ? compactSize(entry.connections) : 0;
  }

  /** A single process has no dead instances: its listeners never fire. */
  onDeparted(_listener: DepartureListener): () => void {
    return () => {};
  }

  async close(): Promise<void> {
    this.topics.clear();
  }
}
