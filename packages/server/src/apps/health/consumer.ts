/**
 * `/ws/health/` (anonymous): the report on connect, then every `healthIntervalMs`
 * from one shared ticker per server that computes it once for all its watchers.
 */
import { encodeMessage } from '../../core/frame.js';
import { Consumer } from '../../core/consumer.js';
import type { ServerContext } from '../../core/context.js';
import { healthReport } from './report.js';

/** Watchers per server: the report is per instance, so it never crosses the channel layer. */
const watchersByServer = new WeakMap<ServerContext, Set<HealthConsumer>>();

function watchers(context: ServerContext): Set<HealthConsumer> {
  let set = watchersByServer.get(context);
  if (!set) {
    set = new Set();
    watchersByServer.set(context, set);
  }
  return set;
}

export class HealthConsumer extends Consumer {
  override async onConnect(): Promise<void> {
    watchers(this.host).add(this);
    this.send({ type: 'health', data: await healthReport(this.host) });
  }

  override onDisconnect(): void {
    watchers(this.host).delete(this);
  }
}

/** Starts the shared ticker; returns its stop function. */
export function startHealthTicker(context: ServerContext): () => void {
  let running = false;
  const timer = setInterval(async () => {
    const current = watchers(context);
    if (running || current.size === 0) return;
    running = true;
    try {
      const frame = encodeMessage({ type: 'health', data: await healthReport(context) });
      for (const consumer of current) consumer.deliver(frame);
    } finally {
      running = false;
    }
  }, context.options.healthIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
