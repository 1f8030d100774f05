/**
 * Conversation behaviour shared by the WebSocket consumer and the REST routes, so a
 * message sent either way is checked, persisted and broadcast the same way
 * (PROTOCOL.md §6, §7): the database write commits before anything is sent.
 *
 * Delivery state: a message is stored `delivered` when the recipient had at least one
 * live connection on this conversation when it was sent, else `sent`; it becomes
 * `read` on `mark_read` or when the recipient opens the conversation over REST. "Live
 * connection" is read from Presence (topic per conversation, joined by each socket
 * after it joined the broadcast group), which is cluster-wide, so a recipient on
 * another instance counts too.
 */
import {
  CLIENT_MESSAGE_TYPES,
  ErrorCode,
  conversationTextProblem,
  type ClientMessageType,
  type ConversationDetail,
  type ConversationInbox,
  type ConversationInfo,
  type ConversationMessageRecord,
  type ConversationMessageType,
  type ConversationReadResult,
} from '@switchboard/protocol';
import type { Consumer } from '../../core/consumer.js';
import type { ServerContext } from '../../core/context.js';
import { ClientError } from '../../core/errors.js';
import { encodeMessage } from '../../core/frame.js';
import {
  ConversationRepository,
  UnknownConversationError,
  otherParticipantId,
  type Conversation,
  type ConversationSender,
  type NewConversation,
} from '../../store/conversations.js';
import { publish, type Origin } from '../shared/publish.js';
import { wireConversation, wireMessage, wireMessageRecord } from './wire.js';

/** The channel-layer group of a conversation's connections. */
export const conversationGroup = (conversationId: string): string => `conversation:${conversationId}`;
/** The presence topic of a conversation's connections (delivery state reads it). */
export const conversationTopic = conversationGroup;

export interface CreateResult {
  conversation: ConversationInfo;
  created: boolean;
}

const services = new WeakMap<ServerContext, ConversationsService>();

function isClientType(type: ConversationMessageType): type is ClientMessageType {
  return (CLIENT_MESSAGE_TYPES as readonly string[]).includes(type);
}

export class ConversationsService {
  readonly conversations: ConversationRepository;

  /** The service of one server (its repository over that server's database). */
  static for(context: ServerContext): ConversationsService {
    let service = services.get(context);
    if (!service) {
      service = new ConversationsService(context);
      services.set(context, service);
    }
    return service;
  }

  private constructor(private readonly context: ServerContext) {
    this.conversations = new ConversationRepository(context.store.db);
  }

  // ---- conversations ----

  /** Creates the conversation with its SYSTEM message, or returns the job's existing one. */
  async create(input: NewConversation, callerId: string | undefined): Promise<CreateResult> {
    const result = await this.conversations.create(input);
    const named = await this.conversations.findNamed(result.conversation.id);
    if (!named) throw new UnknownConversationError(result.conversation.id);
    return { conversation: wireConversation(named, callerId), created: result.created };
  }

  /** The conversation when `userId` is its client or worker; undefined for anything else, garbage ids included. */
  accessible(conversationId: string, userId: string): Promise<Conversation | undefined> {
    return this.conversations.findForParticipant(conversationId, userId);
  }

  async inbox(userId: string, page: { limit: number; offset: number }): Promise<ConversationInbox> {
    const result = await this.conversations.listForUser(userId, page);
    return { conversations: result.conversations.map((c) => wireConversation(c, userId)), has_more: result.hasMore };
  }

  /** Opening a conversation: marks it read for the reader (telling the other side), then reads it. */
  async open(conversation: Conversation, readerId: string, query: { beforeSeq?: number; limit: number }): Promise<ConversationDetail> {
    await this.markRead(conversation, readerId);
    const named = await this.conversations.findNamed(conversation.id);
    if (!named) throw new ClientError(ErrorCode.NotFound, 'Conversation not found');
    const page = await this.conversations.history(conversation.id, query);
    return { conversation: wireConversation(named, readerId), messages: page.messages.map(wireMessageRecord), has_more: page.hasMore };
  }

  // ---- messages ----

  /**
   * Checks, stores (moving the last-message fields and the recipient's unread count),
   * then broadcasts `message` to both participants' connections on the conversation.
   */
  async send(
    conversation: Conversation,
    sender: ConversationSender,
    type: ConversationMessageType,
    text: string,
    origin?: Origin,
  ): Promise<ConversationMessageRecord> {
    if (!isClientType(type)) throw new ClientError(ErrorCode.Forbidden, 'SYSTEM messages are created by the server only');
    const problem = conversationTextProblem(type, text);
    if (problem) throw new ClientError(ErrorCode.InvalidPayload, problem);
    const recipientId = otherParticipantId(conversation, sender.id);
    const delivered = (await this.context.presence.userConnectionCount(conversationTopic(conversation.id), recipientId)) > 0;
    let stored;
    try {
      stored = await this.conversations.send(conversation, sender, { text, type, delivered });
    } catch (error) {
      if (error instanceof UnknownConversationError) throw new ClientError(ErrorCode.NotFound, 'Conversation not found');
      throw error;
    }
    await publish(this.context.layer, conversationGroup(conversation.id), { type: 'message', message: wireMessage(stored) }, origin);
    return wireMessageRecord(stored);
  }

  /**
   * Marks the other side's messages read for `readerId`; when any turned read, the
   * other side's connections get `read {user_id, last_read_id}` (the reader's do not).
   */
  async markRead(conversation: Conversation, readerId: string): Promise<ConversationReadResult> {
    const result = await this.conversations.markRead(conversation, readerId);
    if (result.marked > 0) {
      const frame = encodeMessage({ type: 'read', user_id: readerId, last_read_id: result.lastReadId });
      await this.context.layer.groupSend(conversationGroup(conversation.id), frame, { exceptUser: readerId });
    }
    return {
      conversation_id: conversation.id,
      user_id: readerId,
      last_read_id: result.lastReadId,
      marked: result.marked,
      unread_count: 0,
    };
  }

  // ---- typing (ephemeral: never touches the database) ----

  typing(conversation: Conversation, consumer: Consumer, isTyping: boolean): Promise<void> {
    return consumer.broadcast(
      conversationGroup(conversation.id),
      { type: 'typing', user_id: consumer.user.id, is_typing: isTyping },
      { except: 'user' },
    );
  }
}
