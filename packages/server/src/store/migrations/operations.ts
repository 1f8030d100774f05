/** Migrations of the operations feature; keys sort after the core migrations. */
import type { Migration } from 'kysely';

export const operationsMigrations: Record<string, Migration> = {};
