/**
 * Seed 002 blog: a post's live stats and content (`/ws/blog/posts/<uuid>/`) and its
 * comments with typing users (`/ws/blog/comments/<uuid>/`).
 */
import type { BlogComment, BlogPost, BlogPostStats } from '@switchboard/protocol';
import { ExternalStore } from './store.js';

export interface BlogPostSnapshot {
  readonly stats?: BlogPostStats;
  /** The post as last pushed by `post_updated` (after `subscribe_updates`). */
  readonly post?: BlogPost;
}

/** Nothing received yet (also what `useBlogPost` shows with no post). */
export const INITIAL_BLOG_POST: BlogPostSnapshot = Object.freeze({});

export class BlogPostStore extends ExternalStore<BlogPostSnapshot> {
  constructor() {
    super(INITIAL_BLOG_POST);
  }

  receive(message: { type: string; data?: unknown }): void {
    if (!message.data || typeof message.data !== 'object') return;
    if (message.type === 'post_stats') {
      const { view_count, comment_count, like_count } = message.data as BlogPostStats;
      this.patch({ stats: { view_count, comment_count, like_count } });
    } else if (message.type === 'post_updated') {
      const post = message.data as BlogPost;
      const stats = { view_count: post.view_count, comment_count: post.comment_count, like_count: post.like_count };
      this.patch({ post, stats });
    }
  }
}

export interface BlogCommentsSnapshot {
  /** Oldest first. */
  readonly comments: readonly BlogComment[];
  /** Names of the users typing a comment (the server's list, the caller included). */
  readonly typingUsers: readonly string[];
  readonly loaded: boolean;
  /** The caller's last comment held for moderation. */
  readonly held?: BlogComment;
}

export const INITIAL_COMMENTS: BlogCommentsSnapshot = Object.freeze({ comments: [], typingUsers: [], loaded: false });

export class BlogCommentsStore extends ExternalStore<BlogCommentsSnapshot> {
  constructor() {
    super(INITIAL_COMMENTS);
  }

  receive(message: { type: string; data?: unknown }): void {
    const data = message.data as Record<string, unknown> | undefined;
    if (!data) return;
    switch (message.type) {
      case 'comments':
        if (Array.isArray(data.comments)) this.listed(data.comments as BlogComment[]);
        return;
      case 'comment_added':
      case 'comment_approved':
        this.added({ ...(data as unknown as BlogComment), approved: true });
        return;
      case 'comment_held':
        this.added(data as unknown as BlogComment);
        this.patch({ held: data as unknown as BlogComment });
        return;
      case 'user_typing':
        if (Array.isArray(data.typing_users)) this.patch({ typingUsers: data.typing_users.map(String) });
        return;
    }
  }

  listed(comments: readonly BlogComment[]): void {
    const byId = new Map(this.current.comments.map((comment) => [comment.id, comment]));
    for (const comment of comments) byId.set(comment.id, comment);
    this.setState({ ...this.current, comments: sortByTime([...byId.values()]), loaded: true });
  }

  added(comment: BlogComment): void {
    if (typeof comment.id !== 'string') return;
    const others = this.current.comments.filter((known) => known.id !== comment.id);
    this.patch({ comments: sortByTime([...others, comment]) });
  }
}

function sortByTime(comments: BlogComment[]): BlogComment[] {
  return comments.sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0));
}
