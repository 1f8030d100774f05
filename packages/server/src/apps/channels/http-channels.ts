/**
 * Channel REST routes (PROTOCOL.md §8): private channel members, message history,
 * posting (persisted and broadcast exactly like a WebSocket `message`) and read
 * markers. A channel the caller may not use answers 404, exactly like one that does
 * not exist; 403 is for a visible channel where the action is not allowed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorCode, type ChannelMessageIn } from '@switchboard/protocol';
import type { ServerContext } from '../../core/context.js';
import { routeCallers } from '../../http/authenticate.js';
import { HttpError, asHttp } from '../../http/errors.js';
import { errorResponses, type IdParams } from '../../http/schemas.js';
import type { Channel } from '../../store/workspaces.js';
import { namedUser } from '../shared/identity.js';
import {
  historyQuery,
  historySchema,
  idParams,
  membershipSchema,
  messageBody,
  messageSchema,
  readBody,
  readMarkerSchema,
  userIdBody,
} from './http-schemas.js';
import { ChannelsService } from './service.js';

interface HistoryQuerystring {
  before_seq?: number;
  after_seq?: number;
  limit?: number;
}

export function channelRoutes(fastify: FastifyInstance, context: ServerContext): void {
  const { store } = context;
  const service = ChannelsService.for(context);
  const { authenticate, caller } = routeCallers(context);

  const accessibleChannel = async (request: FastifyRequest<{ Params: IdParams }>): Promise<Channel> => {
    const channel = await store.workspaces.accessibleChannel(request.params.id, caller(request).id);
    if (!channel) throw new HttpError(ErrorCode.NotFound, 'Channel not found');
    return channel;
  };

  fastify.post<{ Params: IdParams; Body: { user_id: string } }>(
    '/api/channels/:id/members',
    {
      onRequest: authenticate,
      schema: {
        tags: ['channels'],
        summary: 'Add a workspace member to a private channel (channel members only); 200 when already a member',
        security: [{ bearer: [] }],
        params: idParams,
        body: userIdBody,
        response: { 200: membershipSchema('channel_id'), 201: membershipSchema('channel_id'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const channel = await accessibleChannel(request);
      if (channel.type !== 'private') {
        throw new HttpError(ErrorCode.Forbidden, 'Public channels are open to every workspace member and have no member list');
      }
      const userId = request.body.user_id;
      if (!(await store.workspaces.isMember(channel.workspaceId, userId))) {
        throw new HttpError(ErrorCode.Forbidden, 'Only members of the workspace can join its channels');
      }
      const added = await store.workspaces.addChannelMember(channel.id, userId);
      if (added) service.audience.forgetChannel(channel.id);
      return reply.code(added ? 201 : 200).send({ channel_id: channel.id, user_id: userId, added });
    },
  );

  fastify.get<{ Params: IdParams; Querystring: HistoryQuerystring }>(
    '/api/channels/:id/messages',
    {
      onRequest: authenticate,
      schema: {
        tags: ['channels'],
        summary: 'A page of messages, oldest first: after_seq catches up after it, before_seq pages back; default the newest',
        security: [{ bearer: [] }],
        params: idParams,
        querystring: historyQuery,
        response: { 200: historySchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const channel = await accessibleChannel(request);
      const { before_seq: beforeSeq, after_seq: afterSeq, limit } = request.query;
      return service.history(channel, { beforeSeq, afterSeq, limit });
    },
  );

  fastify.post<{ Params: IdParams; Body: ChannelMessageIn | undefined }>(
    '/api/channels/:id/messages',
    {
      onRequest: authenticate,
      schema: {
        tags: ['channels'],
        summary: 'Post a message: stored, then broadcast to the channel like a WebSocket message; a repeated client_id answers 200 with the stored message',
        security: [{ bearer: [] }],
        params: idParams,
        body: messageBody,
        response: { 200: messageSchema, 201: messageSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const channel = await accessibleChannel(request);
      const author = await namedUser(context, caller(request));
      const result = await asHttp(service.postMessage(channel, author, request.body ?? {}));
      return reply.code(result.created ? 201 : 200).send(result.message);
    },
  );

  fastify.post<{ Params: IdParams; Body: { message_id: string } }>(
    '/api/channels/:id/read',
    {
      onRequest: authenticate,
      schema: {
        tags: ['channels'],
        summary: "Move the caller's read marker forward to a message; broadcast as `read` when it moved",
        security: [{ bearer: [] }],
        params: idParams,
        body: readBody,
        response: { 200: readMarkerSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const channel = await accessibleChannel(request);
      const result = await asHttp(service.markRead(channel, caller(request).id, request.body.message_id));
      return { ...result.marker, moved: result.moved };
    },
  );
}
