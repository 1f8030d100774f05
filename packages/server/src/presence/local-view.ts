/**
 * Presence answers from one instance's own connections on a topic. RedisPresence falls
 * back to them while Redis is unreachable, so connects and joins keep working during an
 * outage; the reconcile after the reconnect makes presence cluster-wide again.
 */
import type { PresenceMember } from './types.js';

export interface LocalConnection {
  userId: string;
  userName: string;
}

/** A topic's connections on this instance, by connection id; undefined when none. */
export type LocalConnections = ReadonlyMap<string, LocalConnection> | undefined;

export function localMembers(connections: LocalConnections, limit = Infinity): PresenceMember[] {
  const seen = new Map<string, string>();
  for (const { userId, userName } of connections?.values() ?? []) {
    if (seen.size >= limit) break;
    if (!seen.has(userId)) seen.set(userId, userName);
  }
  return [...seen].map(([userId, userName]) => ({ userId, userName }));
}

export function localUserCount(connections: LocalConnections): number {
  const users = new Set<string>();
  for (const { userId } of connections?.values() ?? []) users.add(userId);
  return users.size;
}

export function localUserConnectionCount(connections: LocalConnections, userId: string, exceptConnection?: string): number {
  let count = 0;
  for (const [connection, entry] of connections ?? []) if (entry.userId === userId && connection !== exceptConnection) count++;
  return count;
}

export function localFilterPresent(connections: LocalConnections, userIds: readonly string[]): string[] {
  const users = new Set<string>();
  for (const { userId } of connections?.values() ?? []) users.add(userId);
  return userIds.filter((id) => users.has(id));
}
