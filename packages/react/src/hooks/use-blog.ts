/** Seed 002 blog hooks: live post stats and comments with typing users. */
import { useCallback } from 'react';
import type { BlogComment } from '@switchboard/protocol';
import { BlogCommentsBinding, BlogPostBinding, blogCommentsKey, blogPostKey } from '../bindings/blog.js';
import { INITIAL_BLOG_POST, INITIAL_COMMENTS, type BlogCommentsSnapshot, type BlogPostSnapshot } from '../stores/blog-stores.js';
import { INITIAL_CONNECTION, type ConnectionSnapshot } from '../stores/connection-store.js';
import { useBinding, useStoreSnapshot } from './use-binding.js';

export interface UseBlogPostResult extends BlogPostSnapshot {
  readonly isConnected: boolean;
  readonly connection: ConnectionSnapshot;
}

/** Live stats (views, likes, comments) and `post_updated` content; each mount counts as one view. */
export function useBlogPost(postId: string | null): UseBlogPostResult {
  const binding = useBinding(postId ? blogPostKey(postId) : null, () => new BlogPostBinding(postId!));
  const snapshot = useStoreSnapshot(binding?.store, INITIAL_BLOG_POST);
  const connection = useStoreSnapshot(binding?.connectionStore, INITIAL_CONNECTION);
  return { ...snapshot, isConnected: connection.isConnected, connection };
}

export interface UseBlogCommentsResult extends BlogCommentsSnapshot {
  readonly isConnected: boolean;
  readonly connection: ConnectionSnapshot;
  addComment(content: string): Promise<BlogComment>;
  notifyTyping(): void;
  stopTyping(): void;
}

export function useBlogComments(postId: string | null): UseBlogCommentsResult {
  const binding = useBinding(postId ? blogCommentsKey(postId) : null, () => new BlogCommentsBinding(postId!));
  const snapshot = useStoreSnapshot(binding?.store, INITIAL_COMMENTS);
  const connection = useStoreSnapshot(binding?.connectionStore, INITIAL_CONNECTION);
  const addComment = useCallback(
    (content: string) => binding?.addComment(content) ?? Promise.reject(new Error('Not connected')),
    [binding],
  );
  const notifyTyping = useCallback(() => binding?.keystroke(), [binding]);
  const stopTyping = useCallback(() => binding?.stopTyping(), [binding]);
  return { ...snapshot, isConnected: connection.isConnected, connection, addComment, notifyTyping, stopTyping };
}
