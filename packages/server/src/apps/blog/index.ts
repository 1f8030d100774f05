/**
 * Blog (seed 002, PROTOCOL.md §4 and §8): `/ws/blog/posts/<uuid>/`,
 * `/ws/blog/comments/<uuid>/`, the blog REST routes, and the notifications that
 * publications and comments cause (through the event bus).
 */
import { BLOG_COMMENTS_PATH, BLOG_POST_PATH } from '@switchboard/protocol';
import type { App } from '../../core/app.js';
import type { ServerContext } from '../../core/context.js';
import { BlogCommentsConsumer } from './comments-consumer.js';
import { blogRoutes } from './http.js';
import { subscribeBlogNotifications } from './notifications.js';
import { BlogPostConsumer } from './post-consumer.js';
import { BlogService } from './service.js';

export { BlogService } from './service.js';

export function blogApp(): App {
  let context: ServerContext | undefined;
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'blog',
    routes: [
      { path: BLOG_POST_PATH, consumer: BlogPostConsumer },
      { path: BLOG_COMMENTS_PATH, consumer: BlogCommentsConsumer },
    ],
    http(fastify, serverContext) {
      context = serverContext;
      blogRoutes(fastify, serverContext);
      // Before the server listens, so no event of a first request is missed.
      unsubscribe = subscribeBlogNotifications(serverContext);
    },
    start(serverContext) {
      BlogService.for(serverContext).start();
    },
    stop() {
      unsubscribe?.();
      if (context) BlogService.for(context).stop();
    },
  };
}
