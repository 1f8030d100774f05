/**
 * Job conversations (seed 004): one client and one worker per conversation, messages
 * numbered 1, 2, 3… by `seq`, the last-message fields and each side's unread count
 * kept on the conversation row in the same transaction as the message, so the inbox
 * never disagrees with the messages.
 *
 * Invariant: a participant's unread count equals the number of unread messages the
 * other participant sent. SYSTEM messages have no sender and are stored read.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { fetchPage } from './paging.js';
import type { Database } from './schema.js';
import type { ConversationMessagesTable, ConversationsTable } from './schema-conversations.js';
import { UUID_PATTERN } from './workspaces.js';

type StoredMessageType = 'TEXT' | 'LOCATION' | 'IMAGE' | 'FILE' | 'SYSTEM';
type StoredDeliveryStatus = 'sent' | 'delivered' | 'read';
type ParticipantRole = 'client' | 'worker';

/** `sender_name` of SYSTEM messages. */
export const SYSTEM_SENDER_NAME = 'System';

export interface Conversation {
  id: string;
  clientId: string;
  workerId: string;
  jobRef: string;
  title: string;
  lastSeq: number;
  lastMessageText: string | null;
  lastMessageAt: string | null;
  lastMessageSenderId: string | null;
  clientUnreadCount: number;
  workerUnreadCount: number;
  createdAt: string;
  updatedAt: string;
}

/** A conversation with its participants' display names (the stored user's name, else the id). */
export interface NamedConversation extends Conversation {
  clientName: string;
  workerName: string;
}

export interface StoredConversationMessage {
  id: string;
  conversationId: string;
  seq: number;
  senderId: string | null;
  senderName: string;
  text: string;
  type: StoredMessageType;
  isRead: boolean;
  deliveryStatus: StoredDeliveryStatus;
  createdAt: string;
  readAt: string | null;
}

export interface NewConversation {
  clientId: string;
  workerId: string;
  jobRef: string;
  title: string;
  /** Text of the SYSTEM message that opens the conversation. */
  systemText: string;
}

interface CreateConversationResult {
  conversation: Conversation;
  /** False when the job already had a conversation between these two: nothing was written. */
  created: boolean;
}

export interface ConversationSender {
  id: string;
  name: string;
}

interface NewConversationMessage {
  text: string;
  type: Exclude<StoredMessageType, 'SYSTEM'>;
  /** A recipient connection was live on the conversation when it was sent. */
  delivered: boolean;
}

export interface PageQuery {
  limit: number;
  offset?: number;
}

interface ConversationHistoryQuery {
  /** Only messages with a smaller seq (paging backwards). */
  beforeSeq?: number;
  limit: number;
}

interface ConversationHistoryPage {
  /** Oldest first. */
  messages: StoredConversationMessage[];
  hasMore: boolean;
}

interface MarkConversationReadResult {
  /** Messages that turned read. */
  marked: number;
  /** The newest message of the other participant (read now), null when they sent none. */
  lastReadId: string | null;
}

/** The conversation does not exist (any more). */
export class UnknownConversationError extends Error {
  constructor(conversationId: string) {
    super(`conversation ${conversationId} does not exist`);
    this.name = 'UnknownConversationError';
  }
}

/** The side `userId` is on, or undefined when not a participant. */
export function roleOf(conversation: Conversation, userId: string): ParticipantRole | undefined {
  if (conversation.clientId === userId) return 'client';
  if (conversation.workerId === userId) return 'worker';
  return undefined;
}

export function otherParticipantId(conversation: Conversation, userId: string): string {
  return conversation.clientId === userId ? conversation.workerId : conversation.clientId;
}

function toConversation(row: ConversationsTable): Conversation {
  return {
    id: row.id,
    clientId: row.client_id,
    workerId: row.worker_id,
    jobRef: row.job_ref,
    title: row.title,
    lastSeq: Number(row.last_seq),
    lastMessageText: row.last_message_text,
    lastMessageAt: row.last_message_at,
    lastMessageSenderId: row.last_message_sender_id,
    clientUnreadCount: Number(row.client_unread_count),
    workerUnreadCount: Number(row.worker_unread_count),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

type NamedRow = ConversationsTable & { client_name: string | null; worker_name: string | null };

function toNamedConversation(row: NamedRow): NamedConversation {
  return { ...toConversation(row), clientName: row.client_name ?? row.client_id, workerName: row.worker_name ?? row.worker_id };
}

function toMessage(row: ConversationMessagesTable): StoredConversationMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    senderId: row.sender_id,
    senderName: row.sender_name,
    text: row.message_text,
    type: row.message_type as StoredMessageType,
    isRead: Boolean(Number(row.is_read)),
    deliveryStatus: row.delivery_status as StoredDeliveryStatus,
    createdAt: row.created_at,
    readAt: row.read_at,
  };
}

export class ConversationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Creates the conversation and its opening SYSTEM message in one transaction. The
   * same job and pair again returns the existing conversation (safe retries; a
   * concurrent duplicate loses the unique constraint and gets the winner's row).
   */
  async create(input: NewConversation): Promise<CreateConversationResult> {
    const existing = await this.findForJob(input);
    if (existing) return { conversation: existing, created: false };
    const now = new Date().toISOString();
    const row: ConversationsTable = {
      id: randomUUID(),
      client_id: input.clientId,
      worker_id: input.workerId,
      job_ref: input.jobRef,
      title: input.title,
      last_seq: 1,
      last_message_text: input.systemText,
      last_message_at: now,
      last_message_sender_id: null,
      client_unread_count: 0,
      worker_unread_count: 0,
      created_at: now,
      updated_at: now,
    };
    const opening: ConversationMessagesTable = {
      id: randomUUID(),
      conversation_id: row.id,
      seq: 1,
      sender_id: null,
      sender_name: SYSTEM_SENDER_NAME,
      message_text: input.systemText,
      message_type: 'SYSTEM',
      // A notice, not something either side has to acknowledge: never counted as unread.
      is_read: 1,
      delivery_status: 'read',
      created_at: now,
      read_at: now,
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('conversations').values(row).execute();
        await trx.insertInto('conversation_messages').values(opening).execute();
      });
    } catch (error) {
      const winner = await this.findForJob(input);
      if (winner) return { conversation: winner, created: false };
      throw error;
    }
    return { conversation: toConversation(row), created: true };
  }

  private async findForJob(input: NewConversation): Promise<Conversation | undefined> {
    const row = await this.db
      .selectFrom('conversations')
      .selectAll()
      .where('job_ref', '=', input.jobRef)
      .where('client_id', '=', input.clientId)
      .where('worker_id', '=', input.workerId)
      .executeTakeFirst();
    return row && toConversation(row);
  }

  async find(id: string): Promise<Conversation | undefined> {
    if (!UUID_PATTERN.test(id)) return undefined;
    const row = await this.db.selectFrom('conversations').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toConversation(row);
  }

  /** The conversation when `userId` is its client or worker; undefined otherwise or when it does not exist. */
  async findForParticipant(id: string, userId: string): Promise<Conversation | undefined> {
    const conversation = await this.find(id);
    return conversation && roleOf(conversation, userId) ? conversation : undefined;
  }

  private namedQuery() {
    return this.db
      .selectFrom('conversations')
      .leftJoin('users as client_user', 'client_user.id', 'conversations.client_id')
      .leftJoin('users as worker_user', 'worker_user.id', 'conversations.worker_id')
      .selectAll('conversations')
      .select(['client_user.name as client_name', 'worker_user.name as worker_name']);
  }

  async findNamed(id: string): Promise<NamedConversation | undefined> {
    if (!UUID_PATTERN.test(id)) return undefined;
    const row = await this.namedQuery().where('conversations.id', '=', id).executeTakeFirst();
    return row && toNamedConversation(row);
  }

  /** The user's conversations, most recent activity first. */
  async listForUser(userId: string, page: PageQuery): Promise<{ conversations: NamedConversation[]; hasMore: boolean }> {
    const { rows, hasMore } = await fetchPage(page.limit, (n) =>
      this.namedQuery()
        .where((eb) => eb.or([eb('conversations.client_id', '=', userId), eb('conversations.worker_id', '=', userId)]))
        .orderBy('conversations.last_message_at', 'desc')
        .orderBy('conversations.id')
        .limit(n)
        .offset(page.offset ?? 0)
        .execute(),
    );
    return { conversations: rows.map(toNamedConversation), hasMore };
  }

  /**
   * Stores a participant's message with the conversation's next seq, and in the same
   * transaction moves the last-message fields and the recipient's unread count. The
   * UPDATE locks the conversation row (PostgreSQL) or runs alone (SQLite), so
   * concurrent senders are numbered one after another.
   */
  async send(conversation: Conversation, sender: ConversationSender, input: NewConversationMessage): Promise<StoredConversationMessage> {
    const recipientIsWorker = conversation.clientId === sender.id;
    const row = await this.db.transaction().execute(async (trx) => {
      const now = new Date().toISOString();
      const bumped = await trx
        .updateTable('conversations')
        .set((eb) => ({
          last_seq: eb('last_seq', '+', 1),
          last_message_text: input.text,
          last_message_at: now,
          last_message_sender_id: sender.id,
          updated_at: now,
          ...(recipientIsWorker
            ? { worker_unread_count: eb('worker_unread_count', '+', 1) }
            : { client_unread_count: eb('client_unread_count', '+', 1) }),
        }))
        .where('id', '=', conversation.id)
        .returning('last_seq')
        .executeTakeFirst();
      if (!bumped) throw new UnknownConversationError(conversation.id);
      const inserted: ConversationMessagesTable = {
        id: randomUUID(),
        conversation_id: conversation.id,
        seq: Number(bumped.last_seq),
        sender_id: sender.id,
        sender_name: sender.name,
        message_text: input.text,
        message_type: input.type,
        is_read: 0,
        delivery_status: input.delivered ? 'delivered' : 'sent',
        created_at: now,
        read_at: null,
      };
      await trx.insertInto('conversation_messages').values(inserted).execute();
      return inserted;
    });
    return toMessage(row);
  }

  /**
   * Marks every unread message of the other participant read and the reader's unread
   * count 0. The conversation row is updated first, like in `send`, so a message
   * committed concurrently is either counted and flipped here, or neither.
   */
  async markRead(conversation: Conversation, readerId: string): Promise<MarkConversationReadResult> {
    const readerIsClient = conversation.clientId === readerId;
    const senderId = readerIsClient ? conversation.workerId : conversation.clientId;
    const column = readerIsClient ? 'client_unread_count' : 'worker_unread_count';
    const marked = await this.db.transaction().execute(async (trx) => {
      const reset = await trx
        .updateTable('conversations')
        .set(readerIsClient ? { client_unread_count: 0 } : { worker_unread_count: 0 })
        .where('id', '=', conversation.id)
        .where(column, '>', 0)
        .executeTakeFirst();
      // Nothing unread (the invariant): no message to flip, and no write beyond this check.
      if (Number(reset.numUpdatedRows) === 0) return 0;
      const flipped = await trx
        .updateTable('conversation_messages')
        .set({ is_read: 1, delivery_status: 'read', read_at: new Date().toISOString() })
        .where('conversation_id', '=', conversation.id)
        .where('sender_id', '=', senderId)
        .where('is_read', '=', 0)
        .executeTakeFirst();
      return Number(flipped.numUpdatedRows);
    });
    const last = await this.db
      .selectFrom('conversation_messages')
      .select('id')
      .where('conversation_id', '=', conversation.id)
      .where('sender_id', '=', senderId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return { marked, lastReadId: last?.id ?? null };
  }

  /** The newest `limit` messages below `beforeSeq` (or overall), oldest first. */
  async history(conversationId: string, query: ConversationHistoryQuery): Promise<ConversationHistoryPage> {
    let select = this.db.selectFrom('conversation_messages').selectAll().where('conversation_id', '=', conversationId);
    if (query.beforeSeq !== undefined) select = select.where('seq', '<', query.beforeSeq);
    const { rows, hasMore } = await fetchPage(query.limit, (n) => select.orderBy('seq', 'desc').limit(n).execute());
    return { messages: rows.map(toMessage).reverse(), hasMore };
  }
}
