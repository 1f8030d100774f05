/**
 * Cluster-wide analytics for the staff dashboard (PROTOCOL.md §4). One ticker per
 * instance: it publishes this instance's own figures to the other instances, then, when
 * this instance has dashboards, computes the cluster figures once and sends the same
 * frame to each of them.
 *
 * Where each figure comes from:
 * - active_connections / active_users: Presence topic `connections` (cluster-wide);
 * - live_visitors: users on the Presence topic this service keeps from the blog's
 *   `post.reader_joined` / `post.reader_left` events;
 * - page_views_last_minute / messages_per_second: per-instance, summed over the latest
 *   report of every live instance (see instance-reports.ts);
 * - instances: instances that reported within `instanceTimeoutMs` (this one included).
 */
import { ANALYTICS_UPDATE_INTERVAL_MS, type AnalyticsFigures } from '@switchboard/protocol';
import type { Consumer } from '../../core/consumer.js';
import { CONNECTIONS_TOPIC, type ServerContext } from '../../core/context.js';
import { encodeMessage } from '../../core/frame.js';
import { EventBus } from '../../events/index.js';
import { Heartbeat } from '../shared/heartbeat.js';
import { INSTANCES_GROUP, InstanceReports, encodeReport, type InstanceReport } from './instance-reports.js';
import { MinuteCounter } from './page-views.js';

export interface AnalyticsOptions {
  /** `analytics_update` period and report period (default 2000 ms). */
  updateIntervalMs?: number;
  /** An instance silent for longer is no longer counted (default 10 000 ms). */
  instanceTimeoutMs?: number;
}

/** Presence topic of the users reading at least one blog post. */
export const LIVE_VISITORS_TOPIC = 'analytics:live_visitors';

const DEFAULT_INSTANCE_TIMEOUT_MS = 10_000;

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

const services = new WeakMap<ServerContext, AnalyticsService>();

export class AnalyticsService {
  readonly updateIntervalMs: number;
  readonly instanceTimeoutMs: number;
  /** This instance's dashboard connections. */
  private readonly dashboards = new Set<Consumer>();
  private readonly heartbeat = new Heartbeat();
  private readonly pageViews = new MinuteCounter();
  private readonly reports = new InstanceReports();
  private readonly unsubscribers: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  private attached = false;
  private ticking = false;
  private lastMessagesIn = 0;
  private lastTickAt = Date.now();
  private messagesPerSecond = 0;

  /** The service of one server; `options` apply when it is first created (by the app). */
  static for(context: ServerContext, options: AnalyticsOptions = {}): AnalyticsService {
    let service = services.get(context);
    if (!service) {
      service = new AnalyticsService(context, options);
      services.set(context, service);
    }
    return service;
  }

  private constructor(
    private readonly context: ServerContext,
    options: AnalyticsOptions,
  ) {
    this.updateIntervalMs = options.updateIntervalMs ?? ANALYTICS_UPDATE_INTERVAL_MS;
    this.instanceTimeoutMs = options.instanceTimeoutMs ?? DEFAULT_INSTANCE_TIMEOUT_MS;
    this.lastMessagesIn = context.stats.messagesIn;
  }

  private get instanceId(): string {
    return this.context.options.instanceId;
  }

  /** Subscribes to the domain events and the instance reports; before the server listens. */
  async attach(): Promise<void> {
    if (this.attached) return;
    this.attached = true;
    const bus = EventBus.for(this.context);
    const { presence } = this.context;
    this.unsubscribers.push(
      bus.subscribe('post.viewed', () => this.pageViews.record()),
      bus.subscribe('post.reader_joined', async (reader) => {
        await presence.join(LIVE_VISITORS_TOPIC, { userId: reader.userId, userName: reader.userName }, reader.connectionId);
      }),
      bus.subscribe('post.reader_left', async (reader) => {
        await presence.leave(LIVE_VISITORS_TOPIC, reader.userId, reader.connectionId);
      }),
    );
    await this.context.layer.groupAdd(INSTANCES_GROUP, this.reports);
  }

  /** The shared ticker (figures and reports) and the seed-002 heartbeat timer. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.updateIntervalMs);
    this.timer.unref();
    this.heartbeat.start(this.context.options.heartbeatIntervalMs);
    // Announce this instance at once rather than one period later.
    void this.tick();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.heartbeat.stop();
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.dashboards.clear();
    this.reports.clear();
    if (this.attached) {
      this.attached = false;
      await this.context.layer.groupDiscard(INSTANCES_GROUP, this.reports);
    }
  }

  /** Sends the snapshot, then adds the dashboard to the update audience (so no update precedes it). */
  async addDashboard(dashboard: Consumer): Promise<void> {
    dashboard.send({ type: 'analytics_snapshot', data: await this.figures() });
    this.dashboards.add(dashboard);
    this.heartbeat.add(dashboard);
  }

  removeDashboard(dashboard: Consumer): void {
    this.dashboards.delete(dashboard);
    this.heartbeat.delete(dashboard);
  }

  /** The cluster-wide figures, now. */
  async figures(now = Date.now()): Promise<AnalyticsFigures> {
    const { presence } = this.context;
    const [activeConnections, activeUsers, liveVisitors] = await Promise.all([
      presence.connectionCount(CONNECTIONS_TOPIC),
      presence.userCount(CONNECTIONS_TOPIC),
      presence.userCount(LIVE_VISITORS_TOPIC),
    ]);
    // This instance's own figures are read live; the others' from their latest report.
    let pageViews = this.pageViews.count(now);
    let messagesPerSecond = this.messagesPerSecond;
    let instances = 1;
    for (const report of this.reports.live(this.instanceTimeoutMs, now)) {
      if (report.instanceId === this.instanceId) continue;
      pageViews += report.pageViewsLastMinute;
      messagesPerSecond += report.messagesPerSecond;
      instances++;
    }
    return {
      active_connections: activeConnections,
      active_users: activeUsers,
      live_visitors: liveVisitors,
      page_views_last_minute: pageViews,
      messages_per_second: round2(messagesPerSecond),
      instances,
    };
  }

  private ownReport(now: number): InstanceReport {
    const messagesIn = this.context.stats.messagesIn;
    const elapsedSeconds = (now - this.lastTickAt) / 1000;
    if (elapsedSeconds > 0) this.messagesPerSecond = round2((messagesIn - this.lastMessagesIn) / elapsedSeconds);
    this.lastMessagesIn = messagesIn;
    this.lastTickAt = now;
    return {
      instanceId: this.instanceId,
      pageViewsLastMinute: this.pageViews.count(now),
      messagesPerSecond: this.messagesPerSecond,
    };
  }

  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      const now = Date.now();
      const report = this.ownReport(now);
      this.reports.record(report, now);
      // The server's layer logs a failed cross-instance hop itself (core/fanout.ts).
      await this.context.layer.groupSend(INSTANCES_GROUP, encodeReport(report));
      if (this.dashboards.size === 0) return;
      const frame = encodeMessage({ type: 'analytics_update', data: await this.figures(now) });
      for (const dashboard of this.dashboards) dashboard.deliver(frame);
    } catch (error) {
      this.context.logger.error({ err: error }, 'analytics tick failed');
    } finally {
      this.ticking = false;
    }
  }
}
