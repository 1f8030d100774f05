/** Computes the health report shared by `GET /health` and `/ws/health/`. */
import type { CheckStatus, HealthReport } from '@switchboard/protocol';
import type { ServerContext } from '../../core/context.js';

const CHECK_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function checkDatabase(context: ServerContext): Promise<CheckStatus> {
  try {
    await withTimeout(context.store.ping(), CHECK_TIMEOUT_MS);
    return 'ok';
  } catch {
    return 'down';
  }
}

async function checkLayer(context: ServerContext): Promise<CheckStatus> {
  try {
    return await withTimeout(context.layer.status(), CHECK_TIMEOUT_MS);
  } catch {
    return 'down';
  }
}

export async function healthReport(context: ServerContext): Promise<HealthReport> {
  const [database, channelLayer] = await Promise.all([checkDatabase(context), checkLayer(context)]);
  const checks = { database, channel_layer: channelLayer };
  if (database === 'down') return { status: 'unhealthy', message: 'Database unreachable', checks };
  if (channelLayer === 'down') return { status: 'degraded', message: 'Channel layer unreachable: no cross-instance fan-out', checks };
  if (channelLayer === 'degraded') return { status: 'degraded', message: 'Channel layer degraded', checks };
  return { status: 'healthy', message: 'All systems operational', checks };
}
