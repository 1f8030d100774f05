/**
 * `/ws/analytics/dashboard/` (PROTOCOL.md §4): staff only, anyone else is closed with
 * 4003. `analytics_snapshot` on connect, then `analytics_update` from the shared ticker.
 * Clients send nothing but `ping`.
 */
import { Consumer } from '../../core/consumer.js';
import { AnalyticsService } from './service.js';

export class AnalyticsDashboardConsumer extends Consumer {
  override authorize(): boolean {
    return this.user.isStaff;
  }

  override async onConnect(): Promise<void> {
    await AnalyticsService.for(this.host).addDashboard(this);
  }

  override onDisconnect(): void {
    AnalyticsService.for(this.host).removeDashboard(this);
  }
}
