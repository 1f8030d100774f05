/**
 * LiveDocument: this instance's replica of one document's Y.Doc while Yjs clients
 * are connected to it here. It is a member of the document's Yjs group in the channel
 * layer, like the Yjs connections, so updates from other instances (and from JSON
 * `update`s) reach it as the same binary frames the clients get; Yjs updates commute
 * and apply idempotently, so every replica converges.
 *
 * Edits made by this instance's clients mark it dirty; the registry's shared timer
 * persists it (content, Yjs state, a new version and its history row) and then tells
 * the JSON clients with `document_updated`.
 */
import { maxDocumentBytes } from '@switchboard/protocol';
import * as Y from 'yjs';
import type { ServerContext } from '../../core/context.js';
import { binaryFrame, encodeMessage } from '../../core/frame.js';
import type { LayerMember } from '../../layer/types.js';
import type { Document } from '../../store/documents.js';
import { documentGroup, documentYjsGroup } from './groups.js';
import { contentText, decodeState, docFrom, encodeState, setText } from './yjs-state.js';
import { AwarenessTable, decodeYjsMessage, framePayload, isBinaryFrame, syncUpdateMessage, updateGrowthBytes } from './yjs-wire.js';

/** Update origins that are not a client connection. */
const LOADED = Symbol('loaded');
const RELAYED = Symbol('relayed');
const STORED = Symbol('stored');

/** Attempts of a compare-and-set loop before giving up for now. */
const MAX_ATTEMPTS = 5;

/** Replicas are layer members too; negative ids never collide with connection ids. */
let nextReplicaId = -1;

export class LiveDocument implements LayerMember {
  readonly id = nextReplicaId--;
  /** Not a user: `exceptUser` never skips a replica. */
  readonly userId = '';
  readonly group: string;
  readonly doc = new Y.Doc();
  readonly awareness = new AwarenessTable();
  /** Connections using this replica; it is released when the last one leaves. */
  refs = 0;
  ready: Promise<void> = Promise.resolve();
  /** Edits from this instance's clients that are not stored yet. */
  dirty = false;
  private editCount = 0;
  private firstEditAt = 0;
  private lastEditAt = 0;
  private lastEditor = '';
  /** Frames this replica relayed itself: the layer hands them back to it as a group member. */
  private readonly ownFrames = new WeakSet<Buffer>();

  constructor(
    readonly documentId: string,
    readonly host: ServerContext,
  ) {
    this.group = documentYjsGroup(documentId);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => this.onUpdate(update, origin));
  }

  get content(): string {
    return contentText(this.doc).toString();
  }

  /** Whether the server is waiting for updates this one depends on (a client should resend). */
  get hasMissingUpdates(): boolean {
    return this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
  }

  /**
   * Whether `update` keeps the text within the document size limit, judged before
   * applying it (a CRDT update cannot be taken back once applied).
   */
  admits(update: Uint8Array): boolean {
    const limit = maxDocumentBytes(this.host.options.maxMessageBytes);
    const growth = updateGrowthBytes(update);
    const text = contentText(this.doc);
    // A UTF-16 unit is at most 3 bytes of UTF-8: away from the limit, the text (built
    // whole by toString) need not be measured on every keystroke.
    if (text.length * 3 + growth <= limit) return true;
    return Buffer.byteLength(text.toString()) + growth <= limit;
  }

  /** Applies a client's update; it is relayed to every other Yjs client and marks the replica dirty. */
  applyFromClient(update: Uint8Array, client: LayerMember): void {
    Y.applyUpdate(this.doc, update, client);
  }

  /** Sends a payload to the document's Yjs group as one binary frame (encoded once). */
  relay(payload: Uint8Array, except?: LayerMember): void {
    const frame = binaryFrame(payload);
    this.ownFrames.add(frame);
    // The server's layer logs a failed cross-instance hop itself (core/fanout.ts).
    void this.host.layer.groupSend(this.group, frame, except ? { except } : undefined);
  }

  /** Layer delivery: updates and awareness from other instances and from JSON edits. */
  deliver(frame: Buffer): void {
    if (this.ownFrames.has(frame) || !isBinaryFrame(frame)) return;
    try {
      const message = decodeYjsMessage(framePayload(frame));
      if (message.kind === 'update') Y.applyUpdate(this.doc, message.update, RELAYED);
      else if (message.kind === 'awareness') this.awareness.apply(message.update);
    } catch (error) {
      this.host.logger.error({ err: error, document: this.documentId }, 'relayed yjs frame rejected');
    }
  }

  private onUpdate(update: Uint8Array, origin: unknown): void {
    if (origin === LOADED || origin === RELAYED) return;
    if (origin === STORED) {
      // Stored edits this replica had not seen (its relay was missed): pass them on.
      this.relay(syncUpdateMessage(update));
      return;
    }
    const client = origin as LayerMember;
    this.relay(syncUpdateMessage(update), client);
    this.markEdited(client.userId);
  }

  private markEdited(userId: string): void {
    const now = Date.now();
    this.editCount++;
    this.lastEditor = userId;
    this.lastEditAt = now;
    if (!this.dirty) {
      this.dirty = true;
      this.firstEditAt = now;
    }
  }

  /** Dirty and idle for `debounceMs`, or dirty for `maxDelayMs` while edits keep coming. */
  isDue(now: number, debounceMs: number, maxDelayMs: number): boolean {
    return this.dirty && (now - this.lastEditAt >= debounceMs || now - this.firstEditAt >= maxDelayMs);
  }

  /**
   * Reads the stored Yjs state into the replica. The first Yjs use of a document
   * creates its Yjs history from the content and stores it with a compare-and-set, so
   * all instances adopt the same history (two independently created histories of the
   * same text would merge into a doubled text).
   */
  async load(): Promise<void> {
    const documents = this.host.store.documents;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const row = await documents.find(this.documentId);
      if (!row) throw new Error(`document ${this.documentId} not found`);
      if (row.yjsState === null) {
        const fresh = docFrom(null, row.content);
        try {
          if (await documents.initYjsState(row.id, row.version, encodeState(fresh))) {
            Y.applyUpdate(this.doc, Y.encodeStateAsUpdate(fresh), LOADED);
            return;
          }
        } finally {
          fresh.destroy();
        }
        continue;
      }
      if (await this.repairStoredState(row)) continue;
      Y.applyUpdate(this.doc, decodeState(row.yjsState), LOADED);
      return;
    }
    throw new Error(`document ${this.documentId}: Yjs state kept changing while loading`);
  }

  /**
   * Content written around Yjs (by a writer that left the Yjs state alone) no longer
   * matches the text of the stored state. The splice that brings the state in line is
   * stored first, as a new version with a compare-and-set, and only then applied
   * anywhere: two instances each making their own splice would double the text.
   * Returns true when the row was not consistent (repaired now or by someone else):
   * the caller reads it again.
   */
  private async repairStoredState(row: Document): Promise<boolean> {
    if (row.yjsState === null) return false;
    const stored = docFrom(row.yjsState, row.content);
    try {
      if (setText(stored, row.content, null) === undefined) return false;
      await this.host.store.documents.saveIfVersion(row.id, row.version, row.content, row.createdBy, { yjsState: encodeState(stored) });
      return true;
    } finally {
      stored.destroy();
    }
  }

  /**
   * Stores the replica when dirty: merges the stored state first (edits committed by
   * JSON clients or other instances), then compare-and-sets content + Yjs state as a
   * new version and sends `document_updated` to the JSON clients. A text that did not
   * change writes nothing. On contention it stays dirty for the next tick.
   */
  async persist(): Promise<void> {
    if (!this.dirty) return;
    const editsSeen = this.editCount;
    const documents = this.host.store.documents;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const row = await documents.find(this.documentId);
      if (!row) {
        this.dirty = false;
        return;
      }
      if (await this.repairStoredState(row)) continue;
      if (row.yjsState !== null) Y.applyUpdate(this.doc, decodeState(row.yjsState), STORED);
      const content = this.content;
      const editor = this.lastEditor;
      if (content === row.content) {
        this.markStored(editsSeen);
        return;
      }
      const version = await documents.saveIfVersion(row.id, row.version, content, editor, { yjsState: encodeState(this.doc) });
      if (version !== undefined) {
        this.markStored(editsSeen);
        await this.host.layer.groupSend(
          documentGroup(this.documentId),
          encodeMessage({ type: 'document_updated', data: { content, version, user_id: editor } }),
        );
        return;
      }
    }
    this.host.logger.warn({ document: this.documentId }, 'yjs persist contended; retrying on the next tick');
  }

  private markStored(editsSeen: number): void {
    // Edits that arrived while storing keep the replica dirty.
    if (this.editCount === editsSeen) this.dirty = false;
  }

  destroy(): void {
    this.doc.destroy();
  }
}
