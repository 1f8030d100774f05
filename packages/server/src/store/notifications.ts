/**
 * Per-user notifications with read state (PROTOCOL.md §2 `/ws/notifications/`, §8).
 * Rows come back in the wire shape, so routes and consumers send them as they are.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  DEFAULT_NOTIFICATION_LIMIT,
  MAX_NOTIFICATION_LIMIT,
  type Notification,
  type NotificationInput,
} from '@switchboard/protocol';
import { MonotonicClock, clampLimit } from './paging.js';
import type { Database, NotificationsTable } from './schema.js';
import { UUID_PATTERN } from './workspaces.js';

interface ListOptions {
  unreadOnly?: boolean;
  /** 1–100, default 50; out-of-range values are clamped. */
  limit?: number;
}

function parseData(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function toNotification(row: NotificationsTable): Notification {
  return {
    id: row.id,
    notification_type: row.notification_type,
    title: row.title,
    message: row.message,
    icon: row.icon,
    color: row.color,
    data: parseData(row.data),
    created_at: row.created_at,
    read_at: row.read_at,
  };
}

export class NotificationRepository {
  /** A burst of notifications within one millisecond still lists newest first in creation order. */
  private readonly clock = new MonotonicClock();

  constructor(private readonly db: Kysely<Database>) {}

  /** Persists a new unread notification for `userId`. */
  async create(userId: string, input: NotificationInput): Promise<Notification> {
    const row: NotificationsTable = {
      id: randomUUID(),
      user_id: userId,
      notification_type: input.notification_type,
      title: input.title,
      message: input.message,
      icon: input.icon ?? null,
      color: input.color ?? null,
      data: JSON.stringify(input.data ?? {}),
      created_at: this.clock.now(),
      read_at: null,
    };
    await this.db.insertInto('notifications').values(row).execute();
    return toNotification(row);
  }

  /** The user's notification `id`, or undefined when it does not exist or belongs to someone else. */
  async find(id: string, userId: string): Promise<Notification | undefined> {
    if (!UUID_PATTERN.test(id)) return undefined;
    const row = await this.db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && toNotification(row);
  }

  /** Newest first. */
  async list(userId: string, options: ListOptions = {}): Promise<Notification[]> {
    let query = this.db.selectFrom('notifications').selectAll().where('user_id', '=', userId);
    if (options.unreadOnly) query = query.where('read_at', 'is', null);
    // id breaks ties (rows of two instances in the same millisecond), so the order is stable.
    const limit = clampLimit(options.limit, DEFAULT_NOTIFICATION_LIMIT, MAX_NOTIFICATION_LIMIT);
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toNotification);
  }

  async unreadCount(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll().as('count'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow();
    // PostgreSQL returns count(*) as a string (bigint).
    return Number(row.count);
  }

  /** Marks one of the owner's notifications read; true when it was unread before. */
  async markRead(id: string, userId: string): Promise<boolean> {
    if (!UUID_PATTERN.test(id)) return false;
    const result = await this.db
      .updateTable('notifications')
      .set({ read_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Marks every unread notification of the user read; returns how many changed. */
  async markAllRead(userId: string): Promise<number> {
    const result = await this.db
      .updateTable('notifications')
      .set({ read_at: new Date().toISOString() })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
