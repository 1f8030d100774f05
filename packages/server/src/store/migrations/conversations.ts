/** Migrations of the conversations feature (range 05xx); keys sort after the core migrations. */
import type { Kysely, Migration } from 'kysely';

export const conversationsMigrations: Record<string, Migration> = {
  '0501_conversations': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('conversations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('worker_id', 'text', (c) => c.notNull())
        .addColumn('job_ref', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_message_text', 'text')
        .addColumn('last_message_at', 'text')
        .addColumn('last_message_sender_id', 'text')
        .addColumn('client_unread_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('worker_unread_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        // One conversation per job and pair: creating it again returns the existing one.
        .addUniqueConstraint('conversations_job_pair', ['job_ref', 'client_id', 'worker_id'])
        .execute();
      await db.schema.createIndex('conversations_client_inbox').on('conversations').columns(['client_id', 'last_message_at']).execute();
      await db.schema.createIndex('conversations_worker_inbox').on('conversations').columns(['worker_id', 'last_message_at']).execute();
      await db.schema
        .createTable('conversation_messages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('sender_id', 'text')
        .addColumn('sender_name', 'text', (c) => c.notNull())
        .addColumn('message_text', 'text', (c) => c.notNull())
        .addColumn('message_type', 'text', (c) => c.notNull())
        .addColumn('is_read', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('delivery_status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('read_at', 'text')
        .addUniqueConstraint('conversation_messages_seq', ['conversation_id', 'seq'])
        .execute();
      // mark-read flips the unread messages of one sender in one conversation.
      await db.schema
        .createIndex('conversation_messages_unread')
        .on('conversation_messages')
        .columns(['conversation_id', 'sender_id', 'is_read'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('conversation_messages').execute();
      await db.schema.dropTable('conversations').execute();
    },
  },
};
