import type { BlogTables } from './schema-blog.js';
import type { ConversationsTables } from './schema-conversations.js';
import type { OperationsTables } from './schema-operations.js';
import type { ProjectsTables } from './schema-projects.js';

/**
 * Table types for Kysely. Timestamps are ISO-8601 UTC text and booleans are stored as
 * 0/1 integers, so SQLite and PostgreSQL share one schema and one set of queries.
 * Each app adds its tables here when it lands.
 */
export interface UsersTable {
  id: string;
  username: string;
  name: string;
  password_hash: string;
  is_staff: number;
  created_at: string;
}

interface RevokedTokensTable {
  jti: string;
  user_id: string;
  /** When the revoked token would have expired anyway; rows past it can be deleted. */
  expires_at: string;
}

export interface WorkspacesTable {
  id: string;
  name: string;
  created_by: string;
  created_at: string;
}

interface WorkspaceMembersTable {
  workspace_id: string;
  user_id: string;
  /** 'owner' | 'member' */
  role: string;
  joined_at: string;
}

export interface ChannelsTable {
  id: string;
  workspace_id: string;
  name: string;
  /** 'public' | 'private' */
  type: string;
  created_by: string;
  created_at: string;
  /** Highest message seq committed in this channel; the next message gets last_seq + 1. */
  last_seq: number;
}

interface ChannelMembersTable {
  channel_id: string;
  user_id: string;
  joined_at: string;
}

export interface MessagesTable {
  id: string;
  channel_id: string;
  /** 1, 2, 3… per channel, assigned in the inserting transaction. */
  seq: number;
  user_id: string;
  user_name: string;
  content: string;
  /** JSON array. */
  attachments: string;
  /** Client-chosen idempotency key, unique per user. */
  client_id: string | null;
  created_at: string;
}

export interface ReadMarkersTable {
  channel_id: string;
  user_id: string;
  message_id: string;
  seq: number;
  updated_at: string;
}

export interface DocumentsTable {
  id: string;
  workspace_id: string;
  title: string;
  content: string;
  version: number;
  /** Yjs document state (Y.encodeStateAsUpdate), base64; null until first Yjs use. */
  yjs_state: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface DocumentVersionsTable {
  document_id: string;
  version: number;
  content: string;
  user_id: string;
  created_at: string;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  notification_type: string;
  title: string;
  message: string;
  icon: string | null;
  color: string | null;
  /** JSON object. */
  data: string;
  created_at: string;
  read_at: string | null;
}

/** Every table; feature tables are declared next to their feature's migrations. */
export interface Database extends BlogTables, ProjectsTables, ConversationsTables, OperationsTables {
  users: UsersTable;
  revoked_tokens: RevokedTokensTable;
  workspaces: WorkspacesTable;
  workspace_members: WorkspaceMembersTable;
  channels: ChannelsTable;
  channel_members: ChannelMembersTable;
  messages: MessagesTable;
  read_markers: ReadMarkersTable;
  documents: DocumentsTable;
  document_versions: DocumentVersionsTable;
  notifications: NotificationsTable;
}
