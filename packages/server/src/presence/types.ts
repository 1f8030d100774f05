/**
 * Presence: which users have live connections on a topic (a room, a workspace, a
 * project). A user with several tabs is one user; `left` only when the last goes.
 */

export interface PresenceMember {
  userId: string;
  userName: string;
}

export interface PresenceChange {
  /** True when this was the user's first connection on the topic (join) or last (leave). */
  changed: boolean;
}

/**
 * Users whose last connection on `topic` vanished because their instance died (its
 * entries expired) rather than by leave(). `userNames[i]` is the name `userIds[i]` had.
 */
export type DepartureListener = (topic: string, userIds: string[], userNames: string[]) => void;

export interface Presence {
  join(topic: string, member: PresenceMember, connectionId: number): Promise<PresenceChange>;
  leave(topic: string, userId: string, connectionId: number): Promise<PresenceChange>;
  /** Distinct users on the topic, at most `limit` of them. */
  members(topic: string, limit?: number): Promise<PresenceMember[]>;
  userCount(topic: string): Promise<number>;
  connectionCount(topic: string): Promise<number>;
  /** The subset of `userIds` with at least one connection on the topic, in the given order. */
  filterPresent(topic: string, userIds: readonly string[]): Promise<string[]>;
  /** Live connections of one user on the topic (the per-user connection limit reads this). */
  userConnectionCount(topic: string, userId: string): Promise<number>;
  /**
   * Subscribes to departures by instance death; fires once cluster-wide per departure
   * (on one live instance holding the topic). Returns the unsubscribe function.
   */
  onDeparted(listener: DepartureListener): () => void;
  close(): Promise<void>;
}
