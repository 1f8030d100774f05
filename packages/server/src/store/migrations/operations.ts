/** Migrations of the operations feature (range 06xx); keys sort after the core migrations. */
import type { Kysely, Migration } from 'kysely';

export const operationsMigrations: Record<string, Migration> = {
  '0601_connection_records': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('connection_records')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('connection_id', 'integer', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('route', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('connected_at', 'text', (c) => c.notNull())
        .addColumn('disconnected_at', 'text')
        .addColumn('close_code', 'integer')
        .execute();
      // Live counts and crash recovery read the open rows of an instance.
      await db.schema
        .createIndex('connection_records_instance_open')
        .on('connection_records')
        .columns(['instance_id', 'disconnected_at'])
        .execute();
      // `cleanup --hours N` deletes by close time.
      await db.schema.createIndex('connection_records_disconnected').on('connection_records').column('disconnected_at').execute();
      await db.schema
        .createTable('server_instances')
        .addColumn('instance_id', 'text', (c) => c.primaryKey())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('server_instances').execute();
      await db.schema.dropTable('connection_records').execute();
    },
  },
};
