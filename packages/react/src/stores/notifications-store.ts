/**
 * The notification inbox of `/ws/notifications/`: the unread count the server pushes,
 * the list (`get_notifications`, then pushed `notification`s on top), and optimistic
 * read marks that the server's next `unread_count` confirms.
 */
import type { Notification } from '@switchboard/protocol';
import { ExternalStore } from './store.js';

export interface NotificationsSnapshot {
  /** Newest first. */
  readonly notifications: readonly Notification[];
  readonly unreadCount: number;
  /** True once a list came from the server. */
  readonly loaded: boolean;
  /** The newest notification pushed live (for toasts); undefined until one arrives. */
  readonly latest?: Notification;
}

/** Notifications kept in memory; older ones are fetched again when needed. */
export const MAX_KEPT_NOTIFICATIONS = 100;

export const INITIAL_NOTIFICATIONS: NotificationsSnapshot = Object.freeze({ notifications: [], unreadCount: 0, loaded: false });

export class NotificationsStore extends ExternalStore<NotificationsSnapshot> {
  constructor(private readonly maxKept = MAX_KEPT_NOTIFICATIONS) {
    super(INITIAL_NOTIFICATIONS);
  }

  /** Any message of the endpoint; unknown types are ignored. */
  receive(message: { type: string; data?: unknown }): void {
    const data = message.data as Record<string, unknown> | undefined;
    if (!data) return;
    switch (message.type) {
      case 'unread_count':
        if (typeof data.count === 'number') this.patch({ unreadCount: data.count });
        return;
      case 'notification':
        this.pushed(data as unknown as Notification);
        return;
      case 'notifications':
        this.listed(data.notifications as Notification[], data.unread_count as number);
        return;
    }
  }

  /** A pushed notification goes on top; the server does not push a count for it, so count it here. */
  pushed(notification: Notification): void {
    const { notifications, unreadCount } = this.current;
    if (notifications.some((known) => known.id === notification.id)) return;
    this.setState({
      ...this.current,
      notifications: [notification, ...notifications].slice(0, this.maxKept),
      unreadCount: notification.read_at === null ? unreadCount + 1 : unreadCount,
      latest: notification,
    });
  }

  /** A full list (newest first) replaces what was kept. */
  listed(notifications: readonly Notification[], unreadCount: number): void {
    this.setState({
      ...this.current,
      notifications: notifications.slice(0, this.maxKept),
      unreadCount: typeof unreadCount === 'number' ? unreadCount : this.current.unreadCount,
      loaded: true,
    });
  }

  /** Optimistic: marks one read now; the server's `unread_count` follows. Returns whether it was unread. */
  markRead(id: string, at = new Date().toISOString()): boolean {
    const { notifications, unreadCount } = this.current;
    const target = notifications.find((item) => item.id === id);
    if (!target || target.read_at !== null) return false;
    this.setState({
      ...this.current,
      notifications: notifications.map((item) => (item.id === id ? { ...item, read_at: at } : item)),
      unreadCount: Math.max(0, unreadCount - 1),
    });
    return true;
  }

  /** Optimistic: marks every kept notification read and the count 0. */
  markAllRead(at = new Date().toISOString()): void {
    const { notifications } = this.current;
    this.setState({
      ...this.current,
      notifications: notifications.map((item) => (item.read_at === null ? { ...item, read_at: at } : item)),
      unreadCount: 0,
    });
  }
}
