/**
 * Documents, their version history and Yjs state. Every saved version is a row in
 * `document_versions` (version 1 included), written in the same transaction as the
 * document, so a client's base version can always be found for a three-way merge.
 *
 * Writes are compare-and-set on `version`: two writers that read the same version
 * cannot both win, on one instance or across a cluster. The loser re-reads and
 * re-merges.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { fetchPage } from './paging.js';
import type { Database, DocumentsTable, DocumentVersionsTable } from './schema.js';
import { UUID_PATTERN } from './workspaces.js';

export interface Document {
  id: string;
  workspaceId: string;
  title: string;
  content: string;
  version: number;
  /** Y.encodeStateAsUpdate of the document's Y.Doc, base64; null until the document is first opened over Yjs. */
  yjsState: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface DocumentVersion {
  documentId: string;
  version: number;
  content: string;
  userId: string;
  createdAt: string;
}

interface NewDocument {
  workspaceId: string;
  title: string;
  content: string;
  userId: string;
}

interface SaveOptions {
  /**
   * The Yjs state matching the new content. A string replaces the stored state; null
   * means "this document has no Yjs state" and the write fails if one appeared
   * meanwhile (its text would no longer match the content). Omitted: left as is.
   */
  yjsState?: string | null;
}

interface VersionsPage {
  /** Newest first. */
  versions: Omit<DocumentVersion, 'content'>[];
  hasMore: boolean;
}

function toDocument(row: DocumentsTable): Document {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    title: row.title,
    content: row.content,
    version: Number(row.version),
    yjsState: row.yjs_state,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toVersion(row: DocumentVersionsTable): DocumentVersion {
  return {
    documentId: row.document_id,
    version: Number(row.version),
    content: row.content,
    userId: row.user_id,
    createdAt: row.created_at,
  };
}

export class DocumentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates a document at version 1 together with its first history row. */
  async create(input: NewDocument): Promise<Document> {
    const now = new Date().toISOString();
    const row: DocumentsTable = {
      id: randomUUID(),
      workspace_id: input.workspaceId,
      title: input.title,
      content: input.content,
      version: 1,
      yjs_state: null,
      created_by: input.userId,
      created_at: now,
      updated_at: now,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('documents').values(row).execute();
      await trx
        .insertInto('document_versions')
        .values({ document_id: row.id, version: 1, content: input.content, user_id: input.userId, created_at: now })
        .execute();
    });
    return toDocument(row);
  }

  async find(id: string): Promise<Document | undefined> {
    if (!UUID_PATTERN.test(id)) return undefined;
    const row = await this.db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toDocument(row);
  }

  /** The stored history row of one version, or undefined when there is none. */
  async version(id: string, version: number): Promise<DocumentVersion | undefined> {
    if (!UUID_PATTERN.test(id) || !Number.isSafeInteger(version)) return undefined;
    const row = await this.db
      .selectFrom('document_versions')
      .selectAll()
      .where('document_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return row && toVersion(row);
  }

  /** The content a document had at `version` (its history row). */
  async contentAt(id: string, version: number): Promise<string | undefined> {
    return (await this.version(id, version))?.content;
  }

  /**
   * Compare-and-set: writes `content` as version `expectedVersion + 1` only while the
   * stored version is still `expectedVersion`, with its history row, in one
   * transaction. Returns the new version, or undefined when another write got there
   * first (nothing was written).
   */
  async saveIfVersion(
    id: string,
    expectedVersion: number,
    content: string,
    userId: string,
    options: SaveOptions = {},
  ): Promise<number | undefined> {
    if (!UUID_PATTERN.test(id)) return undefined;
    const now = new Date().toISOString();
    const next = expectedVersion + 1;
    return this.db.transaction().execute(async (trx) => {
      let update = trx
        .updateTable('documents')
        .set({ content, version: next, updated_at: now })
        .where('id', '=', id)
        .where('version', '=', expectedVersion);
      if (typeof options.yjsState === 'string') update = update.set({ yjs_state: options.yjsState });
      else if (options.yjsState === null) update = update.where('yjs_state', 'is', null);
      const result = await update.executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return undefined;
      await trx.insertInto('document_versions').values({ document_id: id, version: next, content, user_id: userId, created_at: now }).execute();
      return next;
    });
  }

  /**
   * Stores the first Yjs state of a document, built from its content at `version`.
   * False when the document changed or another instance stored a state first: the
   * caller re-reads and adopts that one, so every instance shares one Yjs history.
   */
  async initYjsState(id: string, version: number, yjsState: string): Promise<boolean> {
    if (!UUID_PATTERN.test(id)) return false;
    const result = await this.db
      .updateTable('documents')
      .set({ yjs_state: yjsState })
      .where('id', '=', id)
      .where('version', '=', version)
      .where('yjs_state', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** History rows without content, newest first; `beforeVersion` pages further back. */
  async versions(id: string, options: { limit: number; beforeVersion?: number }): Promise<VersionsPage> {
    if (!UUID_PATTERN.test(id)) return { versions: [], hasMore: false };
    let query = this.db
      .selectFrom('document_versions')
      .select(['document_id', 'version', 'user_id', 'created_at'])
      .where('document_id', '=', id);
    if (options.beforeVersion !== undefined) query = query.where('version', '<', options.beforeVersion);
    const { rows, hasMore } = await fetchPage(options.limit, (n) => query.orderBy('version', 'desc').limit(n).execute());
    return {
      versions: rows.map((row) => ({
        documentId: row.document_id,
        version: Number(row.version),
        userId: row.user_id,
        createdAt: row.created_at,
      })),
      hasMore,
    };
  }
}
