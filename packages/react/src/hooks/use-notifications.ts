/** Seed 003's `useNotifications`: the inbox of `/ws/notifications/`, shared by every component. */
import { useCallback, useEffect, useRef } from 'react';
import type { Notification } from '@switchboard/protocol';
import { NOTIFICATIONS_KEY, NotificationsBinding } from '../bindings/notifications.js';
import { INITIAL_CONNECTION, type ConnectionSnapshot } from '../stores/connection-store.js';
import { INITIAL_NOTIFICATIONS, type NotificationsSnapshot } from '../stores/notifications-store.js';
import { useBinding, useStoreSnapshot } from './use-binding.js';

export interface UseNotificationsOptions {
  /** Called for each notification pushed while mounted (toasts). */
  onNotification?: (notification: Notification) => void;
}

export interface UseNotificationsResult extends NotificationsSnapshot {
  readonly isConnected: boolean;
  readonly connection: ConnectionSnapshot;
  markAsRead(id: string): void;
  markAllAsRead(): void;
  /** Lists the newest notifications again. */
  refresh(): void;
}

export function useNotifications(options: UseNotificationsOptions = {}): UseNotificationsResult {
  const binding = useBinding(NOTIFICATIONS_KEY, () => new NotificationsBinding());
  const snapshot = useStoreSnapshot(binding?.store, INITIAL_NOTIFICATIONS);
  const connection = useStoreSnapshot(binding?.connectionStore, INITIAL_CONNECTION);

  const onNotification = useRef(options.onNotification);
  onNotification.current = options.onNotification;
  useEffect(() => binding?.onNotification((notification) => onNotification.current?.(notification)), [binding]);

  const markAsRead = useCallback((id: string) => binding?.markRead(id), [binding]);
  const markAllAsRead = useCallback(() => binding?.markAllRead(), [binding]);
  const refresh = useCallback(() => binding?.refresh(), [binding]);
  return { ...snapshot, isConnected: connection.isConnected, connection, markAsRead, markAllAsRead, refresh };
}
