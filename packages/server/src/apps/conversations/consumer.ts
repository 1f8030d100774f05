/**
 * `/ws/chat/{conversation_id}/` (PROTOCOL.md §6): the seed 004 ChatConsumer. Access:
 * the conversation's client or worker; anyone else, and any id that is not a
 * conversation, is closed with 4003 alike.
 *
 * The seed's frame is `{"message": "…", "type": "TEXT"}`: `type` is the message type,
 * so TEXT, LOCATION, IMAGE and FILE are handlers here. A frame with a `message` and no
 * `type` at all is a TEXT message, as in the seed. `typing` and `mark_read` are
 * additions; `ping` is answered by the base class.
 */
import {
  CLIENT_MESSAGE_TYPES,
  ErrorCode,
  conversationsClientSchemas as schemas,
  object,
  type ConversationChatIn,
  type ConversationMessageType,
} from '@switchboard/protocol';
import { Consumer, on, type HandlerTable, type MessageHandler } from '../../core/consumer.js';
import { ClientError } from '../../core/errors.js';
import type { Conversation } from '../../store/conversations.js';
import { ConversationsService, conversationGroup, conversationTopic } from './service.js';

function chatHandler(type: ConversationMessageType): MessageHandler<ConversationConsumer, ConversationChatIn> {
  return on(schemas.chat, (c: ConversationConsumer, p, ref) => c.chat(type, p.message ?? p.message_text ?? '', ref));
}

const chatHandlers: Record<string, MessageHandler<ConversationConsumer, ConversationChatIn>> = {};
for (const type of CLIENT_MESSAGE_TYPES) chatHandlers[type] = chatHandler(type);

export class ConversationConsumer extends Consumer {
  /** Seed 004 clients may send `{"message": "…"}` with no `type`: a TEXT message. */
  static override defaultType = 'TEXT';
  static override handlers: HandlerTable<ConversationConsumer> = {
    ...chatHandlers,
    // A known name with a clear answer, rather than `unknown_type`.
    SYSTEM: on(object({}), () => {
      throw new ClientError(ErrorCode.Forbidden, 'SYSTEM messages are created by the server only');
    }),
    message: on(schemas.message, (c: ConversationConsumer, p, ref) =>
      c.chat(p.message_type ?? 'TEXT', p.message ?? p.message_text ?? '', ref),
    ),
    typing: on(schemas.typing, (c: ConversationConsumer, p) => c.typing(p.is_typing ?? true)),
    mark_read: on(schemas.mark_read, (c: ConversationConsumer) => c.markRead()),
  };

  /** Set by authorize; every handler runs after it succeeded. */
  private conversation: Conversation | undefined;
  /** Whether this connection last said it is typing, so a close can tell the other side it stopped. */
  private isTyping = false;

  private get service(): ConversationsService {
    return ConversationsService.for(this.host);
  }

  private get current(): Conversation {
    if (!this.conversation) throw new Error('conversation consumer used before authorize');
    return this.conversation;
  }


  override async authorize(): Promise<boolean> {
    this.conversation = await this.service.accessible(this.params.conversation_id ?? '', this.user.id);
    return this.conversation !== undefined;
  }

  override async onConnect(): Promise<void> {
    const id = this.current.id;
    await this.join(conversationGroup(id));
    // After the group join: whoever counts as present here is certain to receive broadcasts.
    await this.host.presence.join(conversationTopic(id), { userId: this.user.id, userName: this.user.name }, this.id);
  }

  override async onDisconnect(): Promise<void> {
    const id = this.current.id;
    await this.host.presence.leave(conversationTopic(id), this.user.id, this.id);
    if (this.isTyping) {
      this.isTyping = false;
      await this.service.typing(this.current, this, false);
    }
  }

  async chat(type: ConversationMessageType, text: string, ref: string | undefined): Promise<void> {
    await this.service.send(this.current, { id: this.user.id, name: this.user.name }, type, text, { consumer: this, ref });
  }

  typing(isTyping: boolean): Promise<void> {
    this.isTyping = isTyping;
    return this.service.typing(this.current, this, isTyping);
  }

  async markRead(): Promise<void> {
    await this.service.markRead(this.current, this.user.id);
  }
}
