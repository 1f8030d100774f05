/**
 * Any path, untyped: the last message and a listener list, for `useWebSocket` (seed
 * 003's hook) and endpoints without a dedicated hook.
 */
import { normalizePath, type ServerMessage } from '@switchboard/client';
import { ExternalStore } from '../stores/store.js';
import { ConnectionBinding } from './connection-binding.js';

export function rawKey(path: string): string {
  return `raw:${normalizePath(path)}`;
}

export class LastMessageStore extends ExternalStore<ServerMessage | null> {
  constructor() {
    super(null);
  }

  received(message: ServerMessage): void {
    this.setState(message);
  }
}

export class RawBinding extends ConnectionBinding<LastMessageStore> {
  private readonly listeners = new Set<(message: ServerMessage) => void>();

  constructor(path: string) {
    super(normalizePath(path), new LastMessageStore());
  }

  onMessage(listener: (message: ServerMessage) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Seed 003's `send(data)`: a message object with a `type`. Returns the `ref`. */
  send(message: { type: string; [field: string]: unknown }): string {
    const connection = this.connection;
    if (!connection) throw new Error(`Not connected to ${this.path}`);
    const { type, ...payload } = message;
    return connection.send(type, payload);
  }

  protected override received(message: ServerMessage): void {
    this.store.received(message);
    for (const listener of [...this.listeners]) listener(message);
  }
}
