/**
 * `/ws/notifications/` (PROTOCOL.md §2, shared by seeds 000, 002 and 003) and the
 * notification shape the REST API returns (§8).
 */
import { MAX_ARRAY_ITEMS } from './common.js';
import type { ServerEnvelope } from './common.js';
import { array, boolean, number, object, optional, string, type Infer } from './schema.js';

export const NOTIFICATIONS_PATH = '/ws/notifications/';

/** Notification ids are UUIDs issued by the server. */
export const NOTIFICATION_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `notification_type` values (`mention`, `blog_post_published`, …): 1–100 characters. */
export const MAX_NOTIFICATION_TYPE_LENGTH = 100;
export const notificationType = string({ min: 1, max: MAX_NOTIFICATION_TYPE_LENGTH });

/** `limit` of a notification listing: at most 100, default 50. */
export const MAX_NOTIFICATION_LIMIT = 100;
export const DEFAULT_NOTIFICATION_LIMIT = 50;

/** How many types one connection may subscribe to in total. */
export const MAX_SUBSCRIBED_TYPES = MAX_ARRAY_ITEMS;

const notificationId = string({ min: 1, max: 36, pattern: NOTIFICATION_ID_PATTERN, patternText: 'a UUID' });
const notificationTypes = array(notificationType, { max: MAX_ARRAY_ITEMS });

export const notificationsClientSchemas = {
  subscribe: object({ notification_types: notificationTypes }),
  unsubscribe: object({ notification_types: notificationTypes }),
  /** `id` per PROTOCOL.md; `notification_id` is accepted as an alias (one of them is required). */
  mark_read: object({ id: optional(notificationId), notification_id: optional(notificationId) }),
  mark_all_read: object({}),
  get_notifications: object({
    unread_only: optional(boolean()),
    limit: optional(number({ integer: true, min: 1, max: MAX_NOTIFICATION_LIMIT })),
  }),
};

export type SubscribeNotifications = Infer<typeof notificationsClientSchemas.subscribe>;
export type UnsubscribeNotifications = Infer<typeof notificationsClientSchemas.unsubscribe>;
export type MarkRead = Infer<typeof notificationsClientSchemas.mark_read>;
export type GetNotifications = Infer<typeof notificationsClientSchemas.get_notifications>;

/** A notification as pushed, listed and returned by REST (seed 002/003 fields). */
export interface Notification {
  id: string;
  notification_type: string;
  title: string;
  message: string;
  icon: string | null;
  color: string | null;
  data: Record<string, unknown>;
  /** ISO 8601 UTC. */
  created_at: string;
  /** ISO 8601 UTC, null while unread. */
  read_at: string | null;
}

/** What a sender supplies; the server assigns `id`, `created_at` and `read_at`. */
export interface NotificationInput {
  notification_type: string;
  title: string;
  message: string;
  icon?: string | null;
  color?: string | null;
  data?: Record<string, unknown>;
}

export interface UnreadCountMessage extends ServerEnvelope {
  type: 'unread_count';
  data: { count: number };
}

export interface NotificationMessage extends ServerEnvelope {
  type: 'notification';
  data: Notification;
}

export interface NotificationListMessage extends ServerEnvelope {
  type: 'notifications';
  data: { notifications: Notification[]; unread_count: number };
}

/**
 * Reply to `subscribe` / `unsubscribe` (an addition: the seeds send none). `all_types`
 * is true while the connection has never subscribed (it receives every personal type);
 * otherwise `notification_types` is its current filter.
 */
export interface SubscriptionsMessage extends ServerEnvelope {
  type: 'subscribed' | 'unsubscribed';
  data: { notification_types: string[]; all_types: boolean };
}

export type NotificationsServerMessage =
  | UnreadCountMessage
  | NotificationMessage
  | NotificationListMessage
  | SubscriptionsMessage;
