/**
 * The seed's blog "signal handlers", as subscribers of the event bus:
 * - a first publication → a `blog_post_published` notification to every connection
 *   subscribed to that type (a type broadcast: not stored per user);
 * - a visible comment (approved at once, or approved later by staff) → a stored
 *   `comment_added` notification for the post's author, unless they wrote it.
 */
import type { BlogComment, BlogPost } from '@switchboard/protocol';
import type { ServerContext } from '../../core/context.js';
import { EventBus } from '../../events/index.js';
import { NotificationService } from '../notifications/service.js';

/** Longest comment excerpt carried in a notification message. */
const EXCERPT_LENGTH = 140;

function excerpt(text: string): string {
  return text.length <= EXCERPT_LENGTH ? text : `${text.slice(0, EXCERPT_LENGTH - 1)}…`;
}

/** Subscribes the handlers; returns the function that removes them. */
export function subscribeBlogNotifications(context: ServerContext): () => void {
  const bus = EventBus.for(context);
  const notifications = NotificationService.for(context);

  const notifyAuthor = async (comment: BlogComment, post: BlogPost): Promise<void> => {
    if (comment.author_id === post.author_id) return;
    await notifications.notify(post.author_id, {
      notification_type: 'comment_added',
      title: `New comment on: ${post.title}`,
      message: `${comment.author} commented on your post: ${excerpt(comment.content)}`,
      icon: 'comment',
      color: 'green',
      data: { post_id: post.id, comment_id: comment.id, title: post.title, author: comment.author },
    });
  };

  const unsubscribers = [
    bus.subscribe('post.published', async ({ post }) => {
      // Title, message, icon and color as in the seed's example notification.
      await notifications.broadcastToType('blog_post_published', {
        title: `New Post: ${post.title}`,
        message: `${post.author} published a new post: ${post.title}`,
        icon: 'post',
        color: 'blue',
        data: { post_id: post.id, title: post.title, author: post.author },
      });
    }),
    bus.subscribe('comment.created', ({ comment, post }) => (comment.approved ? notifyAuthor(comment, post) : undefined)),
    bus.subscribe('comment.approved', ({ comment, post }) => notifyAuthor(comment, post)),
  ];
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
