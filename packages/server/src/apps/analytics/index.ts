/**
 * Analytics (seed 002, PROTOCOL.md §4): the staff dashboard `/ws/analytics/dashboard/`
 * with cluster-wide live figures.
 */
import { ANALYTICS_DASHBOARD_PATH } from '@switchboard/protocol';
import type { App } from '../../core/app.js';
import type { ServerContext } from '../../core/context.js';
import { AnalyticsDashboardConsumer } from './consumer.js';
import { AnalyticsService, type AnalyticsOptions } from './service.js';

export { AnalyticsService, LIVE_VISITORS_TOPIC, type AnalyticsOptions } from './service.js';

export function analyticsApp(options: AnalyticsOptions = {}): App {
  let context: ServerContext | undefined;
  return {
    name: 'analytics',
    routes: [{ path: ANALYTICS_DASHBOARD_PATH, consumer: AnalyticsDashboardConsumer }],
    async http(_fastify, serverContext) {
      context = serverContext;
      // Before the server listens, so no page view or reader of a first connection is missed.
      await AnalyticsService.for(serverContext, options).attach();
    },
    start(serverContext) {
      AnalyticsService.for(serverContext, options).start();
    },
    async stop() {
      if (context) await AnalyticsService.for(context).stop();
    },
  };
}
