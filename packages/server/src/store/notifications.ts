/** Per-user notifications with read state. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export class NotificationRepository {
  constructor(private readonly db: Kysely<Database>) {}
}
