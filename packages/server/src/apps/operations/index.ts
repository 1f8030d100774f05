/**
 * Operations: connection records (who is connected where, cluster-wide, written in
 * batches off the hot path), instance heartbeats and `GET /api/admin/stats`. The CLI's
 * `monitor` and `cleanup` commands read and prune the same tables.
 */
import type { App } from '../../core/app.js';
import { ConnectionRecordRepository } from '../../store/connections.js';
import { SERVER_VERSION } from '../../version.js';
import { adminStatsRoute } from './http.js';
import { resolveOperationsOptions, type OperationsOptions } from './options.js';
import { ConnectionRecorder } from './recorder.js';

export { OPERATIONS_DEFAULTS, type OperationsOptions } from './options.js';
export { adminStats, staleBefore, type AdminStats, type ClusterStats, type InstanceStats } from './stats.js';

export function operationsApp(options: OperationsOptions = {}): App {
  const settings = resolveOperationsOptions(options);
  let recorder: ConnectionRecorder | undefined;
  return {
    name: 'operations',
    http(fastify, context) {
      const startedAt = new Date();
      const records = new ConnectionRecordRepository(context.store.db);
      recorder = new ConnectionRecorder(
        records,
        { instanceId: context.options.instanceId, version: SERVER_VERSION, startedAt: startedAt.toISOString() },
        context.logger.child({ app: 'operations' }),
        settings,
      );
      // Subscribed before the server listens; nothing is written before start().
      recorder.listen(context);
      adminStatsRoute(fastify, context, { records, startedAt, instanceStaleMs: settings.instanceStaleMs });
    },
    async start() {
      await recorder?.start();
    },
    async stop() {
      await recorder?.stop();
    },
  };
}
