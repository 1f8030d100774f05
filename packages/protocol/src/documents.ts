/**
 * Seed 000 collaborative documents (PROTOCOL.md §2): the JSON endpoint
 * `/ws/documents/<uuid>/`, the Yjs endpoint `/ws/documents/<uuid>/yjs`, and the shapes
 * the document REST routes return (§8).
 */
import { MAX_CURSOR_BYTES } from './common.js';
import type { ServerEnvelope } from './common.js';
import { json, number, object, string, type Infer } from './schema.js';

/** Route pattern of the JSON endpoint; a client connects to `documentPath(id)`. */
export const DOCUMENTS_PATH = '/ws/documents/:document_id/';
/** Route pattern of the Yjs endpoint (binary y-protocols sync + awareness). */
export const DOCUMENTS_YJS_PATH = '/ws/documents/:document_id/yjs';

export function documentPath(documentId: string): string {
  return `/ws/documents/${encodeURIComponent(documentId)}/`;
}

export function documentYjsPath(documentId: string): string {
  return `/ws/documents/${encodeURIComponent(documentId)}/yjs`;
}

/** The shared Y.Text that holds a document's content on the Yjs endpoint. */
export const DOCUMENT_YTEXT_NAME = 'content';

/**
 * Room left in a frame for the `update` envelope around the content (type, version,
 * ref, JSON quoting). A document's content may be at most `maxMessageBytes` minus this.
 */
export const DOCUMENT_ENVELOPE_RESERVE_BYTES = 1024;
/** Content limit in UTF-8 bytes with the default 64 KiB `maxMessageBytes`: 63 KiB. */
export const MAX_DOCUMENT_BYTES = 64 * 1024 - DOCUMENT_ENVELOPE_RESERVE_BYTES;

export function maxDocumentBytes(maxMessageBytes: number): number {
  return Math.max(0, maxMessageBytes - DOCUMENT_ENVELOPE_RESERVE_BYTES);
}

export const MAX_DOCUMENT_TITLE_LENGTH = 200;
/** Highest version a client may name (version is a 32-bit integer column). */
export const MAX_DOCUMENT_VERSION = 2_147_483_647;
/** `document_state.data.users` lists at most this many users. */
export const MAX_DOCUMENT_USERS_LISTED = 100;
/** Version history page size: at most 100, default 50. */
export const MAX_DOCUMENT_VERSIONS_LIMIT = 100;
export const DEFAULT_DOCUMENT_VERSIONS_LIMIT = 50;

export const documentsClientSchemas = {
  /**
   * `version` is the version the edit was based on. The content's size is checked by
   * the server in UTF-8 bytes (`too_large`), not here.
   */
  update: object({
    content: string(),
    version: number({ integer: true, min: 1, max: MAX_DOCUMENT_VERSION }),
  }),
  /** Any JSON value of at most 1 KiB; relayed, never stored. */
  cursor: object({ position: json({ maxBytes: MAX_CURSOR_BYTES }) }),
  join: object({}),
  leave: object({}),
};

export type DocumentUpdateIn = Infer<typeof documentsClientSchemas.update>;
export type DocumentCursorIn = Infer<typeof documentsClientSchemas.cursor>;

export interface DocumentUser {
  user_id: string;
  user_name: string;
}

export interface DocumentStateMessage extends ServerEnvelope {
  type: 'document_state';
  data: { content: string; version: number; users: DocumentUser[] };
}

export interface DocumentUpdatedMessage extends ServerEnvelope {
  type: 'document_updated';
  data: { content: string; version: number; user_id: string };
}

export interface DocumentUpdateAckMessage extends ServerEnvelope {
  type: 'update_ack';
  data: { version: number };
}

export interface DocumentUserJoinedMessage extends ServerEnvelope {
  type: 'user_joined';
  data: DocumentUser;
}

export interface DocumentUserLeftMessage extends ServerEnvelope {
  type: 'user_left';
  data: { user_id: string };
}

export interface DocumentCursorMovedMessage extends ServerEnvelope {
  type: 'cursor_moved';
  data: { user_id: string; user_name: string; position: unknown };
}

export type DocumentsServerMessage =
  | DocumentStateMessage
  | DocumentUpdatedMessage
  | DocumentUpdateAckMessage
  | DocumentUserJoinedMessage
  | DocumentUserLeftMessage
  | DocumentCursorMovedMessage;

/** A document as the REST API returns it. */
export interface DocumentResource {
  id: string;
  workspace_id: string;
  title: string;
  content: string;
  version: number;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** One row of a document's version history (content only from the single-version route). */
export interface DocumentVersionResource {
  version: number;
  user_id: string;
  created_at: string;
  content?: string;
}
