/**
 * Projects and tickets (seed 003, PROTOCOL.md §5 and §8): `/ws/projects/{id}/tickets/`,
 * `/ws/projects/{id}/presence/` and the project, ticket and comment REST routes.
 * Notifications (assignment, status change, mention) go through NotificationService.
 */
import { PROJECT_PRESENCE_PATH, PROJECT_TICKETS_PATH } from '@switchboard/protocol';
import type { App } from '../../core/app.js';
import { announceDepartures } from '../shared/departures.js';
import { routeAccess } from './http-access.js';
import { projectRoutes } from './http-projects.js';
import { ticketRoutes } from './http-tickets.js';
import { ProjectPresenceConsumer, projectPresenceDepartures } from './presence-consumer.js';
import { ProjectsService } from './service.js';
import { ProjectTicketsConsumer } from './tickets-consumer.js';

export { ProjectsService } from './service.js';

export function projectsApp(): App {
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'projects',
    routes: [
      { path: PROJECT_TICKETS_PATH, consumer: ProjectTicketsConsumer },
      { path: PROJECT_PRESENCE_PATH, consumer: ProjectPresenceConsumer },
    ],
    http(fastify, context) {
      const service = ProjectsService.for(context);
      const access = routeAccess(context, service);
      projectRoutes(fastify, context, service, access);
      ticketRoutes(fastify, service, access);
    },
    start(context) {
      unsubscribe?.();
      unsubscribe = announceDepartures(context, projectPresenceDepartures);
    },
    stop() {
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}
