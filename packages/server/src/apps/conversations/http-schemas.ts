/**
 * JSON schemas of the `/api/chat/...` routes (request validation and the OpenAPI
 * document), built from the same limits as the WebSocket schemas. Response schemas
 * list every field: Fastify's serializer drops fields a schema does not name.
 */
import {
  CONVERSATION_MESSAGE_TYPES,
  DELIVERY_STATUSES,
  MAX_CONVERSATION_PAGE_LIMIT,
  MAX_CONVERSATION_TEXT_LENGTH,
  MAX_CONVERSATION_TITLE_LENGTH,
  MAX_JOB_REF_LENGTH,
} from '@switchboard/protocol';
import { UUID_JSON_PATTERN } from '../../http/schemas.js';

/** Seq is a 32-bit integer column. */
const MAX_SEQ = 2_147_483_647;

const nullableString = { type: ['string', 'null'] } as const;

const participantSchema = {
  type: ['object', 'null'],
  properties: { id: { type: 'string' }, name: { type: 'string' } },
} as const;

export const conversationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    job_ref: { type: 'string' },
    title: { type: 'string' },
    client_id: { type: 'string' },
    client_name: { type: 'string' },
    worker_id: { type: 'string' },
    worker_name: { type: 'string' },
    role: nullableString,
    other_participant: participantSchema,
    unread_count: { type: 'integer', minimum: 0 },
    last_message_text: nullableString,
    last_message_at: nullableString,
    last_message_sender_id: nullableString,
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const messageRecordSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    conversation_id: { type: 'string', format: 'uuid' },
    sender_id: nullableString,
    sender_name: { type: 'string' },
    message_text: { type: 'string' },
    message_type: { type: 'string', enum: CONVERSATION_MESSAGE_TYPES },
    timestamp: { type: 'string', format: 'date-time' },
    is_read: { type: 'boolean' },
    seq: { type: 'integer' },
    delivery_status: { type: 'string', enum: DELIVERY_STATUSES },
  },
} as const;

export const inboxSchema = {
  type: 'object',
  properties: { conversations: { type: 'array', items: conversationSchema }, has_more: { type: 'boolean' } },
} as const;

export const detailSchema = {
  type: 'object',
  properties: {
    conversation: conversationSchema,
    messages: { type: 'array', items: messageRecordSchema },
    has_more: { type: 'boolean' },
  },
} as const;

export const readResultSchema = {
  type: 'object',
  properties: {
    conversation_id: { type: 'string', format: 'uuid' },
    user_id: { type: 'string' },
    last_read_id: nullableString,
    marked: { type: 'integer', minimum: 0 },
    unread_count: { type: 'integer', minimum: 0 },
  },
} as const;

const userId = { type: 'string', pattern: UUID_JSON_PATTERN } as const;
/** At least one non-space character. */
const nonBlank = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, pattern: '\\S' }) as const;

export const createBody = {
  type: 'object',
  required: ['client_id', 'worker_id', 'title', 'job_ref'],
  properties: {
    client_id: userId,
    worker_id: userId,
    title: nonBlank(MAX_CONVERSATION_TITLE_LENGTH),
    // Integers too: job ids of Django backends.
    job_ref: { anyOf: [{ type: 'integer' }, { type: 'string', minLength: 1, maxLength: MAX_JOB_REF_LENGTH, pattern: '\\S' }] },
    system_message: nonBlank(MAX_CONVERSATION_TEXT_LENGTH),
  },
} as const;

export const messageBody = {
  type: 'object',
  properties: {
    message_text: { type: 'string', maxLength: MAX_CONVERSATION_TEXT_LENGTH },
    /** The WebSocket field name, accepted as an alias. */
    message: { type: 'string', maxLength: MAX_CONVERSATION_TEXT_LENGTH },
    message_type: { type: 'string', enum: CONVERSATION_MESSAGE_TYPES, default: 'TEXT' },
  },
} as const;

export const inboxQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: MAX_CONVERSATION_PAGE_LIMIT },
    offset: { type: 'integer', minimum: 0, maximum: MAX_SEQ },
  },
} as const;

export const historyQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: MAX_CONVERSATION_PAGE_LIMIT },
    before_seq: { type: 'integer', minimum: 0, maximum: MAX_SEQ },
  },
} as const;
