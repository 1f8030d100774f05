/** Migrations of the blog feature; keys sort after the core migrations. */
import type { Migration } from 'kysely';

export const blogMigrations: Record<string, Migration> = {};
