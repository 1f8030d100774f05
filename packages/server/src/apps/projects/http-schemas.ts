/**
 * JSON schemas of the project, ticket and comment REST routes (request validation
 * and the OpenAPI document), built from the limits in the protocol package.
 */
import {
  MAX_PROJECT_LIST_LIMIT,
  MAX_PROJECT_NAME_LENGTH,
  MAX_TICKET_COMMENT_LENGTH,
  MAX_TICKET_DESCRIPTION_LENGTH,
  MAX_TICKET_TITLE_LENGTH,
  TICKET_STATUSES,
} from '@switchboard/protocol';
import { UUID_JSON_PATTERN } from '../../http/schemas.js';

/** At least one non-space character. */
const NOT_BLANK = '\\S';
/** Member ids are token subjects: UUIDs for users of this server, anything for an external issuer (a project's owner). */
const MAX_USER_ID_LENGTH = 255;

export const projectBody = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', minLength: 1, maxLength: MAX_PROJECT_NAME_LENGTH, pattern: NOT_BLANK } },
} as const;

export const projectSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    owner_id: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const memberBody = {
  type: 'object',
  required: ['user_id'],
  properties: { user_id: { type: 'string', pattern: UUID_JSON_PATTERN } },
} as const;

export const membershipSchema = {
  type: 'object',
  properties: {
    project_id: { type: 'string', format: 'uuid' },
    user_id: { type: 'string' },
    added: { type: 'boolean' },
  },
} as const;

export const memberSchema = {
  type: 'object',
  properties: {
    user_id: { type: 'string' },
    username: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', enum: ['owner', 'member'] },
    joined_at: { type: 'string', format: 'date-time' },
  },
} as const;

const title = { type: 'string', minLength: 1, maxLength: MAX_TICKET_TITLE_LENGTH, pattern: NOT_BLANK } as const;
const description = { type: 'string', maxLength: MAX_TICKET_DESCRIPTION_LENGTH } as const;
const status = { type: 'string', enum: [...TICKET_STATUSES] } as const;
const assigneeId = { type: ['string', 'null'], minLength: 1, maxLength: MAX_USER_ID_LENGTH } as const;

export const ticketBody = {
  type: 'object',
  required: ['title'],
  properties: { title, description, status, assignee_id: assigneeId },
} as const;

/** Every field optional; at least one of them is required (checked by the route). */
export const ticketPatchBody = {
  type: 'object',
  properties: { title, description, status, assignee_id: assigneeId },
} as const;

export const ticketSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    project_id: { type: 'string', format: 'uuid' },
    title: { type: 'string' },
    description: { type: 'string' },
    status,
    reporter_id: { type: 'string' },
    assignee_id: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

const page = {
  limit: { type: 'integer', minimum: 1, maximum: MAX_PROJECT_LIST_LIMIT },
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000 },
} as const;

export const ticketListQuery = {
  type: 'object',
  properties: { status, assignee_id: { type: 'string', minLength: 1, maxLength: MAX_USER_ID_LENGTH }, ...page },
} as const;

export const commentBody = {
  type: 'object',
  required: ['content'],
  properties: { content: { type: 'string', minLength: 1, maxLength: MAX_TICKET_COMMENT_LENGTH, pattern: NOT_BLANK } },
} as const;

export const commentListQuery = { type: 'object', properties: { ...page } } as const;

const commentProperties = {
  id: { type: 'string', format: 'uuid' },
  ticket_id: { type: 'string', format: 'uuid' },
  author_id: { type: 'string' },
  author: { type: 'string' },
  content: { type: 'string' },
  created_at: { type: 'string', format: 'date-time' },
} as const;

export const commentSchema = { type: 'object', properties: commentProperties } as const;

export const createdCommentSchema = {
  type: 'object',
  properties: { ...commentProperties, mentioned_user_ids: { type: 'array', items: { type: 'string' } } },
} as const;
