/**
 * Seed 002 blog: `/ws/blog/posts/<uuid>/` and `/ws/blog/comments/<uuid>/`
 * (PROTOCOL.md §4) and the post and comment shapes the blog REST routes return (§8).
 */
import type { ServerEnvelope } from './common.js';
import { number, object, optional, string, type Infer } from './schema.js';

/** Route patterns; a client connects to `blogPostPath(id)` / `blogCommentsPath(id)`. */
export const BLOG_POST_PATH = '/ws/blog/posts/:post_id/';
export const BLOG_COMMENTS_PATH = '/ws/blog/comments/:post_id/';

export function blogPostPath(postId: string): string {
  return `/ws/blog/posts/${encodeURIComponent(postId)}/`;
}

export function blogCommentsPath(postId: string): string {
  return `/ws/blog/comments/${encodeURIComponent(postId)}/`;
}

/** Comment text: the chat text limit (PROTOCOL.md §1). */
export const MAX_BLOG_COMMENT_LENGTH = 4000;
export const MAX_BLOG_TITLE_LENGTH = 200;
/** Post bodies; a REST body is also capped by `maxMessageBytes` (64 KiB by default). */
export const MAX_BLOG_CONTENT_LENGTH = 50_000;
/** `get_comments` / comment listings: at most 100, default 50 (the newest, oldest first). */
export const MAX_BLOG_COMMENT_LIMIT = 100;
export const DEFAULT_BLOG_COMMENT_LIMIT = 50;
/** Post listings: at most 100, default 50, newest first. */
export const MAX_BLOG_POST_LIMIT = 100;
export const DEFAULT_BLOG_POST_LIMIT = 50;
/** A typer who sent no `typing_stop` is dropped this long after the last `typing_start`. */
export const BLOG_TYPING_TIMEOUT_MS = 5000;
/** At most this many names in `typing_users`. */
export const MAX_BLOG_TYPING_USERS = 100;

export const BLOG_POST_STATUSES = ['draft', 'published'] as const;
export type BlogPostStatus = (typeof BLOG_POST_STATUSES)[number];

export const blogPostClientSchemas = {
  track_view: object({}),
  get_stats: object({}),
  subscribe_updates: object({}),
  /** Addition: the seed has no way to stop `post_updated` short of disconnecting. */
  unsubscribe_updates: object({}),
};

export const blogCommentsClientSchemas = {
  typing_start: object({}),
  typing_stop: object({}),
  get_comments: object({ limit: optional(number({ integer: true, min: 1, max: MAX_BLOG_COMMENT_LIMIT })) }),
  /** Whitespace-only content is refused by the server (`invalid_payload`). */
  add_comment: object({ content: string({ min: 1, max: MAX_BLOG_COMMENT_LENGTH }) }),
};

export type GetBlogComments = Infer<typeof blogCommentsClientSchemas.get_comments>;
export type AddBlogComment = Infer<typeof blogCommentsClientSchemas.add_comment>;

/** A post as pushed in `post_updated` and returned by REST. */
export interface BlogPost {
  id: string;
  title: string;
  content: string;
  status: BlogPostStatus;
  /** Display name of the author. */
  author: string;
  author_id: string;
  /** Comments by users other than staff and the author are held for approval. */
  moderate_comments: boolean;
  /** ISO 8601 UTC of the first publication; null while never published. */
  published_at: string | null;
  view_count: number;
  like_count: number;
  /** Approved comments only. */
  comment_count: number;
  created_at: string;
  updated_at: string;
}

export interface BlogPostStats {
  view_count: number;
  comment_count: number;
  like_count: number;
}

/** A comment as pushed in `comment_added` / `comment_approved`, listed and returned by REST. */
export interface BlogComment {
  id: string;
  post_id: string;
  content: string;
  /** Display name of the commenter. */
  author: string;
  author_id: string;
  approved: boolean;
  created_at: string;
}

export interface PostStatsMessage extends ServerEnvelope {
  type: 'post_stats';
  data: BlogPostStats;
}

export interface PostUpdatedMessage extends ServerEnvelope {
  type: 'post_updated';
  data: BlogPost;
}

/** Reply to `subscribe_updates` / `unsubscribe_updates` (an addition). */
export interface UpdatesSubscriptionMessage extends ServerEnvelope {
  type: 'updates_subscribed' | 'updates_unsubscribed';
  data: { post_id: string };
}

/** Pushed to the seed-002 endpoints every `heartbeatIntervalMs`. */
export interface HeartbeatMessage extends ServerEnvelope {
  type: 'heartbeat';
}

export interface UserTypingMessage extends ServerEnvelope {
  type: 'user_typing';
  data: { user: string; user_id: string; is_typing: boolean; typing_users: string[] };
}

export interface CommentsMessage extends ServerEnvelope {
  type: 'comments';
  data: { comments: BlogComment[] };
}

export interface CommentAddedMessage extends ServerEnvelope {
  type: 'comment_added';
  data: BlogComment;
}

/** To the author of a held comment only (an addition): stored, waiting for staff approval. */
export interface CommentHeldMessage extends ServerEnvelope {
  type: 'comment_held';
  data: BlogComment;
}

export interface CommentApprovedMessage extends ServerEnvelope {
  type: 'comment_approved';
  data: BlogComment;
}

export type BlogPostServerMessage = PostStatsMessage | PostUpdatedMessage | UpdatesSubscriptionMessage | HeartbeatMessage;
export type BlogCommentsServerMessage =
  | UserTypingMessage
  | CommentsMessage
  | CommentAddedMessage
  | CommentHeldMessage
  | CommentApprovedMessage
  | HeartbeatMessage;
