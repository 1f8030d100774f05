/**
 * Seed 002 blog endpoints. The post socket counts a view once per connection
 * (`track_view`), subscribes to `post_updated` and asks for the stats on every
 * (re)connect; the comments socket lists comments on every (re)connect and sends
 * throttled `typing_start` / `typing_stop`.
 */
import type { BlogCommentsEndpoint, BlogPostEndpoint, Connection, ServerMessage } from '@switchboard/client';
import { blogCommentsPath, blogPostPath, type BlogComment } from '@switchboard/protocol';
import { BlogCommentsStore, BlogPostStore } from '../stores/blog-stores.js';
import { TypingSender } from '../stores/typing-sender.js';
import { ConnectionBinding } from './connection-binding.js';

export function blogPostKey(postId: string): string {
  return `blog-post:${postId}`;
}

export function blogCommentsKey(postId: string): string {
  return `blog-comments:${postId}`;
}

export class BlogPostBinding extends ConnectionBinding<BlogPostStore, BlogPostEndpoint> {
  constructor(readonly postId: string) {
    super(blogPostPath(postId), new BlogPostStore());
  }

  protected override received(message: ServerMessage): void {
    this.store.receive(message);
  }

  protected override opened(connection: Connection<BlogPostEndpoint>): void {
    // Each connection is a page view (counted once per connection by the server).
    connection.send('track_view');
    connection.send('subscribe_updates');
    connection.send('get_stats');
  }
}

export class BlogCommentsBinding extends ConnectionBinding<BlogCommentsStore, BlogCommentsEndpoint> {
  private typingSender: TypingSender | undefined;

  constructor(readonly postId: string) {
    super(blogCommentsPath(postId), new BlogCommentsStore());
  }

  /** Adds a comment over the socket; resolves when the server stored it (`comment_added` or `comment_held`). */
  addComment(content: string): Promise<BlogComment> {
    const connection = this.connection;
    if (!connection) return Promise.reject(new Error('Not connected'));
    this.typingSender?.stop();
    return connection.request('add_comment', { content }).then((reply) => {
      // Typed, but still a message off the wire.
      if (!reply.data) throw new Error('Unexpected reply');
      return reply.data;
    });
  }

  keystroke(): void {
    this.typingSender?.keystroke();
  }

  stopTyping(): void {
    this.typingSender?.stop();
  }

  protected override received(message: ServerMessage): void {
    this.store.receive(message);
  }

  protected override attached(connection: Connection<BlogCommentsEndpoint>): void {
    this.typingSender = new TypingSender((isTyping) => {
      if (connection.state === 'open') connection.send(isTyping ? 'typing_start' : 'typing_stop');
    });
  }

  protected override detached(): void {
    this.typingSender?.dispose();
    this.typingSender = undefined;
  }

  protected override opened(connection: Connection<BlogCommentsEndpoint>): void {
    connection.send('get_comments', { limit: 100 });
  }
}
