/**
 * The binary messages y-websocket speaks (y-protocols): a varuint message type, then
 * for `sync` a sync step (1: state vector, 2: missing updates, update), for
 * `awareness` an awareness update. Encoding helpers, the awareness bookkeeping the
 * server keeps per document, and the payload of a server frame relayed through the
 * channel layer.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';

export const MessageType = { Sync: 0, Awareness: 1, Auth: 2, QueryAwareness: 3 } as const;
export const SyncStep = { Step1: 0, Step2: 1, Update: 2 } as const;

/** `sync` step 1: the sender's state vector (the receiver answers with step 2). */
export function syncStep1Message(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncStep.Step1);
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(doc));
  return encoding.toUint8Array(encoder);
}

/** `sync` step 2: everything in `doc` the peer with `stateVector` is missing. */
export function syncStep2Message(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncStep.Step2);
  encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(doc, stateVector));
  return encoding.toUint8Array(encoder);
}

/** `sync` update: an incremental Yjs update. */
export function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, SyncStep.Update);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

export function awarenessMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** A decoded incoming message; `unknown` types are ignored like y-websocket does. */
export type YjsMessage =
  | { kind: 'step1'; stateVector: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'query-awareness' }
  | { kind: 'auth' }
  | { kind: 'unknown' };

/** Decodes one message; throws on truncated or malformed input. */
export function decodeYjsMessage(data: Uint8Array): YjsMessage {
  const decoder = decoding.createDecoder(data);
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MessageType.Sync: {
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (step === SyncStep.Step1) return { kind: 'step1', stateVector: payload };
      if (step === SyncStep.Step2 || step === SyncStep.Update) return { kind: 'update', update: payload };
      throw new Error(`unknown sync step ${step}`);
    }
    case MessageType.Awareness:
      return { kind: 'awareness', update: decoding.readVarUint8Array(decoder) };
    case MessageType.QueryAwareness:
      return { kind: 'query-awareness' };
    case MessageType.Auth:
      return { kind: 'auth' };
    default:
      return { kind: 'unknown' };
  }
}

/**
 * An upper bound of the UTF-8 bytes an update can add to a document: the text of its
 * string items, and the whole update for any other kind of content. Measured without
 * applying it, so an oversized update can be refused before it changes anything.
 */
export function updateGrowthBytes(update: Uint8Array): number {
  const { structs } = Y.decodeUpdate(update);
  let bytes = 0;
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const content = struct.content;
    if (content instanceof Y.ContentString) bytes += Buffer.byteLength(content.str);
    else if (!(content instanceof Y.ContentDeleted)) return update.byteLength + bytes;
  }
  return bytes;
}

// ---- awareness ----

interface AwarenessEntry {
  clock: number;
  /** JSON text of the state; null once the client went away (kept for its clock). */
  state: string | null;
}

export interface AwarenessChange {
  clientId: number;
  clock: number;
  state: string | null;
  /** True when the client had no state before (a new or returning client). */
  added: boolean;
}

/** Above this many entries, forgotten clients are pruned. */
const AWARENESS_PRUNE_AT = 1000;
/** Clients with a state per document; more are ignored, so a client cannot grow server memory. */
const AWARENESS_MAX_LIVE = 1000;

/**
 * The awareness states of one document, with y-protocols' rules (a higher clock wins;
 * at an equal clock only a removal does) but no timers: y-websocket clients renew
 * their state every 15 s and drop states not renewed for 30 s themselves.
 */
export class AwarenessTable {
  private readonly entries = new Map<number, AwarenessEntry>();
  private liveCount = 0;

  /** Applies an awareness update; returns the entries that changed. Throws on malformed input. */
  apply(update: Uint8Array): AwarenessChange[] {
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const changes: AwarenessChange[] = [];
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder);
      const clock = decoding.readVarUint(decoder);
      const text = decoding.readVarString(decoder);
      const state = text === 'null' ? null : text;
      const current = this.entries.get(clientId);
      const currentClock = current?.clock ?? 0;
      const accept = currentClock < clock || (currentClock === clock && state === null && current?.state != null);
      if (!accept) continue;
      const added = current?.state == null && state !== null;
      const removed = current?.state != null && state === null;
      if (added && this.liveCount >= AWARENESS_MAX_LIVE) continue;
      if (added) this.liveCount++;
      else if (removed) this.liveCount--;
      this.entries.set(clientId, { clock, state });
      changes.push({ clientId, clock, state, added });
    }
    if (this.entries.size > AWARENESS_PRUNE_AT) this.prune();
    return changes;
  }

  /** Marks clients as gone (clock + 1, state null) and returns the update announcing it. */
  remove(clientIds: Iterable<number>): Uint8Array | undefined {
    const removed: AwarenessChange[] = [];
    for (const clientId of clientIds) {
      const current = this.entries.get(clientId);
      if (!current || current.state === null) continue;
      const change = { clientId, clock: current.clock + 1, state: null, added: false };
      this.entries.set(clientId, { clock: change.clock, state: null });
      this.liveCount--;
      removed.push(change);
    }
    return removed.length > 0 ? encodeAwarenessUpdate(removed) : undefined;
  }

  /** An update carrying every live state (for a client that just connected), or undefined. */
  encodeAll(): Uint8Array | undefined {
    const live: AwarenessChange[] = [];
    for (const [clientId, entry] of this.entries) {
      if (entry.state !== null) live.push({ clientId, clock: entry.clock, state: entry.state, added: false });
    }
    return live.length > 0 ? encodeAwarenessUpdate(live) : undefined;
  }

  private prune(): void {
    for (const [clientId, entry] of this.entries) if (entry.state === null) this.entries.delete(clientId);
  }
}

export function encodeAwarenessUpdate(changes: readonly AwarenessChange[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, changes.length);
  for (const change of changes) {
    encoding.writeVarUint(encoder, change.clientId);
    encoding.writeVarUint(encoder, change.clock);
    encoding.writeVarString(encoder, change.state ?? 'null');
  }
  return encoding.toUint8Array(encoder);
}

/**
 * The payload of an unmasked server frame (as made by core/frame.ts): the channel
 * layer hands group members complete frames, and a document replica reads them back.
 */
export function framePayload(frame: Buffer): Buffer {
  const length = frame[1]! & 0x7f;
  const offset = length < 126 ? 2 : length === 126 ? 4 : 10;
  return frame.subarray(offset);
}

/** True for a binary frame (opcode 2). */
export function isBinaryFrame(frame: Buffer): boolean {
  return (frame[0]! & 0x0f) === 0x2;
}
