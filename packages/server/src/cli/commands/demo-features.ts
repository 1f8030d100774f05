/**
 * Demo data of the blog, projects and tickets, and conversations. The rows are written
 * straight into the tables, typed by the store's schema, in one transaction per feature.
 * Ids are derived from fixed names, so a second run finds the rows and writes nothing.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SYSTEM_SENDER_NAME } from '../../store/conversations.js';
import type { Database } from '../../store/schema.js';
import type { Store } from '../../store/store.js';

export interface DemoUsers {
  alice: { id: string; username: string; name: string };
  bob: { id: string; username: string; name: string };
  carol: { id: string; username: string; name: string };
}

/** Rows of one table, checked against its schema. */
type TableRows = {
  [T in keyof Database]: {
    table: T;
    /** Singular noun for the summary line (plural: + s). */
    label: string;
    rows: Database[T][];
  };
}[keyof Database];

/** Tables with an `id` column: the ones a feature's marker row can be looked up in. */
type MarkerRows = Extract<TableRows, { rows: { id: string }[] }>;

interface DemoFeature {
  name: string;
  /** The first row of the first table is the marker: when it exists, the feature is seeded. */
  tables(users: DemoUsers, at: (step: number) => string): [MarkerRows, ...TableRows[]];
}

/** A name-based UUID (version 5 layout, SHA-1 of a fixed namespace and `key`). */
function demoId(key: string): string {
  const bytes = createHash('sha1').update(`switchboard-demo:${key}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const blog: DemoFeature = {
  name: 'blog',
  tables: ({ alice, bob, carol }, at) => {
    const published = demoId('blog:post:welcome');
    return [
      {
        table: 'blog_posts',
        label: 'post',
        rows: [
          {
            id: published,
            author_id: alice.id,
            author_name: alice.name,
            title: 'Hello from Switchboard',
            content: 'Open this post in two tabs: views, likes and comments update live.',
            status: 'published',
            moderate_comments: 0,
            published_at: at(0),
            view_count: 3,
            like_count: 1,
            comment_count: 1,
            created_at: at(0),
            updated_at: at(0),
          },
          {
            id: demoId('blog:post:draft'),
            author_id: alice.id,
            author_name: alice.name,
            title: 'Draft: realtime tips',
            content: 'Publish this draft to send a blog_post_published notification.',
            status: 'draft',
            moderate_comments: 0,
            published_at: null,
            view_count: 0,
            like_count: 0,
            comment_count: 0,
            created_at: at(1),
            updated_at: at(1),
          },
        ],
      },
      {
        table: 'blog_comments',
        label: 'comment',
        rows: [
          {
            id: demoId('blog:comment:1'),
            post_id: published,
            author_id: bob.id,
            author_name: bob.name,
            content: 'Great post!',
            // As BlogRepository.createComment stores a comment approved on creation.
            approved: 1,
            approved_by: null,
            approved_at: at(2),
            created_at: at(2),
          },
        ],
      },
      { table: 'blog_likes', label: 'like', rows: [{ post_id: published, user_id: carol.id, created_at: at(3) }] },
    ];
  },
};

const projects: DemoFeature = {
  name: 'projects',
  tables: ({ alice, bob, carol }, at) => {
    const project = demoId('projects:project:demo');
    const ticket = (key: string): string => demoId(`projects:ticket:${key}`);
    return [
      { table: 'projects', label: 'project', rows: [{ id: project, name: 'Demo project', owner_id: alice.id, created_at: at(0) }] },
      {
        table: 'project_members',
        label: 'member',
        rows: [
          { project_id: project, user_id: alice.id, role: 'owner', joined_at: at(0) },
          { project_id: project, user_id: bob.id, role: 'member', joined_at: at(1) },
          { project_id: project, user_id: carol.id, role: 'member', joined_at: at(1) },
        ],
      },
      {
        table: 'tickets',
        label: 'ticket',
        rows: [
          ['ci', 'Set up continuous integration', 'in_progress', alice.id, bob.id],
          ['docs', 'Write the getting-started guide', 'open', alice.id, carol.id],
          ['login', 'Fix the login redirect', 'done', bob.id, bob.id],
        ].map(([key, title, status, reporter, assignee], i) => ({
          id: ticket(key!),
          project_id: project,
          title: title!,
          description: `${title}.`,
          status: status!,
          reporter_id: reporter!,
          assignee_id: assignee!,
          created_at: at(2 + i),
          updated_at: at(2 + i),
        })),
      },
      {
        table: 'ticket_comments',
        label: 'comment',
        rows: [
          {
            id: demoId('projects:comment:1'),
            ticket_id: ticket('ci'),
            author_id: alice.id,
            author_username: alice.username,
            content: '@bob can you take this one?',
            created_at: at(5),
          },
        ],
      },
    ];
  },
};

const conversations: DemoFeature = {
  name: 'conversations',
  tables: ({ alice, bob }, at) => {
    const conversation = demoId('conversations:kitchen-sink');
    const reply = 'Tomorrow at 9 works for me.';
    return [
      {
        table: 'conversations',
        label: 'conversation',
        rows: [
          {
            id: conversation,
            client_id: alice.id,
            worker_id: bob.id,
            job_ref: 'demo-job-1',
            title: 'Fix the kitchen sink',
            last_seq: 3,
            last_message_text: reply,
            last_message_at: at(2),
            last_message_sender_id: bob.id,
            // Bob's reply is unread by Alice; Bob read Alice's message before answering.
            client_unread_count: 1,
            worker_unread_count: 0,
            created_at: at(0),
            updated_at: at(2),
          },
        ],
      },
      {
        table: 'conversation_messages',
        label: 'message',
        rows: [
          [1, null, SYSTEM_SENDER_NAME, 'Conversation started for job demo-job-1', 'SYSTEM', 1, 'read'],
          [2, alice.id, alice.name, 'Hi Bob, when can you start?', 'TEXT', 1, 'read'],
          [3, bob.id, bob.name, reply, 'TEXT', 0, 'sent'],
        ].map(([seq, senderId, senderName, text, type, isRead, status]) => ({
          id: demoId(`conversations:kitchen-sink:${seq}`),
          conversation_id: conversation,
          seq: seq as number,
          sender_id: senderId as string | null,
          sender_name: senderName as string,
          message_text: text as string,
          message_type: type as string,
          is_read: isRead as number,
          delivery_status: status as string,
          created_at: at((seq as number) - 1),
          read_at: isRead ? at((seq as number) - 1) : null,
        })),
      },
    ];
  },
};

export const DEMO_FEATURES: readonly DemoFeature[] = [blog, projects, conversations];

/** Seeds one feature; returns the summary line. */
export async function seedFeature(store: Store, feature: DemoFeature, users: DemoUsers, at: (step: number) => string): Promise<string> {
  const tables = feature.tables(users, at);
  const [marker] = tables;
  // The rows were type-checked against their tables where the feature declares them;
  // this loop writes tables of different types, so it sees the database untyped.
  const db = store.db as unknown as Kysely<Record<string, { id: string }>>;
  const seeded = await db.selectFrom(marker.table).select('id').where('id', '=', marker.rows[0]!.id).executeTakeFirst();
  if (seeded) return `${feature.name}: exists`;
  await db.transaction().execute(async (trx) => {
    for (const { table, rows } of tables) await trx.insertInto(table).values(rows as never).execute();
  });
  return `${feature.name}: created (${tables.map(({ label, rows }) => `${rows.length} ${label}${rows.length === 1 ? '' : 's'}`).join(', ')})`;
}
