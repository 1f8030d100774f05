/**
 * Channel-layer groups and presence topics of the blog (post ids are validated UUIDs
 * before they get here, so they cannot spell another group's name).
 */
export const blogGroups = {
  /** Every connection to `/ws/blog/posts/<id>/`: `post_stats`. */
  post: (postId: string): string => `blog:post:${postId}`,
  /** Post connections of readers that sent `subscribe_updates`: `post_updated` while the post is published. */
  updates: (postId: string): string => `blog:post-updates:${postId}`,
  /** The same for the author and staff, who also see `post_updated` of a draft. */
  editorUpdates: (postId: string): string => `blog:post-updates:${postId}:editors`,
  /** Every connection to `/ws/blog/comments/<id>/`: comments and typing. */
  comments: (postId: string): string => `blog:comments:${postId}`,
};

const TYPING_TOPIC_PREFIX = 'blog:typing:';

/** Presence topic of the users typing a comment on a post (cluster-wide). */
export const typingTopic = (postId: string): string => `${TYPING_TOPIC_PREFIX}${postId}`;

/** The post of a typing presence topic, or undefined for other topics. */
export function postOfTypingTopic(topic: string): string | undefined {
  return topic.startsWith(TYPING_TOPIC_PREFIX) ? topic.slice(TYPING_TOPIC_PREFIX.length) : undefined;
}
