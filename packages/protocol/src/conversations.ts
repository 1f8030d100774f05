/**
 * Seed 004 job conversations: `/ws/chat/{conversation_id}/` (PROTOCOL.md §6) and the
 * shapes of the `/api/chat/...` REST routes (§8). A conversation joins one client and
 * one worker around an opaque `job_ref`.
 *
 * The seed's client frame is `{message, type}` where `type` is the *message type*
 * (TEXT, LOCATION, IMAGE, FILE), so those four names are routing types on this
 * endpoint; `typing` and `mark_read` are additions.
 */
import { chatText } from './common.js';
import type { ServerEnvelope } from './common.js';
import { boolean, object, oneOf, optional, type Infer } from './schema.js';

/** Route pattern; a client connects to `conversationPath(id)`. */
export const CONVERSATIONS_PATH = '/ws/chat/:conversation_id/';

export function conversationPath(conversationId: string): string {
  return `/ws/chat/${encodeURIComponent(conversationId)}/`;
}

/** Every message type a conversation can hold. */
export const CONVERSATION_MESSAGE_TYPES = ['TEXT', 'LOCATION', 'IMAGE', 'FILE', 'SYSTEM'] as const;
export type ConversationMessageType = (typeof CONVERSATION_MESSAGE_TYPES)[number];

/** The types a participant may send; `SYSTEM` messages are created by the server only. */
export const CLIENT_MESSAGE_TYPES = ['TEXT', 'LOCATION', 'IMAGE', 'FILE'] as const;
export type ClientMessageType = (typeof CLIENT_MESSAGE_TYPES)[number];

/** Per message: `sent` (stored) → `delivered` (a recipient connection got it) → `read`. */
export const DELIVERY_STATUSES = ['sent', 'delivered', 'read'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Chat text limit (PROTOCOL.md §1). */
export const MAX_CONVERSATION_TEXT_LENGTH = 4000;
export const MAX_CONVERSATION_TITLE_LENGTH = 200;
export const MAX_JOB_REF_LENGTH = 100;
/** History and inbox pages: at most 100 items, default 50. */
export const MAX_CONVERSATION_PAGE_LIMIT = 100;
export const DEFAULT_CONVERSATION_PAGE_LIMIT = 50;

/** IMAGE and FILE messages carry a link: absolute http(s) or server-relative, never `javascript:`/`data:`. */
export const CONVERSATION_LINK_PATTERN = /^(https?:\/\/|\/)\S*$/i;

/**
 * Why a message text cannot be sent, or undefined when it can. Shared by the server
 * (WebSocket and REST) and clients that want to check before sending.
 */
export function conversationTextProblem(type: ClientMessageType, text: string): string | undefined {
  if (text.trim() === '') return 'message: must not be empty';
  if (text.length > MAX_CONVERSATION_TEXT_LENGTH) return `message: must be at most ${MAX_CONVERSATION_TEXT_LENGTH} characters`;
  if ((type === 'IMAGE' || type === 'FILE') && !CONVERSATION_LINK_PATTERN.test(text)) {
    return `message: a ${type} message must be an http(s) or /relative URL`;
  }
  return undefined;
}

/** `{message}` is the seed's field; `message_text` (the REST and model name) is accepted too. */
const chatPayload = object({ message: optional(chatText), message_text: optional(chatText) });

export const conversationsClientSchemas = {
  /** `{"type":"TEXT","message":"…"}` and likewise LOCATION, IMAGE, FILE. */
  chat: chatPayload,
  /** Addition: `{"type":"message","message":"…","message_type":"IMAGE"}`; absent `message_type` is TEXT. */
  message: object({
    message: optional(chatText),
    message_text: optional(chatText),
    message_type: optional(oneOf(CONVERSATION_MESSAGE_TYPES)),
  }),
  /** Absent `is_typing` means true. */
  typing: object({ is_typing: optional(boolean()) }),
  mark_read: object({}),
};

export type ConversationChatIn = Infer<typeof conversationsClientSchemas.chat>;
export type ConversationMessageIn = Infer<typeof conversationsClientSchemas.message>;
export type ConversationTypingIn = Infer<typeof conversationsClientSchemas.typing>;

/** A message as broadcast on the socket: exactly the seed's fields. */
export interface ConversationMessage {
  id: string;
  conversation_id: string;
  /** Null for SYSTEM messages. */
  sender_id: string | null;
  sender_name: string;
  message_text: string;
  message_type: ConversationMessageType;
  /** When it was stored, ISO 8601 UTC. */
  timestamp: string;
  /** Whether the recipient has read it. */
  is_read: boolean;
}

/** A message as listed by REST: the broadcast fields plus its order and delivery state. */
export interface ConversationMessageRecord extends ConversationMessage {
  /** 1, 2, 3… per conversation. */
  seq: number;
  delivery_status: DeliveryStatus;
}

export interface ConversationMessageOut extends ServerEnvelope {
  type: 'message';
  message: ConversationMessage;
}

export interface ConversationTypingOut extends ServerEnvelope {
  type: 'typing';
  user_id: string;
  is_typing: boolean;
}

export interface ConversationReadOut extends ServerEnvelope {
  type: 'read';
  /** The reader. */
  user_id: string;
  /** The newest message of the other side (the receiver of this event) that is now read. */
  last_read_id: string | null;
}

export type ConversationsServerMessage = ConversationMessageOut | ConversationTypingOut | ConversationReadOut;

// ---- REST shapes (PROTOCOL.md §8) ----

export interface ConversationParticipant {
  id: string;
  name: string;
}

/** A conversation as seen by the caller (inbox entry, creation and detail responses). */
export interface ConversationInfo {
  id: string;
  job_ref: string;
  title: string;
  client_id: string;
  client_name: string;
  worker_id: string;
  worker_name: string;
  /** The caller's side; null for a staff or API-key caller who is not a participant. */
  role: 'client' | 'worker' | null;
  other_participant: ConversationParticipant | null;
  /** Messages of the other side the caller has not read (0 for non-participants). */
  unread_count: number;
  last_message_text: string | null;
  last_message_at: string | null;
  last_message_sender_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConversationInbox {
  conversations: ConversationInfo[];
  has_more: boolean;
}

export interface ConversationDetail {
  conversation: ConversationInfo;
  /** Oldest first. */
  messages: ConversationMessageRecord[];
  has_more: boolean;
}

export interface ConversationReadResult {
  conversation_id: string;
  user_id: string;
  last_read_id: string | null;
  /** Messages that turned read with this call. */
  marked: number;
  unread_count: number;
}
