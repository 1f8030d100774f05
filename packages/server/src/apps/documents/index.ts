import type { App } from '../../core/app.js';

export function documentsApp(): App {
  return { name: 'documents', routes: [] };
}
