/** `GET /metrics` in Prometheus text format, read from the hot-path counters at scrape time. */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { App } from '../core/app.js';
import type { ServerContext } from '../core/context.js';

function buildRegistry(context: ServerContext, connectionCount: () => number): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchboard_process_' });
  const { stats } = context;
  const counter = (name: string, help: string, read: () => number): void => {
    registry.registerMetric(
      new Counter({
        name,
        help,
        registers: [],
        collect() {
          this.reset();
          this.inc(read());
        },
      }),
    );
  };
  registry.registerMetric(
    new Gauge({
      name: 'switchboard_connections',
      help: 'Live WebSocket connections on this instance',
      registers: [],
      collect() {
        this.set(connectionCount());
      },
    }),
  );
  counter('switchboard_connections_opened_total', 'WebSocket connections accepted', () => stats.connectionsOpened);
  counter('switchboard_messages_in_total', 'WebSocket messages received from clients', () => stats.messagesIn);
  counter('switchboard_messages_out_total', 'WebSocket messages written to clients', () => stats.messagesOut);
  counter('switchboard_bytes_out_total', 'WebSocket bytes written to clients', () => stats.bytesOut);
  registry.registerMetric(
    new Counter({
      name: 'switchboard_errors_total',
      help: 'Error replies sent to clients, by error code',
      labelNames: ['code'],
      registers: [],
      collect() {
        this.reset();
        for (const [code, count] of stats.errors) this.inc({ code }, count);
      },
    }),
  );
  registry.registerMetric(
    new Counter({
      name: 'switchboard_closes_total',
      help: 'Connections closed by the server, by close code',
      labelNames: ['code'],
      registers: [],
      collect() {
        this.reset();
        for (const [code, count] of stats.closes) this.inc({ code: String(code) }, count);
      },
    }),
  );
  return registry;
}

export function metricsApp(): App {
  return {
    name: 'metrics',
    http(fastify, context) {
      const registry = buildRegistry(context, () => context.connectionCount());
      fastify.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics' } }, async (_request, reply) =>
        reply.header('content-type', registry.contentType).send(await registry.metrics()),
      );
    },
  };
}
