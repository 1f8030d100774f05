/** Channel messages (seq per channel, idempotent client_id) and read markers. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export class MessageRepository {
  constructor(private readonly db: Kysely<Database>) {}
}
