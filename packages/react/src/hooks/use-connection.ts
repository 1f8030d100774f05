/** Connection state hooks: `useConnectionState(path)` and seed 003's `useWebSocket`. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ServerMessage } from '@switchboard/client';
import { RawBinding, rawKey } from '../bindings/raw.js';
import { INITIAL_CONNECTION, type ConnectionSnapshot } from '../stores/connection-store.js';
import { useBinding, useStoreSnapshot } from './use-binding.js';

/**
 * The state of the connection to `path` (`connecting | open | reconnecting | closed`,
 * the last close code, the scheduled retry). Holds a reference to the connection, so
 * the path is connected while the component is mounted.
 */
export function useConnectionState(path: string | null): ConnectionSnapshot {
  const binding = useBinding(path === null ? null : rawKey(path), () => new RawBinding(path!));
  return useStoreSnapshot(binding?.connectionStore, INITIAL_CONNECTION);
}

export interface UseWebSocketOptions {
  /** Called with every server message of the path. */
  onMessage?: (message: ServerMessage) => void;
  /** Connect on mount (default true); otherwise call `connect()`. */
  autoConnect?: boolean;
}

export interface UseWebSocketResult {
  readonly isConnected: boolean;
  readonly state: ConnectionSnapshot['state'];
  /** The newest server message (null before the first). */
  readonly lastMessage: ServerMessage | null;
  /** Sends `{type, ...fields}`; queued while reconnecting. Returns the `ref`, or undefined when not connected. */
  send(message: { type: string; [field: string]: unknown }): string | undefined;
  connect(): void;
  disconnect(): void;
}

/** Seed 003's hook: `const { isConnected, send, lastMessage } = useWebSocket('ws/notifications/', { onMessage })`. */
export function useWebSocket(path: string, options: UseWebSocketOptions = {}): UseWebSocketResult {
  const [enabled, setEnabled] = useState(options.autoConnect !== false);
  const binding = useBinding(enabled ? rawKey(path) : null, () => new RawBinding(path));
  const connection = useStoreSnapshot(binding?.connectionStore, INITIAL_CONNECTION);
  const lastMessage = useStoreSnapshot(binding?.store, null);

  const onMessage = useRef(options.onMessage);
  onMessage.current = options.onMessage;
  useEffect(() => binding?.onMessage((message) => onMessage.current?.(message)), [binding]);

  const send = useCallback(
    (message: { type: string; [field: string]: unknown }) => {
      if (!binding) return undefined;
      try {
        return binding.send(message);
      } catch {
        return undefined;
      }
    },
    [binding],
  );
  const connect = useCallback(() => setEnabled(true), []);
  const disconnect = useCallback(() => setEnabled(false), []);
  return { isConnected: connection.isConnected, state: connection.state, lastMessage, send, connect, disconnect };
}
