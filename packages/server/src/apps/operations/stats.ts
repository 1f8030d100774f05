/**
 * The figures behind `GET /api/admin/stats` and `switchboard monitor`: cluster-wide
 * live connections and users (presence), live connections per route and instance
 * (connection records of instances with a fresh heartbeat), and this instance's counters.
 */
import { CONNECTIONS_TOPIC, type ServerContext } from '../../core/context.js';
import type { ConnectionRecordRepository, LiveInstance, RouteCount } from '../../store/connections.js';
import { SERVER_VERSION } from '../../version.js';

export interface ClusterStats {
  /** Live authenticated connections in the cluster. */
  connections: number;
  /** Distinct users with a live authenticated connection. */
  users: number;
  /** Open connection records of live instances (also counts anonymous `/ws/health/` connections). */
  recorded_connections: number;
  routes: RouteCount[];
  instances: LiveInstance[];
}

export interface InstanceStats {
  instance_id: string;
  started_at: string;
  uptime_seconds: number;
  /** Live connections on this instance, anonymous ones included. */
  connections: number;
  messages_in: number;
  messages_out: number;
  bytes_out: number;
}

export interface AdminStats {
  version: string;
  generated_at: string;
  cluster: ClusterStats;
  instance: InstanceStats;
}

/** Heartbeats older than this window mark an instance as dead. */
export function staleBefore(now: Date, instanceStaleMs: number): string {
  return new Date(now.getTime() - instanceStaleMs).toISOString();
}

export async function adminStats(
  context: ServerContext,
  records: ConnectionRecordRepository,
  startedAt: Date,
  instanceStaleMs: number,
): Promise<AdminStats> {
  const now = new Date();
  const [connections, users, live] = await Promise.all([
    context.presence.connectionCount(CONNECTIONS_TOPIC),
    context.presence.userCount(CONNECTIONS_TOPIC),
    records.liveSummary(staleBefore(now, instanceStaleMs)),
  ]);
  const { stats } = context;
  return {
    version: SERVER_VERSION,
    generated_at: now.toISOString(),
    cluster: { connections, users, recorded_connections: live.connections, routes: live.routes, instances: live.instances },
    instance: {
      instance_id: context.options.instanceId,
      started_at: startedAt.toISOString(),
      uptime_seconds: Math.floor((now.getTime() - startedAt.getTime()) / 1000),
      connections: context.connectionCount(),
      messages_in: stats.messagesIn,
      messages_out: stats.messagesOut,
      bytes_out: stats.bytesOut,
    },
  };
}
