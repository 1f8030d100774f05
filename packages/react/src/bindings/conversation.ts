/**
 * Seed 004 `/ws/chat/{id}/`: live messages, typing and read receipts on top of the
 * REST history, fetched again on every (re)connect (the socket does not replay).
 */
import type { Connection, ConversationsEndpoint, ServerMessage } from '@switchboard/client';
import { conversationPath, type ClientMessageType, type ConversationMessageRecord } from '@switchboard/protocol';
import { ConversationStore } from '../stores/conversation-store.js';
import { TypingSender } from '../stores/typing-sender.js';
import { ConnectionBinding } from './connection-binding.js';

export function conversationKey(conversationId: string): string {
  return `conversation:${conversationId}`;
}

export type FetchConversationMessages = () => Promise<readonly ConversationMessageRecord[]>;

export class ConversationBinding extends ConnectionBinding<ConversationStore, ConversationsEndpoint> {
  fetchMessages: FetchConversationMessages | undefined;
  private typingSender: TypingSender | undefined;

  constructor(
    readonly conversationId: string,
    selfUserId: string | undefined,
  ) {
    super(conversationPath(conversationId), new ConversationStore(selfUserId));
  }

  /** Sends a message; the server's `message` (with the same ref) is the confirmation. */
  send(text: string, messageType: ClientMessageType = 'TEXT'): Promise<void> {
    const connection = this.connection;
    if (!connection) return Promise.reject(new Error('Not connected'));
    this.typingSender?.stop();
    return connection.request('message', { message: text, message_type: messageType }).then(() => undefined);
  }

  markRead(): void {
    const connection = this.connection;
    if (connection?.state === 'open') connection.send('mark_read');
  }

  keystroke(): void {
    this.typingSender?.keystroke();
  }

  stopTyping(): void {
    this.typingSender?.stop();
  }

  reload(): Promise<void> {
    const fetchMessages = this.fetchMessages;
    if (!fetchMessages) return Promise.resolve();
    return fetchMessages().then((messages) => this.store.loaded(messages));
  }

  protected override received(message: ServerMessage): void {
    this.store.receive(message);
  }

  protected override attached(connection: Connection<ConversationsEndpoint>): void {
    this.typingSender = new TypingSender((isTyping) => {
      if (connection.state === 'open') connection.send('typing', { is_typing: isTyping });
    });
  }

  protected override detached(): void {
    this.typingSender?.dispose();
    this.typingSender = undefined;
  }

  protected override opened(_connection: Connection<ConversationsEndpoint>): void {
    this.reload().catch(() => undefined);
  }

  protected override lost(): void {
    this.store.connectionLost();
  }
}
