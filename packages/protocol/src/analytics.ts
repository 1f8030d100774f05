/** Seed 002 analytics dashboard: `/ws/analytics/dashboard/` (staff only, PROTOCOL.md §4). */
import type { HeartbeatMessage } from './blog.js';
import type { ServerEnvelope } from './common.js';

export const ANALYTICS_DASHBOARD_PATH = '/ws/analytics/dashboard/';

/** `analytics_update` period. */
export const ANALYTICS_UPDATE_INTERVAL_MS = 2000;

/** Cluster-wide figures of `analytics_snapshot` and `analytics_update`. */
export interface AnalyticsFigures {
  /** Live authenticated WebSocket connections, every endpoint, every instance. */
  active_connections: number;
  /** Distinct users with at least one live connection. */
  active_users: number;
  /** Distinct users connected to at least one blog post socket. */
  live_visitors: number;
  /** `track_view`s counted in the last 60 s. */
  page_views_last_minute: number;
  /** Client messages received per second over the last report period. */
  messages_per_second: number;
  /** Instances that reported in the last 10 s. */
  instances: number;
}

export interface AnalyticsSnapshotMessage extends ServerEnvelope {
  type: 'analytics_snapshot';
  data: AnalyticsFigures;
}

export interface AnalyticsUpdateMessage extends ServerEnvelope {
  type: 'analytics_update';
  data: AnalyticsFigures;
}

export type AnalyticsServerMessage = AnalyticsSnapshotMessage | AnalyticsUpdateMessage | HeartbeatMessage;
