/**
 * Notifications (PROTOCOL.md §2, §8): `/ws/notifications/`, the notification REST
 * routes and `POST /api/publish`. Other apps notify users through NotificationService.
 */
import { NOTIFICATIONS_PATH } from '@switchboard/protocol';
import type { App } from '../../core/app.js';
import { publishRoutes } from '../../http/publish.js';
import { NotificationsConsumer } from './consumer.js';
import { notificationRoutes } from './http.js';

export { NotificationService } from './service.js';

export function notificationsApp(): App {
  return {
    name: 'notifications',
    routes: [{ path: NOTIFICATIONS_PATH, consumer: NotificationsConsumer }],
    http(fastify, context) {
      notificationRoutes(fastify, context);
      publishRoutes(fastify, context);
    },
  };
}
