/** Migrations of the projects feature; keys sort after the core migrations. */
import type { Migration } from 'kysely';

export const projectsMigrations: Record<string, Migration> = {};
