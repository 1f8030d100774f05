/** Migrations of the conversations feature; keys sort after the core migrations. */
import type { Migration } from 'kysely';

export const conversationsMigrations: Record<string, Migration> = {};
