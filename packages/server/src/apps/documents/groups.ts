/** Channel-layer groups and the presence topic of one document. */

/** JSON clients of `/ws/documents/<id>/`: document_updated, cursors, user_joined/left. */
export function documentGroup(documentId: string): string {
  return `document:${documentId}`;
}

/** Yjs clients of `/ws/documents/<id>/yjs` and every instance's replica of the Y.Doc. */
export function documentYjsGroup(documentId: string): string {
  return `document:${documentId}:yjs`;
}

/** Users present on the document through either endpoint. */
export function documentTopic(documentId: string): string {
  return `document:${documentId}`;
}

const DOCUMENT_TOPIC = /^document:([0-9a-f-]{36})$/i;

/** The document of a presence topic, or undefined for other topics. */
export function documentOfTopic(topic: string): string | undefined {
  return DOCUMENT_TOPIC.exec(topic)?.[1];
}
