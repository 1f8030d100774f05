/** `/ws/health/` (anonymous) and `GET /health` (PROTOCOL.md §4). */
import type { ServerEnvelope } from './common.js';

export const HEALTH_WS_PATH = '/ws/health/';

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';
export type CheckStatus = 'ok' | 'degraded' | 'down';

export interface HealthReport {
  status: HealthStatus;
  message: string;
  checks: { database: CheckStatus; channel_layer: CheckStatus };
}

export interface HealthMessage extends ServerEnvelope {
  type: 'health';
  data: HealthReport;
}
