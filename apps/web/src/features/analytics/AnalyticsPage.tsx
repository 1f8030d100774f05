/** The staff dashboard: cluster-wide figures every 2 s and live charts of connections and messages/s. */
import { useAnalytics, useCurrentUser, type AnalyticsSample } from '@switchboard/react';
import type { ReactNode } from 'react';
import { ConnectionBadge, EmptyState } from '../../ui/feedback.js';
import { LineChart } from './LineChart.js';

const FIGURES: readonly { key: keyof Omit<AnalyticsSample, 'at'>; label: string }[] = [
  { key: 'active_connections', label: 'Connections' },
  { key: 'active_users', label: 'Users online' },
  { key: 'messages_per_second', label: 'Messages / s' },
  { key: 'live_visitors', label: 'Blog readers' },
  { key: 'page_views_last_minute', label: 'Views / min' },
  { key: 'instances', label: 'Instances' },
];

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

export function AnalyticsPage(): ReactNode {
  const me = useCurrentUser();
  const staff = me?.isStaff === true;
  const analytics = useAnalytics(staff);
  if (!staff) {
    return (
      <EmptyState title="Staff only" testId="analytics-forbidden">
        The analytics dashboard shows cluster-wide figures to staff accounts.
      </EmptyState>
    );
  }
  const { latest, series } = analytics;
  return (
    <div className="page" data-testid="analytics-page">
      <div className="page-head">
        <h1>Analytics</h1>
        <ConnectionBadge connection={analytics.connection} />
      </div>
      <div className="figures">
        {FIGURES.map((figure) => (
          <div key={figure.key} className="card figure" data-testid="analytics-figure" data-name={figure.key}>
            <div className="figure-value">{latest ? format(latest[figure.key]) : '–'}</div>
            <div className="muted">{figure.label}</div>
          </div>
        ))}
      </div>
      <div className="charts">
        <div className="card">
          <h2>Connections</h2>
          <LineChart
            testId="analytics-chart-connections"
            times={series.map((sample) => sample.at)}
            lines={[
              { name: 'active_connections', label: 'Connections', color: '#4f46e5', values: series.map((sample) => sample.active_connections) },
              { name: 'active_users', label: 'Users', color: '#0891b2', values: series.map((sample) => sample.active_users) },
            ]}
          />
        </div>
        <div className="card">
          <h2>Messages per second</h2>
          <LineChart
            testId="analytics-chart-messages"
            times={series.map((sample) => sample.at)}
            lines={[{ name: 'messages_per_second', label: 'Messages / s', color: '#059669', values: series.map((sample) => sample.messages_per_second) }]}
          />
        </div>
      </div>
    </div>
  );
}
