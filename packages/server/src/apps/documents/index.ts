/**
 * Collaborative documents (PROTOCOL.md §2, §8): the JSON endpoint, the Yjs endpoint
 * and the REST routes. Each app instance owns one DocumentHub (write lock, Y.Doc
 * registry, persistence timer), handed to its consumers through small subclasses.
 */
import { DOCUMENTS_PATH, DOCUMENTS_YJS_PATH } from '@switchboard/protocol';
import type { App } from '../../core/app.js';
import { DocumentConsumer } from './consumer.js';
import { documentRoutes } from './http.js';
import { DocumentHub } from './hub.js';
import type { PersistTiming } from './registry.js';
import { DocumentYjsConsumer } from './yjs-consumer.js';
import { documentDepartures } from './presence.js';
import { announceDepartures } from '../shared/departures.js';

export interface DocumentsAppOptions {
  /** When edits made over Yjs are stored (and reach JSON clients as `document_updated`). */
  persistTiming?: PersistTiming;
}

export function documentsApp(options: DocumentsAppOptions = {}): App {
  const documentHub = new DocumentHub(options.persistTiming);
  let stopDepartures: (() => void) | undefined;

  class DocumentEndpoint extends DocumentConsumer {
    protected readonly hub = documentHub;
  }
  class DocumentYjsEndpoint extends DocumentYjsConsumer {
    protected readonly hub = documentHub;
  }

  return {
    name: 'documents',
    routes: [
      { path: DOCUMENTS_PATH, consumer: DocumentEndpoint },
      { path: DOCUMENTS_YJS_PATH, consumer: DocumentYjsEndpoint },
    ],
    http: documentRoutes,
    start(context) {
      stopDepartures = announceDepartures(context, documentDepartures);
      documentHub.start();
    },
    stop() {
      stopDepartures?.();
      return documentHub.stop();
    },
  };
}
