/**
 * Tables of the conversations feature (seed 004 job chat). Timestamps are ISO-8601
 * UTC text and booleans 0/1 integers, like every other table.
 */

export interface ConversationsTable {
  id: string;
  client_id: string;
  worker_id: string;
  /** Opaque reference to the job in the product's own backend. */
  job_ref: string;
  title: string;
  /** Highest message seq; the next message gets last_seq + 1 (bumped in the sending transaction). */
  last_seq: number;
  last_message_text: string | null;
  last_message_at: string | null;
  /** Null while the last message is a SYSTEM message. */
  last_message_sender_id: string | null;
  /** Messages of the worker the client has not read, and the reverse. */
  client_unread_count: number;
  worker_unread_count: number;
  created_at: string;
  updated_at: string;
}

export interface ConversationMessagesTable {
  id: string;
  conversation_id: string;
  /** 1, 2, 3… per conversation. */
  seq: number;
  /** Null for SYSTEM messages. */
  sender_id: string | null;
  sender_name: string;
  message_text: string;
  /** 'TEXT' | 'LOCATION' | 'IMAGE' | 'FILE' | 'SYSTEM' */
  message_type: string;
  /** 1 once the recipient has read it. */
  is_read: number;
  /** 'sent' | 'delivered' | 'read' */
  delivery_status: string;
  created_at: string;
  read_at: string | null;
}

export interface ConversationsTables {
  conversations: ConversationsTable;
  conversation_messages: ConversationMessagesTable;
}
