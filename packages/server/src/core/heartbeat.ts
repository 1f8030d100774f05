/**
 * One sweep for all connections: ping the quiet ones, terminate the ones that have
 * answered nothing for `connectionTimeoutMs`.
 */
import type { Connection } from './connection.js';

export function sweepConnections(
  connections: Iterable<Connection>,
  options: { heartbeatIntervalMs: number; connectionTimeoutMs: number },
  now = Date.now(),
): void {
  for (const connection of connections) {
    const quietFor = now - connection.lastSeenAt;
    if (quietFor > options.connectionTimeoutMs) {
      connection.terminate();
    } else if (quietFor >= options.heartbeatIntervalMs / 2 && connection.isOpen) {
      connection.ws.ping();
    }
  }
}
