/**
 * The staff dashboard (`/ws/analytics/dashboard/`): the latest cluster-wide figures
 * and a bounded series of samples for charts (one every 2 s; 150 samples = 5 min).
 */
import type { AnalyticsFigures } from '@switchboard/protocol';
import { ExternalStore } from './store.js';

export interface AnalyticsSample extends AnalyticsFigures {
  /** Milliseconds since the epoch, from the message's `timestamp`. */
  readonly at: number;
}

export interface AnalyticsSnapshot {
  readonly latest?: AnalyticsSample;
  /** Oldest first, at most `capacity` samples. */
  readonly series: readonly AnalyticsSample[];
}

export const DEFAULT_ANALYTICS_CAPACITY = 150;

const FIGURES: readonly (keyof AnalyticsFigures)[] = [
  'active_connections',
  'active_users',
  'live_visitors',
  'page_views_last_minute',
  'messages_per_second',
  'instances',
];

/** The snapshot before the first report (also what the hook shows with no connection). */
export const INITIAL_ANALYTICS: AnalyticsSnapshot = Object.freeze({ series: [] });

export class AnalyticsStore extends ExternalStore<AnalyticsSnapshot> {
  constructor(private readonly capacity = DEFAULT_ANALYTICS_CAPACITY) {
    super(INITIAL_ANALYTICS);
  }

  receive(message: { type: string; data?: unknown; timestamp?: string }): void {
    if (message.type !== 'analytics_snapshot' && message.type !== 'analytics_update') return;
    const data = message.data as Partial<AnalyticsFigures> | undefined;
    if (!data) return;
    const at = message.timestamp ? Date.parse(message.timestamp) : Date.now();
    const sample = { at: Number.isFinite(at) ? at : Date.now() } as AnalyticsSample & Record<string, number>;
    for (const key of FIGURES) sample[key] = typeof data[key] === 'number' ? data[key] : 0;
    const last = this.current.series[this.current.series.length - 1];
    // A snapshot after a reconnect may repeat the last update's time: keep the series increasing.
    const kept = last && last.at >= sample.at ? this.current.series.slice(0, -1) : this.current.series;
    this.setState({ latest: sample, series: [...kept, sample].slice(-this.capacity) });
  }
}
