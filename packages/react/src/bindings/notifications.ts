/** `/ws/notifications/`: the shared inbox store, listed again on every (re)connect. */
import type { Connection, NotificationsEndpoint, ServerMessage } from '@switchboard/client';
import { NOTIFICATIONS_PATH, type Notification } from '@switchboard/protocol';
import { NotificationsStore } from '../stores/notifications-store.js';
import { ConnectionBinding } from './connection-binding.js';

export const NOTIFICATIONS_KEY = 'notifications';

/** How many notifications the inbox lists. */
export const NOTIFICATION_PAGE = 50;

export class NotificationsBinding extends ConnectionBinding<NotificationsStore, NotificationsEndpoint> {
  private readonly listeners = new Set<(notification: Notification) => void>();

  constructor() {
    super(NOTIFICATIONS_PATH, new NotificationsStore());
  }

  /** Pushed notifications as they arrive (toasts); returns the unsubscribe function. */
  onNotification(listener: (notification: Notification) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  markRead(id: string): void {
    if (this.store.markRead(id)) this.liveConnection()?.send('mark_read', { id });
  }

  markAllRead(): void {
    this.store.markAllRead();
    this.liveConnection()?.send('mark_all_read');
  }

  /** The connection unless closed for good (while reconnecting, sends are queued). */
  private liveConnection(): Connection<NotificationsEndpoint> | undefined {
    const connection = this.connection;
    return connection && connection.state !== 'closed' ? connection : undefined;
  }

  /** Lists the inbox again; the reply (`notifications`) reaches the store through `received`. */
  refresh(): void {
    this.liveConnection()?.send('get_notifications', { limit: NOTIFICATION_PAGE });
  }

  protected override received(message: ServerMessage): void {
    this.store.receive(message);
    if (message.type === 'notification' && message.data) {
      for (const listener of [...this.listeners]) listener(message.data as Notification);
    }
  }

  protected override opened(): void {
    this.refresh();
  }
}
