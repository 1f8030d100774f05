/** Documents, their version history and Yjs state. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export class DocumentRepository {
  constructor(private readonly db: Kysely<Database>) {}
}
