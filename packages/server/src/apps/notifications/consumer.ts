/**
 * `/ws/notifications/` (PROTOCOL.md §2, seeds 000/002/003): one connection per tab of a
 * user. On connect `unread_count`; read changes push `unread_count` to every tab; an
 * optional per-connection type filter (`subscribe`), which also joins each type's
 * broadcast group. Group names and the push path live in service.ts.
 */
import { ErrorCode, MAX_SUBSCRIBED_TYPES, notificationsClientSchemas } from '@switchboard/protocol';
import { Consumer, on, type HandlerTable } from '../../core/consumer.js';
import { ClientError } from '../../core/errors.js';
import { NotificationService, notificationGroups, unreadCountMessage } from './service.js';

const schemas = notificationsClientSchemas;

export class NotificationsConsumer extends Consumer {
  static override handlers: HandlerTable<NotificationsConsumer> = {
    subscribe: on(schemas.subscribe, (c: NotificationsConsumer, p, ref) => c.subscribe(p.notification_types, ref)),
    unsubscribe: on(schemas.unsubscribe, (c: NotificationsConsumer, p, ref) => c.unsubscribe(p.notification_types, ref)),
    mark_read: on(schemas.mark_read, (c: NotificationsConsumer, p, ref) => c.markRead(p.id ?? p.notification_id, ref)),
    mark_all_read: on(schemas.mark_all_read, (c: NotificationsConsumer, _p, ref) => c.markAllRead(ref)),
    get_notifications: on(schemas.get_notifications, (c: NotificationsConsumer, p, ref) =>
      c.getNotifications(p.unread_only ?? false, p.limit, ref),
    ),
  };

  /** Undefined until the first `subscribe`: every personal type is pushed. Else the allowed types. */
  private filter: Set<string> | undefined;

  private get service(): NotificationService {
    return NotificationService.for(this.host);
  }

  override async onConnect(): Promise<void> {
    const userId = this.user.id;
    await Promise.all([this.join(notificationGroups.inbox(userId)), this.join(notificationGroups.allTypes(userId))]);
    // Counted after joining, so a notification created meanwhile is pushed or counted (or both), never neither.
    this.send(unreadCountMessage(await this.host.store.notifications.unreadCount(userId)));
  }

  async subscribe(types: string[], ref: string | undefined): Promise<void> {
    const userId = this.user.id;
    const current = this.filter ?? new Set<string>();
    const added = [...new Set(types)].filter((type) => !current.has(type));
    if (current.size + added.length > MAX_SUBSCRIBED_TYPES) {
      throw new ClientError(ErrorCode.TooLarge, `At most ${MAX_SUBSCRIBED_TYPES} notification types per connection`);
    }
    // An empty list changes nothing (it must not silence a connection that receives every type).
    if (types.length > 0) {
      const wasUnfiltered = this.filter === undefined;
      for (const type of added) current.add(type);
      this.filter = current;
      // Join the new groups before leaving the unfiltered one: a concurrent push may
      // arrive twice (same id) but is never missed.
      await Promise.all(
        added.flatMap((type) => [this.join(notificationGroups.userType(userId, type)), this.join(notificationGroups.broadcast(type))]),
      );
      if (wasUnfiltered) await this.leave(notificationGroups.allTypes(userId));
    }
    this.sendSubscriptions('subscribed', ref);
  }

  async unsubscribe(types: string[], ref: string | undefined): Promise<void> {
    const userId = this.user.id;
    const removed = this.filter ? [...new Set(types)].filter((type) => this.filter!.delete(type)) : [];
    await Promise.all(
      removed.flatMap((type) => [this.leave(notificationGroups.userType(userId, type)), this.leave(notificationGroups.broadcast(type))]),
    );
    this.sendSubscriptions('unsubscribed', ref);
  }

  private sendSubscriptions(type: 'subscribed' | 'unsubscribed', ref: string | undefined): void {
    const data = { notification_types: [...(this.filter ?? [])].sort(), all_types: this.filter === undefined };
    this.send({ type, data }, ref);
  }

  async markRead(id: string | undefined, ref: string | undefined): Promise<void> {
    if (id === undefined) throw new ClientError(ErrorCode.InvalidPayload, 'id: is required');
    const change = await this.service.markRead(this.user.id, id, { except: this });
    if (!change) throw new ClientError(ErrorCode.NotFound, 'Notification not found');
    this.send(unreadCountMessage(change.unreadCount), ref);
  }

  async markAllRead(ref: string | undefined): Promise<void> {
    const change = await this.service.markAllRead(this.user.id, { except: this });
    this.send(unreadCountMessage(change.unreadCount), ref);
  }

  async getNotifications(unreadOnly: boolean, limit: number | undefined, ref: string | undefined): Promise<void> {
    const store = this.host.store.notifications;
    const [notifications, unreadCount] = await Promise.all([
      store.list(this.user.id, { unreadOnly, limit }),
      store.unreadCount(this.user.id),
    ]);
    this.send({ type: 'notifications', data: { notifications, unread_count: unreadCount } }, ref);
  }
}
