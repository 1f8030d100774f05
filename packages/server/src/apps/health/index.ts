import { HEALTH_WS_PATH } from '@switchboard/protocol';
import type { App } from '../../core/app.js';
import { HealthConsumer, startHealthTicker } from './consumer.js';
import { healthReport } from './report.js';

export function healthApp(): App {
  let stopTicker: (() => void) | undefined;
  return {
    name: 'health',
    routes: [{ path: HEALTH_WS_PATH, consumer: HealthConsumer, anonymous: true }],
    http(fastify, context) {
      fastify.get(
        '/health',
        { schema: { tags: ['operations'], summary: 'Health of this instance (no auth)' } },
        async (_request, reply) => {
          const report = await healthReport(context);
          return reply.code(report.status === 'unhealthy' ? 503 : 200).send(report);
        },
      );
    },
    start(context) {
      stopTicker = startHealthTicker(context);
    },
    stop() {
      stopTicker?.();
    },
  };
}
