/**
 * Tables of the blog feature (seed 002). Timestamps are ISO-8601 UTC text and booleans
 * 0/1 integers, like every table, so SQLite and PostgreSQL share the queries.
 */
export interface BlogPostsTable {
  id: string;
  /** Token subject of the author (not necessarily a stored user). */
  author_id: string;
  author_name: string;
  title: string;
  content: string;
  /** 'draft' | 'published' */
  status: string;
  /** 1: comments by anyone but staff and the author are held for approval. */
  moderate_comments: number;
  /** First publication; stays set when a post goes back to draft. */
  published_at: string | null;
  view_count: number;
  like_count: number;
  /** Approved comments. */
  comment_count: number;
  created_at: string;
  updated_at: string;
}

export interface BlogCommentsTable {
  id: string;
  post_id: string;
  author_id: string;
  author_name: string;
  content: string;
  /** 0 while held for staff approval. */
  approved: number;
  approved_by: string | null;
  approved_at: string | null;
  created_at: string;
}

/** One row per user who likes a post: the primary key makes liking idempotent. */
interface BlogLikesTable {
  post_id: string;
  user_id: string;
  created_at: string;
}

export interface BlogTables {
  blog_posts: BlogPostsTable;
  blog_comments: BlogCommentsTable;
  blog_likes: BlogLikesTable;
}
