/** `useDocument(id)`: a collaborative document over the JSON endpoint (seed 000). */
import { useCallback } from 'react';
import { DocumentBinding, documentKey } from '../bindings/document.js';
import { INITIAL_CONNECTION, type ConnectionSnapshot } from '../stores/connection-store.js';
import { INITIAL_DOCUMENT, type DocumentSnapshot } from '../stores/document-store.js';
import { useSwitchboard } from '../provider.js';
import { useBinding, useStoreSnapshot } from './use-binding.js';

export interface UseDocumentResult extends DocumentSnapshot {
  readonly isConnected: boolean;
  readonly connection: ConnectionSnapshot;
  /** The user's new text (whole content); saved in the background, merged with others' edits. */
  update(content: string): void;
  /** Shares this user's cursor (any small JSON value, e.g. `{ index }`). */
  moveCursor(position: unknown): void;
  dismissRejected(): void;
}

export function useDocument(documentId: string | null): UseDocumentResult {
  const { user } = useSwitchboard();
  const binding = useBinding(documentId ? documentKey(documentId) : null, () => new DocumentBinding(documentId!, user?.id));
  const snapshot = useStoreSnapshot(binding?.store, INITIAL_DOCUMENT);
  const connection = useStoreSnapshot(binding?.connectionStore, INITIAL_CONNECTION);
  const update = useCallback((content: string) => binding?.edit(content), [binding]);
  const moveCursor = useCallback((position: unknown) => binding?.moveCursor(position), [binding]);
  const dismissRejected = useCallback(() => binding?.store.dismissRejected(), [binding]);
  return { ...snapshot, isConnected: connection.isConnected, connection, update, moveCursor, dismissRejected };
}
