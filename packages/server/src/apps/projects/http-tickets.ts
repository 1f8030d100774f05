/**
 * Ticket REST routes (PROTOCOL.md §8): read, update and delete a ticket; add and
 * list its comments. Members of the ticket's project only (404 for anyone else).
 */
import type { FastifyInstance } from 'fastify';
import { DEFAULT_PROJECT_LIST_LIMIT, ErrorCode, type TicketStatus } from '@switchboard/protocol';
import { HttpError } from '../../http/errors.js';
import { errorResponses, idParams, type IdParams } from '../../http/schemas.js';
import type { TicketChanges } from '../../store/projects.js';
import type { RouteAccess } from './http-access.js';
import {
  commentBody,
  commentListQuery,
  commentSchema,
  createdCommentSchema,
  ticketPatchBody,
  ticketSchema,
} from './http-schemas.js';
import type { ProjectsService } from './service.js';
import { wireComment, wireTicket } from './wire.js';

interface TicketPatch {
  title?: string;
  description?: string;
  status?: TicketStatus;
  assignee_id?: string | null;
}

interface PageQuery {
  limit?: number;
  offset?: number;
}

function changesOf(body: TicketPatch): TicketChanges {
  const changes: TicketChanges = {};
  if (body.title !== undefined) changes.title = body.title.trim();
  if (body.description !== undefined) changes.description = body.description;
  if (body.status !== undefined) changes.status = body.status;
  // null is meaningful here: it unassigns.
  if (body.assignee_id !== undefined) changes.assigneeId = body.assignee_id;
  return changes;
}

export function ticketRoutes(fastify: FastifyInstance, service: ProjectsService, access: RouteAccess): void {
  const { projects } = service;
  const { authenticate, caller, memberTicket } = access;
  const ticketNotFound = (): HttpError => new HttpError(ErrorCode.NotFound, 'Ticket not found');

  fastify.get<{ Params: IdParams }>(
    '/api/tickets/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['tickets'],
        summary: 'A ticket (members of its project only)',
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: ticketSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => wireTicket(await memberTicket(request)),
  );

  fastify.patch<{ Params: IdParams; Body: TicketPatch }>(
    '/api/tickets/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['tickets'],
        summary:
          'Change title, description, status or assignee (null unassigns). Broadcasts ticket_update "updated" when something changed; ' +
          'notifies a new assignee (ticket_assigned) and, on a status change, the reporter and assignee (status_changed), never the caller',
        security: [{ bearer: [] }],
        params: idParams,
        body: ticketPatchBody,
        response: { 200: ticketSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const ticket = await memberTicket(request);
      const changes = changesOf(request.body);
      if (Object.keys(changes).length === 0) {
        throw new HttpError(ErrorCode.InvalidPayload, 'body: give at least one of title, description, status, assignee_id');
      }
      if (changes.assigneeId != null && !(await projects.isMember(ticket.projectId, changes.assigneeId))) {
        throw new HttpError(ErrorCode.InvalidPayload, 'assignee_id: must be a member of the project');
      }
      const update = await service.updateTicket(ticket.id, changes, await service.actor(caller(request)));
      if (!update) throw ticketNotFound();
      return wireTicket(update.after);
    },
  );

  fastify.delete<{ Params: IdParams }>(
    '/api/tickets/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['tickets'],
        summary: 'Delete a ticket and its comments (its reporter or the project owner). Broadcasts ticket_update "deleted"',
        security: [{ bearer: [] }],
        params: idParams,
        response: { 204: { type: 'null' }, ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const ticket = await memberTicket(request);
      const user = caller(request);
      const project = await projects.memberProject(ticket.projectId, user.id);
      if (!project) throw ticketNotFound();
      if (user.id !== ticket.reporterId && user.id !== project.ownerId) {
        throw new HttpError(ErrorCode.Forbidden, "Only the ticket's reporter or the project owner may delete it");
      }
      if (!(await service.deleteTicket(ticket.id, await service.actor(user)))) throw ticketNotFound();
      return reply.code(204).send();
    },
  );

  fastify.post<{ Params: IdParams; Body: { content: string } }>(
    '/api/tickets/:id/comments',
    {
      onRequest: authenticate,
      schema: {
        tags: ['tickets'],
        summary:
          'Comment on a ticket. Broadcasts comment_added; each @username that names a project member other than the author gets one "mention" notification',
        security: [{ bearer: [] }],
        params: idParams,
        body: commentBody,
        response: { 201: createdCommentSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const ticket = await memberTicket(request);
      const result = await service.addComment(ticket, request.body.content, await service.actor(caller(request)));
      if (!result) throw ticketNotFound();
      return reply.code(201).send({ ...wireComment(result.comment), mentioned_user_ids: result.mentionedUserIds });
    },
  );

  fastify.get<{ Params: IdParams; Querystring: PageQuery }>(
    '/api/tickets/:id/comments',
    {
      onRequest: authenticate,
      schema: {
        tags: ['tickets'],
        summary: "A ticket's comments, oldest first (members of its project only)",
        security: [{ bearer: [] }],
        params: idParams,
        querystring: commentListQuery,
        response: { 200: { type: 'array', items: commentSchema }, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const ticket = await memberTicket(request);
      const comments = await projects.listComments(ticket.id, {
        limit: request.query.limit ?? DEFAULT_PROJECT_LIST_LIMIT,
        offset: request.query.offset ?? 0,
      });
      return comments.map(wireComment);
    },
  );
}
