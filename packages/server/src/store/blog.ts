/**
 * Blog posts, comments and likes (seed 002, PROTOCOL.md §4, §8). Counters live on the
 * post row and change in the same transaction as the row that causes them, so
 * `view_count`, `like_count` and `comment_count` never drift from the data. Rows come
 * back in the wire shape, so routes and consumers send them as they are.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import {
  DEFAULT_BLOG_COMMENT_LIMIT,
  DEFAULT_BLOG_POST_LIMIT,
  MAX_BLOG_COMMENT_LIMIT,
  MAX_BLOG_POST_LIMIT,
  type BlogComment,
  type BlogPost,
  type BlogPostStats,
  type BlogPostStatus,
} from '@switchboard/protocol';
import { MonotonicClock, clampLimit } from './paging.js';
import type { Database } from './schema.js';
import type { BlogCommentsTable, BlogPostsTable } from './schema-blog.js';
import { UUID_PATTERN } from './workspaces.js';

/** Who is looking: drafts are visible to their author and to staff only. */
export interface BlogViewer {
  id: string;
  isStaff: boolean;
}

interface NewPost {
  authorId: string;
  authorName: string;
  title: string;
  content: string;
  status: BlogPostStatus;
  moderateComments: boolean;
}

export interface PostChanges {
  title?: string;
  content?: string;
  status?: BlogPostStatus;
  moderateComments?: boolean;
}

interface PostUpdate {
  post: BlogPost;
  /** False when every given field already had its value (nothing was written). */
  changed: boolean;
  /** True only for the post's first publication (drives the `blog_post_published` notification). */
  firstPublished: boolean;
}

interface NewComment {
  postId: string;
  authorId: string;
  authorName: string;
  content: string;
  approved: boolean;
}

export interface CommentResult {
  comment: BlogComment;
  stats: BlogPostStats;
}

export interface LikeResult {
  /** False when the user already liked the post (like) or did not (unlike): nothing changed. */
  changed: boolean;
  stats: BlogPostStats;
}

interface ApprovalResult extends CommentResult {
  /** False when the comment was already approved. */
  changed: boolean;
}

interface PostListOptions {
  status?: BlogPostStatus;
  /** 1–100, default 50; out-of-range values are clamped. */
  limit?: number;
  offset?: number;
}

function toBlogPost(row: BlogPostsTable): BlogPost {
  return {
    id: row.id,
    title: row.title,
    content: row.content,
    status: row.status as BlogPostStatus,
    author: row.author_name,
    author_id: row.author_id,
    moderate_comments: Boolean(row.moderate_comments),
    published_at: row.published_at,
    view_count: Number(row.view_count),
    like_count: Number(row.like_count),
    comment_count: Number(row.comment_count),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function toBlogComment(row: BlogCommentsTable): BlogComment {
  return {
    id: row.id,
    post_id: row.post_id,
    content: row.content,
    author: row.author_name,
    author_id: row.author_id,
    approved: Boolean(row.approved),
    created_at: row.created_at,
  };
}

const STATS_COLUMNS = ['view_count', 'like_count', 'comment_count'] as const;

function toStats(row: Pick<BlogPostsTable, (typeof STATS_COLUMNS)[number]>): BlogPostStats {
  return { view_count: Number(row.view_count), comment_count: Number(row.comment_count), like_count: Number(row.like_count) };
}

type Executor = Kysely<Database> | Transaction<Database>;

export class BlogRepository {
  /** Rows of one burst keep their order. */
  private readonly clock = new MonotonicClock();

  constructor(private readonly db: Kysely<Database>) {}

  // ---- posts ----

  async createPost(input: NewPost): Promise<BlogPost> {
    const now = this.clock.now();
    const row: BlogPostsTable = {
      id: randomUUID(),
      author_id: input.authorId,
      author_name: input.authorName,
      title: input.title,
      content: input.content,
      status: input.status,
      moderate_comments: input.moderateComments ? 1 : 0,
      published_at: input.status === 'published' ? now : null,
      view_count: 0,
      like_count: 0,
      comment_count: 0,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('blog_posts').values(row).execute();
    return toBlogPost(row);
  }

  async findPost(id: string): Promise<BlogPost | undefined> {
    const row = await this.postRow(this.db, id);
    return row && toBlogPost(row);
  }

  private async postRow(db: Executor, id: string): Promise<BlogPostsTable | undefined> {
    if (!UUID_PATTERN.test(id)) return undefined;
    return db.selectFrom('blog_posts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Posts the viewer may see (published ones, their own drafts; staff: all), newest first. */
  async listPosts(viewer: BlogViewer, options: PostListOptions = {}): Promise<BlogPost[]> {
    let query = this.db.selectFrom('blog_posts').selectAll();
    if (!viewer.isStaff) query = query.where((eb) => eb.or([eb('status', '=', 'published'), eb('author_id', '=', viewer.id)]));
    if (options.status) query = query.where('status', '=', options.status);
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(clampLimit(options.limit, DEFAULT_BLOG_POST_LIMIT, MAX_BLOG_POST_LIMIT))
      .offset(Math.max(0, Math.floor(options.offset ?? 0)))
      .execute();
    return rows.map(toBlogPost);
  }

  /**
   * Applies the fields that differ. The first switch to `published` stamps
   * `published_at` with a conditional update, so of two concurrent publishes exactly
   * one reports `firstPublished`. Undefined when the post does not exist.
   */
  async updatePost(id: string, changes: PostChanges): Promise<PostUpdate | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const before = await this.postRow(trx, id);
      if (!before) return undefined;
      const set: Partial<BlogPostsTable> = {};
      if (changes.title !== undefined && changes.title !== before.title) set.title = changes.title;
      if (changes.content !== undefined && changes.content !== before.content) set.content = changes.content;
      if (changes.status !== undefined && changes.status !== before.status) set.status = changes.status;
      const moderate = changes.moderateComments === undefined ? undefined : changes.moderateComments ? 1 : 0;
      if (moderate !== undefined && moderate !== Number(before.moderate_comments)) set.moderate_comments = moderate;
      if (Object.keys(set).length === 0) return { post: toBlogPost(before), changed: false, firstPublished: false };
      const now = this.clock.now();
      await trx.updateTable('blog_posts').set({ ...set, updated_at: now }).where('id', '=', id).execute();
      let firstPublished = false;
      if (set.status === 'published') {
        const stamped = await trx
          .updateTable('blog_posts')
          .set({ published_at: now })
          .where('id', '=', id)
          .where('published_at', 'is', null)
          .executeTakeFirst();
        firstPublished = Number(stamped.numUpdatedRows) > 0;
      }
      const after = await this.postRow(trx, id);
      return { post: toBlogPost(after!), changed: true, firstPublished };
    });
  }

  async stats(postId: string): Promise<BlogPostStats | undefined> {
    if (!UUID_PATTERN.test(postId)) return undefined;
    const row = await this.db.selectFrom('blog_posts').select(STATS_COLUMNS).where('id', '=', postId).executeTakeFirst();
    return row && toStats(row);
  }

  /** Counts one view; the new counters, or undefined when the post does not exist. */
  async addView(postId: string): Promise<BlogPostStats | undefined> {
    if (!UUID_PATTERN.test(postId)) return undefined;
    const row = await this.db
      .updateTable('blog_posts')
      .set((eb) => ({ view_count: eb('view_count', '+', 1) }))
      .where('id', '=', postId)
      .returning(STATS_COLUMNS)
      .executeTakeFirst();
    return row && toStats(row);
  }

  // ---- likes ----

  /** One like per user and post: a repeated like changes nothing. The post must exist. */
  async like(postId: string, userId: string): Promise<LikeResult> {
    return this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('blog_likes')
        .values({ post_id: postId, user_id: userId, created_at: this.clock.now() })
        .onConflict((oc) => oc.columns(['post_id', 'user_id']).doNothing())
        .executeTakeFirst();
      const changed = Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
      return { changed, stats: await this.bumpCounter(trx, postId, 'like_count', changed ? 1 : 0) };
    });
  }

  async unlike(postId: string, userId: string): Promise<LikeResult> {
    return this.db.transaction().execute(async (trx) => {
      const deleted = await trx
        .deleteFrom('blog_likes')
        .where('post_id', '=', postId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      const changed = Number(deleted.numDeletedRows) > 0;
      return { changed, stats: await this.bumpCounter(trx, postId, 'like_count', changed ? -1 : 0) };
    });
  }

  /** Adds `delta` (possibly 0) to a counter of the post and returns all counters. */
  private async bumpCounter(
    trx: Transaction<Database>,
    postId: string,
    column: 'like_count' | 'comment_count',
    delta: number,
  ): Promise<BlogPostStats> {
    if (delta === 0) {
      const row = await trx.selectFrom('blog_posts').select(STATS_COLUMNS).where('id', '=', postId).executeTakeFirstOrThrow();
      return toStats(row);
    }
    const row = await trx
      .updateTable('blog_posts')
      .set((eb) => ({ [column]: eb(column, '+', delta) }))
      .where('id', '=', postId)
      .returning(STATS_COLUMNS)
      .executeTakeFirstOrThrow();
    return toStats(row);
  }

  // ---- comments ----

  /** Stores a comment; an approved one counts towards `comment_count` in the same transaction. */
  async createComment(input: NewComment): Promise<CommentResult> {
    const createdAt = this.clock.now();
    const row: BlogCommentsTable = {
      id: randomUUID(),
      post_id: input.postId,
      author_id: input.authorId,
      author_name: input.authorName,
      content: input.content,
      approved: input.approved ? 1 : 0,
      approved_by: null,
      approved_at: input.approved ? createdAt : null,
      created_at: createdAt,
    };
    return this.db.transaction().execute(async (trx) => {
      await trx.insertInto('blog_comments').values(row).execute();
      const stats = await this.bumpCounter(trx, input.postId, 'comment_count', input.approved ? 1 : 0);
      return { comment: toBlogComment(row), stats };
    });
  }

  /** Approves a held comment (conditional update: concurrent approvals count it once). */
  async approveComment(id: string, approvedBy: string): Promise<ApprovalResult | undefined> {
    if (!UUID_PATTERN.test(id)) return undefined;
    return this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('blog_comments')
        .set({ approved: 1, approved_by: approvedBy, approved_at: this.clock.now() })
        .where('id', '=', id)
        .where('approved', '=', 0)
        .executeTakeFirst();
      const row = await trx.selectFrom('blog_comments').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) return undefined;
      const changed = Number(updated.numUpdatedRows) > 0;
      const stats = await this.bumpCounter(trx, row.post_id, 'comment_count', changed ? 1 : 0);
      return { comment: toBlogComment(row), stats, changed };
    });
  }

  /**
   * The newest `limit` comments the viewer may see, oldest first: approved ones, plus
   * the viewer's own held ones; staff see every held comment (they approve them).
   */
  async listComments(postId: string, viewer: BlogViewer, limit?: number): Promise<BlogComment[]> {
    if (!UUID_PATTERN.test(postId)) return [];
    let query = this.db.selectFrom('blog_comments').selectAll().where('post_id', '=', postId);
    if (!viewer.isStaff) query = query.where((eb) => eb.or([eb('approved', '=', 1), eb('author_id', '=', viewer.id)]));
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(clampLimit(limit, DEFAULT_BLOG_COMMENT_LIMIT, MAX_BLOG_COMMENT_LIMIT))
      .execute();
    return rows.reverse().map(toBlogComment);
  }
}
