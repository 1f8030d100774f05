/**
 * `/ws/documents/<uuid>/` (JSON): feeds the DocumentStore and sends the update it hands
 * out after every edit and every server message, one at a time. Typing while an update
 * is in flight batches naturally: the next update goes out with its acknowledgement.
 */
import type { Connection, DocumentsEndpoint, ServerMessage } from '@switchboard/client';
import { documentPath } from '@switchboard/protocol';
import { DocumentStore } from '../stores/document-store.js';
import { ConnectionBinding } from './connection-binding.js';

export function documentKey(documentId: string): string {
  return `document:${documentId}`;
}

export class DocumentBinding extends ConnectionBinding<DocumentStore, DocumentsEndpoint> {
  constructor(
    readonly documentId: string,
    selfUserId: string | undefined,
  ) {
    super(documentPath(documentId), new DocumentStore(selfUserId));
  }

  edit(content: string): void {
    this.store.edit(content);
    this.flush();
  }

  /** Tells the others where this user's cursor is (any JSON value ≤ 1 KiB; never stored). */
  moveCursor(position: unknown): void {
    const connection = this.connection;
    if (connection?.state === 'open') connection.send('cursor', { position });
  }

  protected override received(message: ServerMessage): void {
    this.store.receive(message);
    this.flush();
  }

  protected override lost(): void {
    this.store.connectionLost();
  }

  protected override opened(_connection: Connection<DocumentsEndpoint>): void {
    this.flush();
  }

  private flush(): void {
    const connection = this.connection;
    if (!connection || connection.state === 'closed') return;
    const update = this.store.takeUpdate();
    if (update) this.store.sent(connection.send('update', update));
  }
}
