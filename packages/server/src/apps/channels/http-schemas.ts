/**
 * JSON schemas of the workspace/channel/message REST routes (request validation and
 * the OpenAPI document), built from the same limits as the WebSocket schemas.
 */
import {
  MAX_ATTACHMENT_TEXT_LENGTH,
  MAX_ATTACHMENT_URL_LENGTH,
  MAX_CHANNEL_HISTORY_LIMIT,
  MAX_MESSAGE_ATTACHMENTS,
  MAX_MESSAGE_CLIENT_ID_LENGTH,
  MAX_MESSAGE_CONTENT_LENGTH,
  MAX_MESSAGE_SEQ,
  MAX_WORKSPACE_NAME_LENGTH,
} from '@switchboard/protocol';
import { UUID_JSON_PATTERN } from '../../http/schemas.js';

/** Path parameters are not pattern-checked here: an id that is not a UUID is a 404 like any unknown id. */
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string' } },
} as const;

export const userIdBody = {
  type: 'object',
  required: ['user_id'],
  properties: { user_id: { type: 'string', pattern: UUID_JSON_PATTERN } },
} as const;

export const workspaceSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    created_by: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const workspaceBody = {
  type: 'object',
  required: ['name'],
  properties: {
    // At least one non-space character.
    name: { type: 'string', minLength: 1, maxLength: MAX_WORKSPACE_NAME_LENGTH, pattern: '\\S' },
  },
} as const;

export const channelSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    workspace_id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    type: { type: 'string', enum: ['public', 'private'] },
    created_by: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
    last_seq: { type: 'integer' },
  },
} as const;

export const channelBody = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$' },
    type: { type: 'string', enum: ['public', 'private'], default: 'public' },
  },
} as const;

const attachmentSchema = {
  type: 'object',
  required: ['url'],
  properties: {
    url: {
      type: 'string',
      minLength: 1,
      maxLength: MAX_ATTACHMENT_URL_LENGTH,
      // http(s) or server-relative; never javascript: or data: (case-insensitive scheme).
      pattern: '^([Hh][Tt][Tt][Pp][Ss]?://|/)\\S*$',
    },
    name: { type: 'string', maxLength: MAX_ATTACHMENT_TEXT_LENGTH },
    type: { type: 'string', maxLength: MAX_ATTACHMENT_TEXT_LENGTH },
    size: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  },
} as const;

export const messageSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    seq: { type: 'integer' },
    channel_id: { type: 'string', format: 'uuid' },
    user_id: { type: 'string' },
    user_name: { type: 'string' },
    content: { type: 'string' },
    attachments: { type: 'array', items: attachmentSchema },
    client_id: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const messageBody = {
  type: 'object',
  properties: {
    content: { type: ['string', 'null'], maxLength: MAX_MESSAGE_CONTENT_LENGTH },
    attachments: { type: ['array', 'null'], maxItems: MAX_MESSAGE_ATTACHMENTS, items: attachmentSchema },
    client_id: { type: ['string', 'null'], minLength: 1, maxLength: MAX_MESSAGE_CLIENT_ID_LENGTH },
  },
} as const;

const seqSchema = { type: 'integer', minimum: 0, maximum: MAX_MESSAGE_SEQ } as const;

export const historyQuery = {
  type: 'object',
  properties: {
    before_seq: seqSchema,
    after_seq: seqSchema,
    limit: { type: 'integer', minimum: 1, maximum: MAX_CHANNEL_HISTORY_LIMIT },
  },
} as const;

export const historySchema = {
  type: 'object',
  properties: { messages: { type: 'array', items: messageSchema }, has_more: { type: 'boolean' } },
} as const;

export const readBody = {
  type: 'object',
  required: ['message_id'],
  properties: { message_id: { type: 'string', pattern: UUID_JSON_PATTERN } },
} as const;

export const readMarkerSchema = {
  type: 'object',
  properties: {
    user_id: { type: 'string' },
    message_id: { type: 'string', format: 'uuid' },
    seq: { type: 'integer' },
    moved: { type: 'boolean' },
  },
} as const;

export const membershipSchema = (resource: 'workspace_id' | 'channel_id') =>
  ({
    type: 'object',
    properties: {
      [resource]: { type: 'string', format: 'uuid' },
      user_id: { type: 'string' },
      added: { type: 'boolean' },
    },
  }) as const;
