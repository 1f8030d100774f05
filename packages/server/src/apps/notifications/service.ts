/**
 * NotificationService: the one way features (blog, tickets, REST) notify users.
 * Personal notifications are committed to the database first, then pushed through the
 * channel layer (so every instance of a cluster delivers them), encoded once.
 *
 * Groups (ids and types are URI-encoded, so a `:` inside one can never forge another's group):
 * - `notifications:inbox:<user>`: every `/ws/notifications/` connection of the user
 *   (`unread_count` after read changes reaches all tabs, whatever their filter);
 * - `notifications:user:<user>`: the user's connections without a type filter;
 * - `notifications:user:<user>:type:<type>`: connections whose filter includes `type`;
 * - `notifications:type:<type>`: every connection subscribed to `type` (type broadcasts).
 * The user's other sockets (rooms, channels, …) join none of these.
 */
import { randomUUID } from 'node:crypto';
import type { Notification, NotificationInput } from '@switchboard/protocol';
import type { ServerContext } from '../../core/context.js';
import { encodeMessage } from '../../core/frame.js';
import type { LayerMember } from '../../layer/types.js';

const part = encodeURIComponent;

export const notificationGroups = {
  inbox: (userId: string): string => `notifications:inbox:${part(userId)}`,
  allTypes: (userId: string): string => `notifications:user:${part(userId)}`,
  userType: (userId: string, type: string): string => `notifications:user:${part(userId)}:type:${part(type)}`,
  broadcast: (type: string): string => `notifications:type:${part(type)}`,
};

export function unreadCountMessage(count: number): { type: 'unread_count'; data: { count: number } } {
  return { type: 'unread_count', data: { count } };
}

export interface ReadChange {
  /** False when the notification was already read (nothing was pushed). */
  changed: boolean;
  notification: Notification;
  unreadCount: number;
}

export interface ReadAllChange {
  /** How many notifications became read. */
  marked: number;
  unreadCount: number;
}

export interface PushOptions {
  /** A connection that answers for itself (with its `ref`) and must not get the shared copy. */
  except?: LayerMember;
}

type ServiceContext = Pick<ServerContext, 'store' | 'layer'>;

const services = new WeakMap<ServiceContext, NotificationService>();

export class NotificationService {
  /** The service of a server: stateless, so one per context is shared by every caller. */
  static for(context: ServiceContext): NotificationService {
    let service = services.get(context);
    if (!service) {
      service = new NotificationService(context);
      services.set(context, service);
    }
    return service;
  }

  constructor(private readonly context: ServiceContext) {}

  /**
   * Persists a notification for `userId`, then pushes it to the user's notification
   * connections whose filter lets its type through. Resolves once it is committed and
   * handed to the channel layer; a failed cross-instance push is logged by the layer,
   * not thrown (core/fanout.ts): the row is the delivery guarantee (`unread_count` /
   * `get_notifications` on the next connect), and a caller retrying on an error would
   * create a duplicate.
   */
  async notify(userId: string, input: NotificationInput): Promise<Notification> {
    const notification = await this.context.store.notifications.create(userId, input);
    const frame = encodeMessage({ type: 'notification', data: notification });
    await this.send([notificationGroups.allTypes(userId), notificationGroups.userType(userId, notification.notification_type)], frame);
    return notification;
  }

  /**
   * Pushes a notification of `type` to every connection subscribed to that type, on
   * every instance (seed 002: a published blog post). Not persisted: its audience is
   * whoever is subscribed right now, not a list of users, so it has a fresh `id` that
   * `mark_read` does not know, and `read_at` null.
   */
  async broadcastToType(type: string, input: Omit<NotificationInput, 'notification_type'>): Promise<Notification> {
    const notification: Notification = {
      id: randomUUID(),
      notification_type: type,
      title: input.title,
      message: input.message,
      icon: input.icon ?? null,
      color: input.color ?? null,
      data: input.data ?? {},
      created_at: new Date().toISOString(),
      read_at: null,
    };
    await this.send([notificationGroups.broadcast(type)], encodeMessage({ type: 'notification', data: notification }));
    return notification;
  }

  /**
   * Marks one of the user's notifications read; when it was unread, pushes the new
   * `unread_count` to all of the user's notification connections (but `except`).
   * Undefined when the user has no notification with this id.
   */
  async markRead(userId: string, id: string, options: PushOptions = {}): Promise<ReadChange | undefined> {
    const store = this.context.store.notifications;
    const changed = await store.markRead(id, userId);
    const notification = await store.find(id, userId);
    if (!notification) return undefined;
    const unreadCount = await store.unreadCount(userId);
    if (changed) await this.pushUnreadCount(userId, unreadCount, options);
    return { changed, notification, unreadCount };
  }

  /** Marks all of the user's notifications read and pushes `unread_count` when any changed. */
  async markAllRead(userId: string, options: PushOptions = {}): Promise<ReadAllChange> {
    const store = this.context.store.notifications;
    const marked = await store.markAllRead(userId);
    // Counted again rather than assumed 0: a notification may have arrived meanwhile.
    const unreadCount = await store.unreadCount(userId);
    if (marked > 0) await this.pushUnreadCount(userId, unreadCount, options);
    return { marked, unreadCount };
  }

  /** Sends `unread_count {count}` to every notification connection of the user. */
  async pushUnreadCount(userId: string, count: number, options: PushOptions = {}): Promise<void> {
    const frame = encodeMessage(unreadCountMessage(count));
    await this.send([notificationGroups.inbox(userId)], frame, options.except);
  }

  private async send(groups: string[], frame: Buffer, except?: LayerMember): Promise<void> {
    const { layer } = this.context;
    await Promise.all(groups.map((group) => layer.groupSend(group, frame, except ? { except } : undefined)));
  }
}
