/** The staff analytics dashboard (seed 002): latest figures and a series for charts. */
import { ANALYTICS_KEY, AnalyticsBinding } from '../bindings/analytics.js';
import { INITIAL_ANALYTICS, type AnalyticsSnapshot } from '../stores/analytics-store.js';
import { INITIAL_CONNECTION, type ConnectionSnapshot } from '../stores/connection-store.js';
import { useBinding, useStoreSnapshot } from './use-binding.js';

export interface UseAnalyticsResult extends AnalyticsSnapshot {
  readonly connection: ConnectionSnapshot;
  readonly isConnected: boolean;
}

export function useAnalytics(enabled = true): UseAnalyticsResult {
  const binding = useBinding(enabled ? ANALYTICS_KEY : null, () => new AnalyticsBinding());
  const snapshot = useStoreSnapshot(binding?.store, INITIAL_ANALYTICS);
  const connection = useStoreSnapshot(binding?.connectionStore, INITIAL_CONNECTION);
  return { ...snapshot, connection, isConnected: connection.isConnected };
}
