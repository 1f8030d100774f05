/**
 * Saving a JSON client's `update {content, version}`: the edit is taken as is when it
 * was based on the current version, three-way merged when it was based on an older
 * one, and written with the store's compare-and-set. When another write wins the
 * race, the edit is merged again against the new current content, so two updates on
 * the same base can never both overwrite each other and none is silently dropped.
 *
 * A document that has a Yjs state gets the new content as a Yjs change too (one
 * splice on the stored state), stored with it, so its Yjs clients can be sent the
 * change as an ordinary Yjs update.
 */
import type { DocumentRepository } from '../../store/documents.js';
import { mergeText } from './merge.js';
import { docFrom, encodeState, setText } from './yjs-state.js';

export interface Edit {
  documentId: string;
  /** The version the client's content was based on. */
  baseVersion: number;
  content: string;
  userId: string;
  /** Largest content, in UTF-8 bytes, that may be stored. */
  maxBytes: number;
}

export type EditOutcome =
  | {
      kind: 'saved';
      version: number;
      content: string;
      /** True when the stored content is a merge (the client's base was stale). */
      merged: boolean;
      /** The change as a Yjs update, when the document has a Yjs state. */
      yjsUpdate: Uint8Array | undefined;
    }
  /** Cannot be merged, the base version has no history row, or writes kept racing. */
  | { kind: 'conflict'; message: string }
  /** The base version is newer than anything stored: the client cannot have seen it. */
  | { kind: 'invalid'; message: string }
  /** The merged content would exceed the size limit. */
  | { kind: 'too_large'; message: string }
  | { kind: 'not_found' };

const MAX_ATTEMPTS = 5;

export async function saveEdit(documents: DocumentRepository, edit: Edit): Promise<EditOutcome> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await documents.find(edit.documentId);
    if (!current) return { kind: 'not_found' };
    if (edit.baseVersion > current.version) {
      return { kind: 'invalid', message: `version ${edit.baseVersion} is newer than the current version ${current.version}` };
    }
    let content = edit.content;
    const merged = edit.baseVersion < current.version;
    if (merged) {
      const base = await documents.contentAt(edit.documentId, edit.baseVersion);
      if (base === undefined) return { kind: 'conflict', message: `version ${edit.baseVersion} is not in the history; reload the document` };
      const result = mergeText(base, current.content, edit.content);
      if (!result.ok) {
        return { kind: 'conflict', message: `the edit conflicts with changes made since version ${edit.baseVersion}` };
      }
      content = result.content;
      if (Buffer.byteLength(content) > edit.maxBytes) {
        return { kind: 'too_large', message: `the merged document would be larger than ${edit.maxBytes} bytes` };
      }
    }
    let yjsUpdate: Uint8Array | undefined;
    let yjsState: string | null = null;
    if (current.yjsState !== null) {
      const doc = docFrom(current.yjsState, current.content);
      try {
        yjsUpdate = setText(doc, content, null);
        yjsState = encodeState(doc);
      } finally {
        doc.destroy();
      }
    }
    const version = await documents.saveIfVersion(edit.documentId, current.version, content, edit.userId, { yjsState });
    if (version !== undefined) return { kind: 'saved', version, content, merged, yjsUpdate };
  }
  return { kind: 'conflict', message: 'the document is changing too fast; reload it and try again' };
}
