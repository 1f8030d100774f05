/**
 * Workspace REST routes (PROTOCOL.md §8): create and list workspaces, add members,
 * create and list channels. A workspace the caller is not a member of answers 404,
 * exactly like one that does not exist.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorCode, type ChannelType } from '@switchboard/protocol';
import type { ServerContext } from '../../core/context.js';
import { routeCallers } from '../../http/authenticate.js';
import { HttpError } from '../../http/errors.js';
import { errorResponses, type IdParams } from '../../http/schemas.js';
import type { Workspace } from '../../store/workspaces.js';
import { memberWorkspace as findMemberWorkspace } from '../shared/workspaces.js';
import {
  channelBody,
  channelSchema,
  idParams,
  membershipSchema,
  userIdBody,
  workspaceBody,
  workspaceSchema,
} from './http-schemas.js';
import { ChannelsService } from './service.js';
import { wireChannel, wireWorkspace } from './wire.js';

export function workspaceRoutes(fastify: FastifyInstance, context: ServerContext): void {
  const { store } = context;
  const { authenticate, caller } = routeCallers(context);

  const memberWorkspace = (request: FastifyRequest<{ Params: IdParams }>): Promise<Workspace> =>
    findMemberWorkspace(store, request.params.id, caller(request).id);

  fastify.post<{ Body: { name: string } }>(
    '/api/workspaces',
    {
      onRequest: authenticate,
      schema: {
        tags: ['workspaces'],
        summary: 'Create a workspace; the caller becomes its first member (owner)',
        security: [{ bearer: [] }],
        body: workspaceBody,
        response: { 201: workspaceSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const workspace = await store.workspaces.create(request.body.name.trim(), caller(request).id);
      return reply.code(201).send(wireWorkspace(workspace));
    },
  );

  fastify.get(
    '/api/workspaces',
    {
      onRequest: authenticate,
      schema: {
        tags: ['workspaces'],
        summary: 'The workspaces the caller is a member of, oldest first',
        security: [{ bearer: [] }],
        response: { 200: { type: 'array', items: workspaceSchema }, ...errorResponses(401) },
      },
    },
    async (request) => (await store.workspaces.listForUser(caller(request).id)).map(wireWorkspace),
  );

  fastify.post<{ Params: IdParams; Body: { user_id: string } }>(
    '/api/workspaces/:id/members',
    {
      onRequest: authenticate,
      schema: {
        tags: ['workspaces'],
        summary: 'Add a registered user to a workspace (members only); 200 when already a member',
        security: [{ bearer: [] }],
        params: idParams,
        body: userIdBody,
        response: { 200: membershipSchema('workspace_id'), 201: membershipSchema('workspace_id'), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const workspace = await memberWorkspace(request);
      const userId = request.body.user_id;
      if (!(await store.users.findById(userId))) throw new HttpError(ErrorCode.NotFound, 'User not found');
      const added = await store.workspaces.addMember(workspace.id, userId);
      // Every channel of the workspace may now have a larger presence audience.
      if (added) ChannelsService.for(context).audience.forgetWorkspace(workspace.id);
      return reply.code(added ? 201 : 200).send({ workspace_id: workspace.id, user_id: userId, added });
    },
  );

  fastify.post<{ Params: IdParams; Body: { name: string; type: ChannelType } }>(
    '/api/workspaces/:id/channels',
    {
      onRequest: authenticate,
      schema: {
        tags: ['channels'],
        summary: 'Create a channel (public by default); the creator is the first member of a private channel',
        security: [{ bearer: [] }],
        params: idParams,
        body: channelBody,
        response: { 201: channelSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const workspace = await memberWorkspace(request);
      const channel = await store.workspaces.createChannel(workspace.id, request.body.name, request.body.type, caller(request).id);
      return reply.code(201).send(wireChannel(channel));
    },
  );

  fastify.get<{ Params: IdParams }>(
    '/api/workspaces/:id/channels',
    {
      onRequest: authenticate,
      schema: {
        tags: ['channels'],
        summary: "The workspace's channels the caller may use: every public channel, and the private ones they belong to",
        security: [{ bearer: [] }],
        params: idParams,
        response: { 200: { type: 'array', items: channelSchema }, ...errorResponses(401, 404) },
      },
    },
    async (request) => {
      const workspace = await memberWorkspace(request);
      return (await store.workspaces.listChannels(workspace.id, caller(request).id)).map(wireChannel);
    },
  );
}
