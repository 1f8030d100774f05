/**
 * The usual binding: one pooled connection per path feeding one store. While attached
 * it holds a reference on the connection, mirrors its state into a ConnectionStore,
 * passes every server message to `received`, and calls `opened` each time the server
 * confirms the connection (first connect and every reconnect) and `lost` when an open
 * connection drops.
 */
import type { AnyEndpoint, Connection, Endpoint, ServerMessage, SwitchboardClient } from '@switchboard/client';
import type { Binding } from '../registry.js';
import { ConnectionStore } from '../stores/connection-store.js';

export abstract class ConnectionBinding<S, E extends Endpoint = AnyEndpoint> implements Binding<S> {
  readonly connectionStore = new ConnectionStore();
  /** The connection while attached. */
  protected connection: Connection<E> | undefined;

  constructor(
    readonly path: string,
    readonly store: S,
  ) {}

  attach(client: SwitchboardClient): () => void {
    const connection = client.connection<E>(this.path);
    this.connection = connection;
    this.connectionStore.reset(connection.state);
    const offs = [
      connection.on('state', (change) => {
        this.connectionStore.stateChanged(change);
        if (change.state === 'open') this.opened(connection);
        else if (change.previous === 'open') this.lost();
      }),
      connection.on('retry', (retry) => this.connectionStore.retryScheduled(retry)),
      connection.on('*', (message) => this.received(message as ServerMessage)),
    ];
    this.attached(connection);
    if (connection.state === 'open') this.opened(connection);
    return () => {
      for (const off of offs) off();
      this.detached();
      this.connection = undefined;
      connection.release();
    };
  }

  /** Every server message of the connection. */
  protected abstract received(message: ServerMessage): void;

  /** The server confirmed the connection (again). */
  protected opened(_connection: Connection<E>): void {}

  /** An open connection dropped; the client is reconnecting (or gave up). */
  protected lost(): void {}

  protected attached(_connection: Connection<E>): void {}

  protected detached(): void {}
}

/** Calls a request and ignores its failure (the next `opened` asks again). */
export function settle<T>(promise: Promise<T>, onReply: (reply: T) => void): void {
  promise.then(onReply, () => undefined);
}
