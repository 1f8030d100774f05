/** Seed 004 job conversation: messages, typing and read receipts. */
import { useCallback } from 'react';
import type { ClientMessageType } from '@switchboard/protocol';
import { ConversationBinding, conversationKey, type FetchConversationMessages } from '../bindings/conversation.js';
import { INITIAL_CONNECTION, type ConnectionSnapshot } from '../stores/connection-store.js';
import { INITIAL_CONVERSATION, type ConversationSnapshot } from '../stores/conversation-store.js';
import { useSwitchboard } from '../provider.js';
import { useBinding, useStoreSnapshot } from './use-binding.js';

export interface UseConversationOptions {
  /** Loads the conversation's history (REST, oldest first); called on every (re)connect. */
  fetchMessages?: FetchConversationMessages;
}

export interface UseConversationResult extends ConversationSnapshot {
  readonly isConnected: boolean;
  readonly connection: ConnectionSnapshot;
  send(text: string, messageType?: ClientMessageType): Promise<void>;
  notifyTyping(): void;
  stopTyping(): void;
  /** Marks the other side's messages read (they get a `read` receipt). */
  markRead(): void;
  reload(): Promise<void>;
}

export function useConversation(conversationId: string | null, options: UseConversationOptions = {}): UseConversationResult {
  const { user } = useSwitchboard();
  const binding = useBinding(conversationId ? conversationKey(conversationId) : null, () => new ConversationBinding(conversationId!, user?.id));
  if (binding) binding.fetchMessages = options.fetchMessages;
  const snapshot = useStoreSnapshot(binding?.store, INITIAL_CONVERSATION);
  const connection = useStoreSnapshot(binding?.connectionStore, INITIAL_CONNECTION);
  const send = useCallback(
    (text: string, messageType?: ClientMessageType) => binding?.send(text, messageType) ?? Promise.reject(new Error('Not connected')),
    [binding],
  );
  const notifyTyping = useCallback(() => binding?.keystroke(), [binding]);
  const stopTyping = useCallback(() => binding?.stopTyping(), [binding]);
  const markRead = useCallback(() => binding?.markRead(), [binding]);
  const reload = useCallback(() => binding?.reload() ?? Promise.resolve(), [binding]);
  return { ...snapshot, isConnected: connection.isConnected, connection, send, notifyTyping, stopTyping, markRead, reload };
}
