/** Who may open a document: members of its workspace (PROTOCOL.md §2). */
import type { Store } from '../../store/store.js';
import type { Document } from '../../store/documents.js';

/**
 * The document when `userId` is a member of its workspace; otherwise undefined,
 * whether or not it exists (callers answer 4003/404 alike). Ids that are not UUIDs
 * never reach the database.
 */
export async function accessibleDocument(store: Store, documentId: string, userId: string): Promise<Document | undefined> {
  const document = await store.documents.find(documentId);
  if (!document || !(await store.workspaces.isMember(document.workspaceId, userId))) return undefined;
  return document;
}
