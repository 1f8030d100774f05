/**
 * Seed 000 workspace chat: `/ws/channels/<uuid>/` (PROTOCOL.md §2, §7) and the shapes
 * the workspace/channel/message REST routes return (§8).
 */
import { MAX_ARRAY_ITEMS, chatText, roomName } from './common.js';
import type { ServerEnvelope } from './common.js';
import { array, boolean, number, object, optional, string, type Infer } from './schema.js';

/** Route pattern; a client connects to `channelPath(id)`. */
export const CHANNELS_PATH = '/ws/channels/:channel_id/';

export function channelPath(channelId: string): string {
  return `/ws/channels/${encodeURIComponent(channelId)}/`;
}

export const CHANNELS_UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuid = string({ min: 36, max: 36, pattern: CHANNELS_UUID_PATTERN, patternText: 'a UUID' });

/** Chat text limit (PROTOCOL.md §1). */
export const MAX_MESSAGE_CONTENT_LENGTH = 4000;
/** `client_id`: the sender's idempotency key, 1–64 characters, unique per user. */
export const MAX_MESSAGE_CLIENT_ID_LENGTH = 64;
export const MAX_MESSAGE_ATTACHMENTS = MAX_ARRAY_ITEMS;
export const MAX_ATTACHMENT_URL_LENGTH = 2048;
export const MAX_ATTACHMENT_TEXT_LENGTH = 255;
/** Attachment URLs are absolute http(s) or server-relative: never `javascript:` or `data:`. */
export const ATTACHMENT_URL_PATTERN = /^(https?:\/\/|\/)\S*$/i;

/** History page size: at most 100, default 50. */
export const MAX_CHANNEL_HISTORY_LIMIT = 100;
export const DEFAULT_CHANNEL_HISTORY_LIMIT = 50;
/** Highest seq a client may name (seq is a 32-bit integer column). */
export const MAX_MESSAGE_SEQ = 2_147_483_647;

/** The server sends `typing {is_typing:false}` itself this long after the last `true`. */
export const CHANNEL_TYPING_TIMEOUT_MS = 5000;

/** Workspace names: 1–100 characters, not only whitespace. Channel names use `roomName`. */
export const MAX_WORKSPACE_NAME_LENGTH = 100;

export const messageAttachment = object({
  url: string({ min: 1, max: MAX_ATTACHMENT_URL_LENGTH, pattern: ATTACHMENT_URL_PATTERN, patternText: 'an http(s) or /relative URL' }),
  name: optional(string({ max: MAX_ATTACHMENT_TEXT_LENGTH })),
  type: optional(string({ max: MAX_ATTACHMENT_TEXT_LENGTH })),
  size: optional(number({ integer: true, min: 0, max: Number.MAX_SAFE_INTEGER })),
});

const seq = number({ integer: true, min: 0, max: MAX_MESSAGE_SEQ });

export const channelsClientSchemas = {
  /** Content may be empty only when there are attachments (checked by the server). */
  message: object({
    content: optional(chatText),
    attachments: optional(array(messageAttachment, { max: MAX_MESSAGE_ATTACHMENTS })),
    client_id: optional(string({ min: 1, max: MAX_MESSAGE_CLIENT_ID_LENGTH })),
  }),
  /** Absent `is_typing` means false, as in the seed. */
  typing: object({ is_typing: optional(boolean()) }),
  read: object({ message_id: uuid }),
  history: object({
    before_seq: optional(seq),
    after_seq: optional(seq),
    limit: optional(number({ integer: true, min: 1, max: MAX_CHANNEL_HISTORY_LIMIT })),
  }),
};

export type MessageAttachment = Infer<typeof messageAttachment>;
export type ChannelMessageIn = Infer<typeof channelsClientSchemas.message>;
export type ChannelTypingIn = Infer<typeof channelsClientSchemas.typing>;
export type ChannelReadIn = Infer<typeof channelsClientSchemas.read>;
export type ChannelHistoryIn = Infer<typeof channelsClientSchemas.history>;

/** A stored chat message, as broadcast, listed and returned by REST. */
export interface ChannelMessage {
  id: string;
  /** 1, 2, 3… per channel, no gaps: a client that saw seq n and then n+2 missed n+1. */
  seq: number;
  channel_id: string;
  user_id: string;
  user_name: string;
  content: string;
  attachments: MessageAttachment[];
  client_id: string | null;
  /** ISO 8601 UTC. */
  created_at: string;
}

export interface ChannelReadMarker {
  user_id: string;
  message_id: string;
  seq: number;
}

export interface ChannelMessageOut extends ServerEnvelope {
  type: 'message';
  data: ChannelMessage;
}

export interface ChannelTypingOut extends ServerEnvelope {
  type: 'typing';
  data: { user_id: string; user_name: string; is_typing: boolean };
}

export interface ChannelReadOut extends ServerEnvelope {
  type: 'read';
  data: ChannelReadMarker;
}

export interface ChannelHistoryOut extends ServerEnvelope {
  type: 'history';
  data: { messages: ChannelMessage[]; has_more: boolean };
}

export interface ChannelPresenceOut extends ServerEnvelope {
  type: 'presence';
  data: { online_users: string[] };
}

export type ChannelsServerMessage =
  | ChannelMessageOut
  | ChannelTypingOut
  | ChannelReadOut
  | ChannelHistoryOut
  | ChannelPresenceOut;

// ---- REST shapes (PROTOCOL.md §8) ----

export type ChannelType = 'public' | 'private';

export interface WorkspaceInfo {
  id: string;
  name: string;
  created_by: string;
  created_at: string;
}

export interface ChannelInfo {
  id: string;
  workspace_id: string;
  name: string;
  type: ChannelType;
  created_by: string;
  created_at: string;
  /** Seq of the newest message (0 when empty). */
  last_seq: number;
}

export const channelName = roomName;
