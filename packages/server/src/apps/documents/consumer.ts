/**
 * `/ws/documents/<uuid>/` (PROTOCOL.md §2, seed 000 DocumentConsumer): whole-content
 * edits with versions, cursors, who is present. Server messages nest their fields in
 * `data`, as the seed's `send_message` does.
 */
import { CloseCode, CloseReason, ErrorCode, documentsClientSchemas, maxDocumentBytes } from '@switchboard/protocol';
import { Consumer, on, type HandlerTable } from '../../core/consumer.js';
import { ClientError } from '../../core/errors.js';
import { binaryFrame } from '../../core/frame.js';
import { accessibleDocument } from './access.js';
import { saveEdit, type EditOutcome } from './edits.js';
import { documentGroup, documentYjsGroup } from './groups.js';
import type { DocumentHub } from './hub.js';
import { announceJoin, enterDocument, leaveDocument, presentUsers } from './presence.js';
import { syncUpdateMessage } from './yjs-wire.js';

type Saved = Extract<EditOutcome, { kind: 'saved' }>;

export abstract class DocumentConsumer extends Consumer {
  static override handlers: HandlerTable<DocumentConsumer> = {
    update: on(documentsClientSchemas.update, (c: DocumentConsumer, p, ref) => c.update(p.content, p.version, ref)),
    cursor: on(documentsClientSchemas.cursor, (c: DocumentConsumer, p) => c.moveCursor(p.position)),
    join: on(documentsClientSchemas.join, (c: DocumentConsumer, _p, ref) => c.sendState(ref)),
    leave: on(documentsClientSchemas.leave, (c: DocumentConsumer, _p, ref) => c.leaveDocument(ref)),
  };

  /** Set by the app: the lock and Y.Doc registry shared by this server's document endpoints. */
  protected abstract readonly hub: DocumentHub;
  private documentId = '';
  /** True between entering the document's presence and leaving it (once). */
  private present = false;

  override async authorize(): Promise<boolean> {
    const document = await accessibleDocument(this.host.store, this.params.document_id ?? '', this.user.id);
    if (!document) return false;
    this.documentId = document.id;
    return true;
  }

  override async onConnect(): Promise<void> {
    // Group first: an update stored after the state is read still reaches this client.
    await this.join(documentGroup(this.documentId));
    await enterDocument(this, this.documentId);
    this.present = true;
    await this.sendState();
    await announceJoin(this, this.documentId);
  }

  override async onDisconnect(): Promise<void> {
    await this.depart();
  }

  async sendState(ref?: string): Promise<void> {
    const document = await this.host.store.documents.find(this.documentId);
    if (!document) throw new ClientError(ErrorCode.NotFound, 'Document not found');
    const users = await presentUsers(this.host, this.documentId);
    this.send({ type: 'document_state', data: { content: document.content, version: document.version, users } }, ref);
  }

  async update(content: string, baseVersion: number, ref: string | undefined): Promise<void> {
    const maxBytes = maxDocumentBytes(this.host.options.maxMessageBytes);
    if (Buffer.byteLength(content) > maxBytes) {
      throw new ClientError(ErrorCode.TooLarge, `content must be at most ${maxBytes} bytes of UTF-8`);
    }
    await this.hub.locks.run(this.documentId, async () => {
      const outcome = await saveEdit(this.host.store.documents, {
        documentId: this.documentId,
        baseVersion,
        content,
        userId: this.user.id,
        maxBytes,
      });
      switch (outcome.kind) {
        case 'saved':
          // Inside the lock, so this instance announces versions in the order they were stored.
          return this.announceSaved(outcome, ref);
        case 'conflict':
          this.sendError(ErrorCode.Conflict, outcome.message, ref);
          return this.sendState(ref);
        case 'too_large':
          this.sendError(ErrorCode.TooLarge, outcome.message, ref);
          return this.sendState(ref);
        case 'invalid':
          this.malformed(ErrorCode.InvalidPayload, outcome.message, ref);
          return this.sendState(ref);
        case 'not_found':
          throw new ClientError(ErrorCode.NotFound, 'Document not found');
      }
    });
  }

  /** Stored, so now: the others, the sender (ack, and the merged text if it was merged), the Yjs clients. */
  private async announceSaved(saved: Saved, ref: string | undefined): Promise<void> {
    const updated = { type: 'document_updated', data: { content: saved.content, version: saved.version, user_id: this.user.id } };
    if (saved.merged) await this.broadcast(documentGroup(this.documentId), updated, { ref });
    else await this.broadcast(documentGroup(this.documentId), updated, { except: 'self' });
    this.send({ type: 'update_ack', data: { version: saved.version } }, ref);
    if (saved.yjsUpdate) {
      await this.host.layer.groupSend(documentYjsGroup(this.documentId), binaryFrame(syncUpdateMessage(saved.yjsUpdate)));
    }
  }

  moveCursor(position: unknown): Promise<void> {
    const { user } = this;
    return this.broadcast(
      documentGroup(this.documentId),
      { type: 'cursor_moved', data: { user_id: user.id, user_name: user.name, position } },
      { except: 'user' },
    );
  }

  async leaveDocument(ref: string | undefined): Promise<void> {
    await this.depart(ref);
    this.close(CloseCode.Normal, CloseReason.ClientLeave);
  }

  private async depart(ref?: string): Promise<void> {
    if (!this.present) return;
    this.present = false;
    await leaveDocument(this, this.documentId, ref);
  }
}
