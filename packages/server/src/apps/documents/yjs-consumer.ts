/**
 * `/ws/documents/<uuid>/yjs`: the same document over the Yjs sync and awareness
 * protocol, as y-websocket's WebsocketProvider speaks it (binary frames; token in
 * `?token=`). Clients share this instance's replica of the Y.Doc; their updates are
 * relayed once to the document's Yjs group (every Yjs client and every instance's
 * replica) and stored by the registry's shared timer, which then tells the JSON
 * clients with `document_updated`.
 */
import { CloseCode, CloseReason } from '@switchboard/protocol';
import { Consumer, type HandlerTable } from '../../core/consumer.js';
import { binaryFrame } from '../../core/frame.js';
import { accessibleDocument } from './access.js';
import { documentYjsGroup } from './groups.js';
import type { DocumentHub } from './hub.js';
import type { LiveDocument } from './live-document.js';
import { announceJoin, enterDocument, leaveDocument } from './presence.js';
import { awarenessMessage, decodeYjsMessage, encodeAwarenessUpdate, syncStep1Message, syncStep2Message } from './yjs-wire.js';

export abstract class DocumentYjsConsumer extends Consumer {
  /** JSON frames get only the common `ping` and `refresh_token`. */
  static override handlers: HandlerTable<DocumentYjsConsumer> = {};
  static override binaryProtocol = true;

  /** Set by the app: the lock and Y.Doc registry shared by this server's document endpoints. */
  protected abstract readonly hub: DocumentHub;
  private documentId = '';
  private live: LiveDocument | undefined;
  private present = false;
  /** Awareness client ids this connection introduced; removed for everyone when it closes. */
  private awarenessClients: Set<number> | undefined;

  override async authorize(): Promise<boolean> {
    const document = await accessibleDocument(this.host.store, this.params.document_id ?? '', this.user.id);
    if (!document) return false;
    this.documentId = document.id;
    return true;
  }

  override async onConnect(): Promise<void> {
    this.live = await this.hub.registry.acquire(this.host, this.documentId);
    await this.join(documentYjsGroup(this.documentId));
    await enterDocument(this, this.documentId);
    this.present = true;
    await announceJoin(this, this.documentId);
    // As y-websocket's server: our state vector (the client answers with what we miss), then who is here.
    this.deliver(binaryFrame(syncStep1Message(this.live.doc)));
    const awareness = this.live.awareness.encodeAll();
    if (awareness) this.deliver(binaryFrame(awarenessMessage(awareness)));
  }

  override async onDisconnect(): Promise<void> {
    const live = this.live;
    if (!live) return;
    this.live = undefined;
    if (this.awarenessClients) {
      const removal = live.awareness.remove(this.awarenessClients);
      if (removal) live.relay(awarenessMessage(removal), this);
    }
    if (this.present) {
      this.present = false;
      await leaveDocument(this, this.documentId);
    }
    await this.hub.registry.release(live);
  }

  override onBinary(data: Buffer): void {
    const live = this.live;
    if (!live) return;
    let message;
    try {
      message = decodeYjsMessage(data);
    } catch {
      return this.noteMalformed();
    }
    switch (message.kind) {
      case 'step1':
        this.deliver(binaryFrame(syncStep2Message(live.doc, message.stateVector)));
        return;
      case 'update':
        return this.applyUpdate(live, message.update);
      case 'awareness':
        return this.applyAwareness(live, message.update);
      case 'query-awareness': {
        const states = live.awareness.encodeAll();
        if (states) this.deliver(binaryFrame(awarenessMessage(states)));
        return;
      }
      case 'auth':
      case 'unknown':
        return;
    }
  }

  private applyUpdate(live: LiveDocument, update: Uint8Array): void {
    let admitted: boolean;
    try {
      admitted = live.admits(update);
    } catch {
      return this.noteMalformed();
    }
    if (!admitted) {
      // Applying it would take the document past its size limit. A CRDT update cannot
      // be refused in part and the protocol has no error message, so the connection
      // is closed; the document stays as it was for everyone else.
      this.close(CloseCode.MessageTooBig, CloseReason.MessageTooBig);
      return;
    }
    try {
      live.applyFromClient(update, this);
    } catch (error) {
      this.host.logger.warn({ err: error, document: this.documentId }, 'yjs update rejected');
      return this.noteMalformed();
    }
    // Something this update builds on never arrived (e.g. dropped by the rate limit):
    // our state vector makes the client send it again.
    if (live.hasMissingUpdates) this.deliver(binaryFrame(syncStep1Message(live.doc)));
  }

  private applyAwareness(live: LiveDocument, update: Uint8Array): void {
    let changes;
    try {
      changes = live.awareness.apply(update);
    } catch {
      return this.noteMalformed();
    }
    if (changes.length === 0) return;
    const clients = (this.awarenessClients ??= new Set());
    for (const change of changes) {
      if (change.state === null) clients.delete(change.clientId);
      else if (change.added) clients.add(change.clientId);
    }
    // Only what changed (clients echo every awareness update they receive), and to the
    // sender too, as y-websocket's server does: a provider that hears nothing for 30 s
    // reconnects, and its own 15 s awareness renewal is what a lone client hears.
    live.relay(awarenessMessage(encodeAwarenessUpdate(changes)));
  }
}
