/**
 * JSON schemas of the blog REST routes (request validation and the OpenAPI document),
 * built from the same limits as the WebSocket schemas.
 */
import {
  BLOG_POST_STATUSES,
  MAX_BLOG_COMMENT_LENGTH,
  MAX_BLOG_COMMENT_LIMIT,
  MAX_BLOG_CONTENT_LENGTH,
  MAX_BLOG_POST_LIMIT,
  MAX_BLOG_TITLE_LENGTH,
} from '@switchboard/protocol';

const title = { type: 'string', minLength: 1, maxLength: MAX_BLOG_TITLE_LENGTH, pattern: '\\S' } as const;
const content = { type: 'string', maxLength: MAX_BLOG_CONTENT_LENGTH } as const;
const status = { type: 'string', enum: [...BLOG_POST_STATUSES] } as const;

export const createPostBody = {
  type: 'object',
  required: ['title', 'content'],
  properties: {
    title,
    content,
    status: { ...status, default: 'draft' },
    moderate_comments: { type: 'boolean', default: false },
  },
} as const;

export const updatePostBody = {
  type: 'object',
  properties: { title, content, status, moderate_comments: { type: 'boolean' } },
} as const;

export const listPostsQuery = {
  type: 'object',
  properties: {
    status,
    limit: { type: 'integer', minimum: 1, maximum: MAX_BLOG_POST_LIMIT },
    offset: { type: 'integer', minimum: 0, maximum: 1_000_000 },
  },
} as const;

export const listCommentsQuery = {
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: MAX_BLOG_COMMENT_LIMIT } },
} as const;

export const commentBody = {
  type: 'object',
  required: ['content'],
  properties: { content: { type: 'string', minLength: 1, maxLength: MAX_BLOG_COMMENT_LENGTH, pattern: '\\S' } },
} as const;

export const statsSchema = {
  type: 'object',
  properties: { view_count: { type: 'integer' }, comment_count: { type: 'integer' }, like_count: { type: 'integer' } },
} as const;

export const postSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    title: { type: 'string' },
    content: { type: 'string' },
    status,
    author: { type: 'string' },
    author_id: { type: 'string' },
    moderate_comments: { type: 'boolean' },
    published_at: { type: ['string', 'null'], format: 'date-time' },
    view_count: { type: 'integer' },
    like_count: { type: 'integer' },
    comment_count: { type: 'integer' },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const commentSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    post_id: { type: 'string', format: 'uuid' },
    content: { type: 'string' },
    author: { type: 'string' },
    author_id: { type: 'string' },
    approved: { type: 'boolean' },
    created_at: { type: 'string', format: 'date-time' },
  },
} as const;

export const likeSchema = {
  type: 'object',
  properties: { liked: { type: 'boolean' }, changed: { type: 'boolean' }, stats: statsSchema },
} as const;
