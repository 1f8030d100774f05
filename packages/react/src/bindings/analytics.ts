/** `/ws/analytics/dashboard/` (staff only): snapshots and 2-second updates into a bounded series. */
import type { AnalyticsEndpoint, ServerMessage } from '@switchboard/client';
import { ANALYTICS_DASHBOARD_PATH } from '@switchboard/protocol';
import { AnalyticsStore } from '../stores/analytics-store.js';
import { ConnectionBinding } from './connection-binding.js';

export const ANALYTICS_KEY = 'analytics';

export class AnalyticsBinding extends ConnectionBinding<AnalyticsStore, AnalyticsEndpoint> {
  constructor() {
    super(ANALYTICS_DASHBOARD_PATH, new AnalyticsStore());
  }

  protected override received(message: ServerMessage): void {
    this.store.receive(message);
  }
}
