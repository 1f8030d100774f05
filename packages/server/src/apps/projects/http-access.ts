/**
 * Authentication and access for the project REST routes. A project or ticket the
 * caller may not see answers 404, exactly like one that does not exist.
 */
import type { FastifyRequest } from 'fastify';
import { ErrorCode } from '@switchboard/protocol';
import type { ServerContext } from '../../core/context.js';
import { routeCallers, type RouteCallers } from '../../http/authenticate.js';
import { HttpError } from '../../http/errors.js';
import type { IdParams } from '../../http/schemas.js';
import type { Project, Ticket } from '../../store/projects.js';
import type { ProjectsService } from './service.js';

export interface RouteAccess extends RouteCallers {
  /** The project of `:id` when the caller is a member, else 404. */
  memberProject(request: FastifyRequest<{ Params: IdParams }>): Promise<Project>;
  /** The ticket of `:id` when the caller is a member of its project, else 404. */
  memberTicket(request: FastifyRequest<{ Params: IdParams }>): Promise<Ticket>;
}

export function routeAccess(context: ServerContext, service: ProjectsService): RouteAccess {
  const { authenticate, caller } = routeCallers(context);
  return {
    authenticate,
    caller,
    async memberProject(request) {
      const project = await service.projects.memberProject(request.params.id, caller(request).id);
      if (!project) throw new HttpError(ErrorCode.NotFound, 'Project not found');
      return project;
    },
    async memberTicket(request) {
      const ticket = await service.projects.findTicket(request.params.id);
      if (!ticket || !(await service.projects.isMember(ticket.projectId, caller(request).id))) {
        throw new HttpError(ErrorCode.NotFound, 'Ticket not found');
      }
      return ticket;
    },
  };
}
