/**
 * `/ws/documents/<uuid>/` (JSON): feeds the DocumentStore and sends the update it hands
 * out after every edit and every server message, one at a time. Typing while an update
 * is in flight batches naturally: the next update goes out with its acknowledgement.
 *
 * The server may drop a message without a reply that names it (the rate limit's error
 * carries no `ref`). An update left unanswered for the client's `requestTimeoutMs` is
 * therefore treated like one lost with the connection: the binding asks for the current
 * state (`join`), and the store rebases the edit onto it and sends it again.
 */
import {
  RequestTimeoutError,
  systemTimers,
  type Connection,
  type DocumentsEndpoint,
  type ServerMessage,
  type SwitchboardClient,
  type Timers,
} from '@switchboard/client';
import { documentPath } from '@switchboard/protocol';
import { DocumentStore } from '../stores/document-store.js';
import { ConnectionBinding } from './connection-binding.js';

/**
 * At most one `cursor` message per interval (the latest position wins): with one
 * update per keystroke on top, typing stays inside the server's default budget of
 * 20 messages per second.
 */
export const CURSOR_INTERVAL_MS = 200;

export function documentKey(documentId: string): string {
  return `document:${documentId}`;
}

export class DocumentBinding extends ConnectionBinding<DocumentStore, DocumentsEndpoint> {
  private timers: Timers = systemTimers;
  private updateTimeoutMs = 0;
  private updateTimer: unknown;
  private cursorTimer: unknown;
  private cursorSentAt = -Infinity;
  /** The newest position not sent yet (wrapped: a position may be any JSON value). */
  private pendingCursor: { position: unknown } | undefined;

  constructor(
    readonly documentId: string,
    selfUserId: string | undefined,
  ) {
    super(documentPath(documentId), new DocumentStore(selfUserId));
  }

  override attach(client: SwitchboardClient): () => void {
    this.timers = client.options.timers;
    this.updateTimeoutMs = client.options.requestTimeoutMs;
    return super.attach(client);
  }

  edit(content: string): void {
    this.store.edit(content);
    this.flush();
  }

  /** Tells the others where this user's cursor is (any JSON value ≤ 1 KiB; never stored). */
  moveCursor(position: unknown): void {
    this.pendingCursor = { position };
    if (this.cursorTimer !== undefined) return;
    const wait = this.cursorSentAt + CURSOR_INTERVAL_MS - this.timers.now();
    if (wait <= 0) {
      this.sendCursor();
      return;
    }
    this.cursorTimer = this.timers.setTimeout(() => {
      this.cursorTimer = undefined;
      this.sendCursor();
    }, wait);
  }

  protected override received(message: ServerMessage): void {
    this.store.receive(message);
    this.flush();
  }

  protected override lost(): void {
    this.clearUpdateTimer();
    this.store.connectionLost();
  }

  protected override opened(_connection: Connection<DocumentsEndpoint>): void {
    this.flush();
  }

  protected override detached(): void {
    this.clearUpdateTimer();
    if (this.cursorTimer !== undefined) this.timers.clearTimeout(this.cursorTimer);
    this.cursorTimer = undefined;
    this.pendingCursor = undefined;
  }

  private sendCursor(): void {
    const pending = this.pendingCursor;
    this.pendingCursor = undefined;
    const connection = this.connection;
    if (!pending || connection?.state !== 'open') return;
    this.cursorSentAt = this.timers.now();
    connection.send('cursor', pending);
  }

  private flush(): void {
    const connection = this.connection;
    // Only while open: after a reconnect the server's `document_state` comes first, and
    // the edit goes out based on it rather than from the offline queue.
    if (connection?.state !== 'open') return;
    const update = this.store.takeUpdate();
    if (!update) return;
    const ref = connection.send('update', update);
    this.store.sent(ref);
    this.clearUpdateTimer();
    this.updateTimer = this.timers.setTimeout(() => {
      this.updateTimer = undefined;
      if (this.store.unanswered(ref)) this.resync(connection);
    }, this.updateTimeoutMs);
  }

  /** Asks for the current state until it arrives; the reply reaches the store through `received`. */
  private resync(connection: Connection<DocumentsEndpoint>): void {
    connection.request('join').catch((error: unknown) => {
      // The join may have been dropped as well.
      const current = this.connection === connection && connection.state === 'open';
      if (error instanceof RequestTimeoutError && current && this.store.awaitingState) this.resync(connection);
    });
  }

  private clearUpdateTimer(): void {
    if (this.updateTimer === undefined) return;
    this.timers.clearTimeout(this.updateTimer);
    this.updateTimer = undefined;
  }
}
