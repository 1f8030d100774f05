/**
 * A document's stored Yjs state (base64 of Y.encodeStateAsUpdate) and its shared
 * Y.Text `content`. Invariant kept by every writer: when a document has a Yjs state,
 * the text of that state equals the stored `content`.
 */
import { DOCUMENT_YTEXT_NAME } from '@switchboard/protocol';
import * as Y from 'yjs';
import { textSplice } from './merge.js';

export function contentText(doc: Y.Doc): Y.Text {
  return doc.getText(DOCUMENT_YTEXT_NAME);
}

export function encodeState(doc: Y.Doc): string {
  return Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
}

export function decodeState(state: string): Uint8Array {
  return new Uint8Array(Buffer.from(state, 'base64'));
}

/** A Y.Doc holding `state`, or the text `content` in a new Yjs history when there is no state. */
export function docFrom(state: string | null, content: string): Y.Doc {
  const doc = new Y.Doc();
  if (state !== null) Y.applyUpdate(doc, decodeState(state));
  else contentText(doc).insert(0, content);
  return doc;
}

/**
 * Turns the document's text into `next` with one delete and one insert (common prefix
 * and suffix kept), so concurrent Yjs edits elsewhere in the text survive. Returns the
 * Yjs update it made, or undefined when the text was already `next`.
 */
export function setText(doc: Y.Doc, next: string, origin: unknown): Uint8Array | undefined {
  const text = contentText(doc);
  const splice = textSplice(text.toString(), next);
  if (!splice) return undefined;
  // The transaction's own update: its new items and only its own deletions.
  let update: Uint8Array | undefined;
  const capture = (made: Uint8Array): void => {
    update = made;
  };
  doc.on('update', capture);
  try {
    doc.transact(() => {
      if (splice.remove > 0) text.delete(splice.index, splice.remove);
      if (splice.insert.length > 0) text.insert(splice.index, splice.insert);
    }, origin);
  } finally {
    doc.off('update', capture);
  }
  return update;
}

