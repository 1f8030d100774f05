/**
 * Conversation REST routes (PROTOCOL.md §8): create (posts the SYSTEM message), the
 * caller's inbox, open (history; marks read), send (persisted and broadcast exactly
 * like a WebSocket message) and mark read. A conversation the caller is not part of
 * answers 404, exactly like one that does not exist.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_CONVERSATION_PAGE_LIMIT, ErrorCode, type ConversationMessageType } from '@switchboard/protocol';
import type { ServerContext } from '../../core/context.js';
import { apiKeyOf, requireApiKeyOrStaff, requireUser, routeCallers } from '../../http/authenticate.js';
import { HttpError, asHttp } from '../../http/errors.js';
import { errorResponses, idParams, type IdParams } from '../../http/schemas.js';
import type { Conversation } from '../../store/conversations.js';
import {
  conversationSchema,
  createBody,
  detailSchema,
  historyQuery,
  inboxQuery,
  inboxSchema,
  messageBody,
  messageRecordSchema,
  readResultSchema,
} from './http-schemas.js';
import { namedUser } from '../shared/identity.js';
import { ConversationsService } from './service.js';

interface CreateBody {
  client_id: string;
  worker_id: string;
  title: string;
  job_ref: string | number;
  system_message?: string;
}

interface MessageBody {
  message_text?: string;
  message?: string;
  message_type: ConversationMessageType;
}

/** The seed's opening message when a job application is accepted. */
function defaultSystemText(title: string): string {
  return `Job '${title}' has been accepted. Chat is now active.`;
}

export function conversationRoutes(fastify: FastifyInstance, context: ServerContext): void {
  const service = ConversationsService.for(context);
  const { users } = context.store;
  const { authenticate, caller } = routeCallers(context);
  /** Creation also takes the server API key (the job backend creating the chat when it accepts an application). */
  const creators = routeCallers(context, (request) =>
    apiKeyOf(request) !== undefined ? requireApiKeyOrStaff(context, request) : requireUser(context, request),
  );

  const participantConversation = async (request: FastifyRequest<{ Params: IdParams }>): Promise<Conversation> => {
    const conversation = await service.accessible(request.params.id, caller(request).id);
    if (!conversation) throw new HttpError(ErrorCode.NotFound, 'Conversation not found');
    return conversation;
  };

  fastify.post<{ Body: CreateBody }>(
    '/api/chat/conversations',
    {
      onRequest: creators.authenticate,
      schema: {
        tags: ['conversations'],
        summary:
          'Create the conversation of a job between a client and a worker, opened by a SYSTEM message (caller: one of them, staff, or API key); 200 with the existing one when the job and pair already have one',
        security: [{ bearer: [] }, { apiKey: [] }],
        body: createBody,
        response: { 200: conversationSchema, 201: conversationSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (body.client_id === body.worker_id) throw new HttpError(ErrorCode.InvalidPayload, 'client_id and worker_id must be different users');
      const who = creators.caller(request);
      const callerId = who === 'api-key' ? undefined : who.id;
      const allowed = who === 'api-key' || who.isStaff || callerId === body.client_id || callerId === body.worker_id;
      if (!allowed) throw new HttpError(ErrorCode.Forbidden, 'Only the client, the worker, staff or the API key can create this conversation');
      for (const id of [body.client_id, body.worker_id]) {
        if (!(await users.findById(id))) throw new HttpError(ErrorCode.NotFound, `User ${id} not found`);
      }
      const title = body.title.trim();
      const result = await service.create(
        {
          clientId: body.client_id,
          workerId: body.worker_id,
          jobRef: String(body.job_ref).trim(),
          title,
          systemText: body.system_message ?? defaultSystemText(title),
        },
        callerId,
      );
      return reply.code(result.created ? 201 : 200).send(result.conversation);
    },
  );

  fastify.get<{ Querystring: { limit?: number; offset?: number } }>(
    '/api/chat/conversations',
    {
      onRequest: authenticate,
      schema: {
        tags: ['conversations'],
        summary: "The caller's conversations, most recent activity first, each with its last message, the caller's unread count and the other participant",
        security: [{ bearer: [] }],
        querystring: inboxQuery,
        response: { 200: inboxSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const { limit = DEFAULT_CONVERSATION_PAGE_LIMIT, offset = 0 } = request.query;
      return service.inbox(caller(request).id, { limit, offset });
    },
  );

  fastify.get<{ Params: IdParams; Querystring: { limit?: number; before_seq?: number } }>(
    '/api/chat/conversations/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['conversations'],
        summary: "Open a conversation: marks the other side's messages read (pushing `read` to them), then returns it with its newest messages, oldest first",
        security: [{ bearer: [] }],
        params: idParams,
        querystring: historyQuery,
        response: { 200: detailSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const conversation = await participantConversation(request);
      const { limit = DEFAULT_CONVERSATION_PAGE_LIMIT, before_seq: beforeSeq } = request.query;
      return asHttp(service.open(conversation, caller(request).id, { limit, beforeSeq }));
    },
  );

  fastify.post<{ Params: IdParams; Body: MessageBody | undefined }>(
    '/api/chat/conversations/:id/messages',
    {
      onRequest: authenticate,
      schema: {
        tags: ['conversations'],
        summary: 'Send a message: stored, then broadcast to both participants like a WebSocket message',
        security: [{ bearer: [] }],
        params: idParams,
        body: messageBody,
        response: { 201: messageRecordSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const conversation = await participantConversation(request);
      const body = request.body;
      const sender = await namedUser(context, caller(request));
      const text = body?.message_text ?? body?.message ?? '';
      const message = await asHttp(service.send(conversation, sender, body?.message_type ?? 'TEXT', text));
      return reply.code(201).send(message);
    },
  );

  fastify.post<{ Params: IdParams }>(
    '/api/chat/conversations/:id/read',
    {
      onRequest: authenticate,
      schema: {
        tags: ['conversations'],
        summary: "Mark the other side's messages read; pushes `read` to them when any turned read",
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: readResultSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const conversation = await participantConversation(request);
      return service.markRead(conversation, caller(request).id);
    },
  );
}
