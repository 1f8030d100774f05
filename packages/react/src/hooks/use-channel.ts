/**
 * Chat channel hooks (seed 000). `useChannel` gives the messages (history backfilled,
 * gap-free across reconnects), sending, typing, presence and read markers;
 * `useChannelTyping` / `useChannelPresence` read the same shared store.
 */
import { useCallback, useRef } from 'react';
import { ChannelBinding, channelKey } from '../bindings/channel.js';
import { INITIAL_CHANNEL, type ChannelSnapshot, type TypingUser } from '../stores/channel-store.js';
import { INITIAL_CONNECTION, type ConnectionSnapshot } from '../stores/connection-store.js';
import { useSwitchboard } from '../provider.js';
import { useBinding, useStoreField, useStoreSnapshot } from './use-binding.js';

export interface UseChannelResult extends ChannelSnapshot {
  readonly isConnected: boolean;
  readonly connection: ConnectionSnapshot;
  /** Sends a message; it shows in `pending` until stored. Returns its `client_id`. */
  send(content: string): string | undefined;
  /** Sends a failed message again (same `client_id`: stored at most once). */
  retry(clientId: string): void;
  discard(clientId: string): void;
  /** Call on every keystroke in the composer: throttled `typing` events. */
  notifyTyping(): void;
  stopTyping(): void;
  /** Stores the caller's read marker at this message. */
  markRead(messageId: string): void;
  loadOlder(): void;
}

function useChannelBinding(channelId: string | null): ChannelBinding | undefined {
  const { user } = useSwitchboard();
  const userRef = useRef(user);
  userRef.current = user;
  return useBinding(channelId ? channelKey(channelId) : null, () => new ChannelBinding(channelId!, () => userRef.current));
}

export function useChannel(channelId: string | null): UseChannelResult {
  const binding = useChannelBinding(channelId);
  const snapshot = useStoreSnapshot(binding?.store, INITIAL_CHANNEL);
  const connection = useStoreSnapshot(binding?.connectionStore, INITIAL_CONNECTION);
  const send = useCallback((content: string) => binding?.send(content), [binding]);
  const retry = useCallback((clientId: string) => binding?.retry(clientId), [binding]);
  const discard = useCallback((clientId: string) => binding?.discard(clientId), [binding]);
  const notifyTyping = useCallback(() => binding?.keystroke(), [binding]);
  const stopTyping = useCallback(() => binding?.stopTyping(), [binding]);
  const markRead = useCallback((messageId: string) => binding?.markRead(messageId), [binding]);
  const loadOlder = useCallback(() => binding?.loadOlder(), [binding]);
  return {
    ...snapshot,
    isConnected: connection.isConnected,
    connection,
    send,
    retry,
    discard,
    notifyTyping,
    stopTyping,
    markRead,
    loadOlder,
  };
}

/** Who is typing in the channel (other users; the server never echoes one's own). */
export function useChannelTyping(channelId: string | null): readonly TypingUser[] {
  const binding = useChannelBinding(channelId);
  return useStoreField(binding?.store, 'typingUsers', INITIAL_CHANNEL.typingUsers);
}

/** Ids of the workspace's users who are online (cluster-wide). */
export function useChannelPresence(channelId: string | null): readonly string[] {
  const binding = useChannelBinding(channelId);
  return useStoreField(binding?.store, 'onlineUsers', INITIAL_CHANNEL.onlineUsers);
}
