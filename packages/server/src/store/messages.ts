/**
 * Channel messages and read markers. Each channel's messages are numbered 1, 2, 3…
 * by `seq`, assigned in the inserting transaction from `channels.last_seq`, so a
 * reader can always tell whether it missed something. A repeated `client_id` from
 * the same user returns the stored message instead of writing a second row.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DEFAULT_CHANNEL_HISTORY_LIMIT, MAX_CHANNEL_HISTORY_LIMIT } from '@switchboard/protocol';
import { clampLimit, fetchPage } from './paging.js';
import type { Database, MessagesTable, ReadMarkersTable } from './schema.js';
import { UUID_PATTERN } from './workspaces.js';

export interface Attachment {
  url: string;
  name?: string;
  type?: string;
  size?: number;
}

export interface StoredMessage {
  id: string;
  channelId: string;
  seq: number;
  userId: string;
  userName: string;
  content: string;
  attachments: Attachment[];
  clientId: string | null;
  createdAt: string;
}

export interface MessageAuthor {
  id: string;
  name: string;
}

interface NewMessage {
  content: string;
  attachments: Attachment[];
  /** Idempotency key chosen by the client, unique per user. */
  clientId?: string | null;
}

export interface SendResult {
  message: StoredMessage;
  /** False when `clientId` matched a message already stored (a retry): nothing was written. */
  created: boolean;
}

export interface HistoryQuery {
  /** Only messages with a smaller seq (paging backwards). */
  beforeSeq?: number;
  /** Only messages with a larger seq (catching up after a reconnect). */
  afterSeq?: number;
  limit?: number;
}

interface HistoryPage {
  /** Oldest first. */
  messages: StoredMessage[];
  /** More messages match the query beyond this page. */
  hasMore: boolean;
}

export interface ReadMarker {
  channelId: string;
  userId: string;
  messageId: string;
  seq: number;
  updatedAt: string;
}

interface MarkReadResult {
  /** The user's marker after the call. */
  marker: ReadMarker;
  /** False when the stored marker was already at or past this message. */
  moved: boolean;
}

/** The same user already used this `client_id` for a message in another channel. */
export class ClientIdConflictError extends Error {
  constructor(readonly clientId: string) {
    super(`client_id ${clientId} was already used for a message in another channel`);
    this.name = 'ClientIdConflictError';
  }
}

/** The channel does not exist (any more). */
export class UnknownChannelError extends Error {
  constructor(channelId: string) {
    super(`channel ${channelId} does not exist`);
    this.name = 'UnknownChannelError';
  }
}

function toMessage(row: MessagesTable): StoredMessage {
  return {
    id: row.id,
    channelId: row.channel_id,
    seq: Number(row.seq),
    userId: row.user_id,
    userName: row.user_name,
    content: row.content,
    attachments: JSON.parse(row.attachments) as Attachment[],
    clientId: row.client_id,
    createdAt: row.created_at,
  };
}

function toMarker(row: ReadMarkersTable): ReadMarker {
  return { channelId: row.channel_id, userId: row.user_id, messageId: row.message_id, seq: Number(row.seq), updatedAt: row.updated_at };
}

export class MessageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Stores a message with the channel's next seq, in one transaction: the UPDATE of
   * `channels.last_seq` locks the channel row (PostgreSQL) or runs alone (SQLite), so
   * concurrent senders are numbered one after another, and a failed insert rolls the
   * bump back: no gaps, no duplicates.
   *
   * A repeated `client_id` is detected by the unique constraint on (user_id, client_id),
   * not by a lookup first: retries are rare, so the common send costs no extra query.
   */
  async send(channelId: string, author: MessageAuthor, input: NewMessage): Promise<SendResult> {
    const clientId = input.clientId ?? null;
    try {
      const row = await this.db.transaction().execute(async (trx) => {
        const bumped = await trx
          .updateTable('channels')
          .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
          .where('id', '=', channelId)
          .returning('last_seq')
          .executeTakeFirst();
        if (!bumped) throw new UnknownChannelError(channelId);
        const inserted: MessagesTable = {
          id: randomUUID(),
          channel_id: channelId,
          seq: Number(bumped.last_seq),
          user_id: author.id,
          user_name: author.name,
          content: input.content,
          attachments: JSON.stringify(input.attachments),
          client_id: clientId,
          // Taken while the channel row is locked, so created_at follows seq on one database.
          created_at: new Date().toISOString(),
        };
        await trx.insertInto('messages').values(inserted).execute();
        return inserted;
      });
      return { message: toMessage(row), created: true };
    } catch (error) {
      // The client_id is taken (a retry, possibly concurrent, or a reuse in another
      // channel): the insert failed, so the transaction and its seq bump rolled back.
      if (clientId !== null && !(error instanceof UnknownChannelError)) {
        const existing = await this.findByClientId(author.id, clientId);
        if (existing) return this.replay(existing, channelId);
      }
      throw error;
    }
  }

  private replay(existing: StoredMessage, channelId: string): SendResult {
    if (existing.channelId !== channelId) throw new ClientIdConflictError(existing.clientId ?? '');
    return { message: existing, created: false };
  }

  async findByClientId(userId: string, clientId: string): Promise<StoredMessage | undefined> {
    const row = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('user_id', '=', userId)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    return row && toMessage(row);
  }

  /** The message when it exists and belongs to `channelId`. */
  async findInChannel(channelId: string, messageId: string): Promise<StoredMessage | undefined> {
    if (!UUID_PATTERN.test(messageId)) return undefined;
    const row = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('id', '=', messageId)
      .where('channel_id', '=', channelId)
      .executeTakeFirst();
    return row && toMessage(row);
  }

  /**
   * One page of a channel's messages, oldest first. With `afterSeq` the page starts
   * right after it (catch-up); otherwise it is the newest messages below `beforeSeq`
   * (or the newest overall). Both together select the window between them, from
   * `afterSeq` upwards. `hasMore`: more messages match beyond the page.
   */
  async history(channelId: string, query: HistoryQuery = {}): Promise<HistoryPage> {
    const limit = clampLimit(query.limit, DEFAULT_CHANNEL_HISTORY_LIMIT, MAX_CHANNEL_HISTORY_LIMIT);
    let select = this.db.selectFrom('messages').selectAll().where('channel_id', '=', channelId);
    if (query.beforeSeq !== undefined) select = select.where('seq', '<', query.beforeSeq);
    const ascending = query.afterSeq !== undefined;
    if (query.afterSeq !== undefined) select = select.where('seq', '>', query.afterSeq);
    const { rows, hasMore } = await fetchPage(limit, (n) => select.orderBy('seq', ascending ? 'asc' : 'desc').limit(n).execute());
    const page = rows.map(toMessage);
    if (!ascending) page.reverse();
    return { messages: page, hasMore };
  }

  /**
   * Moves the user's read marker in a channel to `messageId`, only forward: marking
   * an older message than the current marker (a late or out-of-order client) keeps
   * the marker where it is. Undefined when the message is not in the channel.
   */
  async markRead(channelId: string, userId: string, messageId: string): Promise<MarkReadResult | undefined> {
    const message = await this.findInChannel(channelId, messageId);
    if (!message) return undefined;
    const row: ReadMarkersTable = {
      channel_id: channelId,
      user_id: userId,
      message_id: message.id,
      seq: message.seq,
      updated_at: new Date().toISOString(),
    };
    const result = await this.db
      .insertInto('read_markers')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['channel_id', 'user_id'])
          .doUpdateSet((eb) => ({
            message_id: eb.ref('excluded.message_id'),
            seq: eb.ref('excluded.seq'),
            updated_at: eb.ref('excluded.updated_at'),
          }))
          .where((eb) => eb('read_markers.seq', '<', eb.ref('excluded.seq'))),
      )
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) === 1) return { marker: toMarker(row), moved: true };
    const current = await this.readMarker(channelId, userId);
    return current ? { marker: current, moved: false } : undefined;
  }

  async readMarker(channelId: string, userId: string): Promise<ReadMarker | undefined> {
    const row = await this.db
      .selectFrom('read_markers')
      .selectAll()
      .where('channel_id', '=', channelId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && toMarker(row);
  }
}
