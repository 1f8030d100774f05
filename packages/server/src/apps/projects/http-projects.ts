/**
 * Project REST routes (PROTOCOL.md §8): create and list projects, add and list
 * members, create and list a project's tickets.
 */
import type { FastifyInstance } from 'fastify';
import { DEFAULT_PROJECT_LIST_LIMIT, DEFAULT_TICKET_STATUS, ErrorCode, type TicketStatus } from '@switchboard/protocol';
import type { ServerContext } from '../../core/context.js';
import { HttpError } from '../../http/errors.js';
import { errorResponses, idParams, type IdParams } from '../../http/schemas.js';
import type { RouteAccess } from './http-access.js';
import {
  memberBody,
  memberSchema,
  membershipSchema,
  projectBody,
  projectSchema,
  ticketBody,
  ticketListQuery,
  ticketSchema,
} from './http-schemas.js';
import type { ProjectsService } from './service.js';
import { wireMember, wireProject, wireTicket } from './wire.js';

interface TicketBody {
  title: string;
  description?: string;
  status?: TicketStatus;
  assignee_id?: string | null;
}

interface TicketListQuery {
  status?: TicketStatus;
  assignee_id?: string;
  limit?: number;
  offset?: number;
}

export function projectRoutes(fastify: FastifyInstance, context: ServerContext, service: ProjectsService, access: RouteAccess): void {
  const { projects } = service;
  const { authenticate, caller, memberProject } = access;

  fastify.post<{ Body: { name: string } }>(
    '/api/projects',
    {
      onRequest: authenticate,
      schema: {
        tags: ['projects'],
        summary: 'Create a project; the caller becomes its owner and first member',
        security: [{ bearer: [] }],
        body: projectBody,
        response: { 201: projectSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const project = await projects.createProject(request.body.name.trim(), caller(request).id);
      return reply.code(201).send(wireProject(project));
    },
  );

  fastify.get(
    '/api/projects',
    {
      onRequest: authenticate,
      schema: {
        tags: ['projects'],
        summary: 'The projects the caller is a member of, oldest first',
        security: [{ bearer: [] }],
        response: { 200: { type: 'array', items: projectSchema }, ...errorResponses(401) },
      },
    },
    async (request) => (await projects.listForUser(caller(request).id)).map(wireProject),
  );

  fastify.post<{ Params: IdParams; Body: { user_id: string } }>(
    '/api/projects/:id/members',
    {
      onRequest: authenticate,
      schema: {
        tags: ['projects'],
        summary: 'Add a registered user to a project (members only); 200 when already a member',
        security: [{ bearer: [] }],
        params: idParams,
        body: memberBody,
        response: { 200: membershipSchema, 201: membershipSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const project = await memberProject(request);
      const userId = request.body.user_id;
      if (!(await context.store.users.findById(userId))) throw new HttpError(ErrorCode.NotFound, 'User not found');
      const added = await projects.addMember(project.id, userId);
      return reply.code(added ? 201 : 200).send({ project_id: project.id, user_id: userId, added });
    },
  );

  fastify.get<{ Params: IdParams }>(
    '/api/projects/:id/members',
    {
      onRequest: authenticate,
      schema: {
        tags: ['projects'],
        summary: "The project's members in the order they joined (members only)",
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: { type: 'array', items: memberSchema }, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const project = await memberProject(request);
      return (await projects.members(project.id)).map(wireMember);
    },
  );

  fastify.post<{ Params: IdParams; Body: TicketBody }>(
    '/api/projects/:id/tickets',
    {
      onRequest: authenticate,
      schema: {
        tags: ['tickets'],
        summary: 'Create a ticket (members only); the caller is its reporter. Broadcasts ticket_update "created"; notifies the assignee',
        security: [{ bearer: [] }],
        params: idParams,
        body: ticketBody,
        response: { 201: ticketSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const project = await memberProject(request);
      const body = request.body;
      const assigneeId = body.assignee_id ?? null;
      if (assigneeId !== null && !(await projects.isMember(project.id, assigneeId))) {
        throw new HttpError(ErrorCode.InvalidPayload, 'assignee_id: must be a member of the project');
      }
      const actor = await service.actor(caller(request));
      const ticket = await service.createTicket(
        {
          projectId: project.id,
          title: body.title.trim(),
          description: body.description ?? '',
          status: body.status ?? DEFAULT_TICKET_STATUS,
          reporterId: actor.id,
          assigneeId,
        },
        actor,
      );
      return reply.code(201).send(wireTicket(ticket));
    },
  );

  fastify.get<{ Params: IdParams; Querystring: TicketListQuery }>(
    '/api/projects/:id/tickets',
    {
      onRequest: authenticate,
      schema: {
        tags: ['tickets'],
        summary: "The project's tickets, newest first, optionally filtered by status or assignee (members only)",
        security: [{ bearer: [] }],
        params: idParams,
        querystring: ticketListQuery,
        response: { 200: { type: 'array', items: ticketSchema }, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const project = await memberProject(request);
      const query = request.query;
      const tickets = await projects.listTickets(project.id, {
        ...(query.status !== undefined ? { status: query.status } : {}),
        ...(query.assignee_id !== undefined ? { assigneeId: query.assignee_id } : {}),
        limit: query.limit ?? DEFAULT_PROJECT_LIST_LIMIT,
        offset: query.offset ?? 0,
      });
      return tickets.map(wireTicket);
    },
  );
}
