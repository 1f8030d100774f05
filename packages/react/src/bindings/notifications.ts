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
    if (this.store.markRead(id)) this.sendIfLive('mark_read', { id });
  }

  markAllRead(): void {
    this.store.markAllRead();
    this.sendIfLive('mark_all_read', {});
  }

  private sendIfLive(type: 'mark_read' | 'mark_all_read', payload: { id?: string }): void {
    const connection = this.connection;
    if (!connection || connection.state === 'closed') return;
    if (type === 'mark_read') connection.send('mark_read', payload);
    else connection.send('mark_all_read');
  }

  refresh(): void {
    const connection = this.connection;
    if (connection) this.list(connection);
  }

  protected override received(message: ServerMessage): void {
    this.store.receive(message);
    if (message.type === 'notification' && message.data) {
      for (const listener of [...this.listeners]) listener(message.data as Notification);
    }
  }

  protected override opened(connection: Connection<NotificationsEndpoint>): void {
    this.list(connection);
  }

  /** The reply (`notifications`) reaches the store through `received`. */
  private list(connection: Connection<NotificationsEndpoint>): void {
    if (connection.state !== 'closed') connection.send('get_notifications', { limit: NOTIFICATION_PAGE });
  }
}
