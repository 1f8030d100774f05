/**
 * `POST /api/publish {group | user_id, message}` (PROTOCOL.md §8): a server-side
 * push, like Django's `channel_layer.group_send`, for backends that keep their own
 * business logic. `message` goes out as it is (plus `timestamp` when it has none),
 * encoded once, to a channel-layer group or to every connection of a user, on every
 * instance. API key or staff token. Nothing is persisted: use `POST /api/notifications`
 * for anything that must survive a disconnect.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '@switchboard/protocol';
import type { ServerContext } from '../core/context.js';
import { encodeMessage } from '../core/frame.js';
import { requireApiKeyOrStaff } from './authenticate.js';
import { HttpError } from './errors.js';
import { errorResponses } from './schemas.js';
import { isInternalGroup } from '../core/control.js';

interface PublishBody {
  group?: string;
  /** Integers are accepted for user ids of Django backends (simplejwt `user_id`). */
  user_id?: string | number;
  message: { type: string; [key: string]: unknown };
}

export function publishRoutes(fastify: FastifyInstance, context: ServerContext): void {
  fastify.post<{ Body: PublishBody }>(
    '/api/publish',
    {
      onRequest: async (request) => {
        await requireApiKeyOrStaff(context, request);
      },
      schema: {
        tags: ['publish'],
        summary: "Push a raw message to a channel-layer group or to all of a user's connections; API key or staff",
        security: [{ apiKey: [] }, { bearer: [] }],
        body: {
          type: 'object',
          required: ['message'],
          properties: {
            group: { type: 'string', minLength: 1, maxLength: 200 },
            user_id: { anyOf: [{ type: 'string', minLength: 1, maxLength: 255 }, { type: 'integer', minimum: 0 }] },
            message: {
              type: 'object',
              required: ['type'],
              properties: { type: { type: 'string', minLength: 1, maxLength: 100 } },
              additionalProperties: true,
            },
          },
        },
        response: {
          200: { type: 'object', properties: { published: { type: 'boolean' } } },
          ...errorResponses(400, 401, 403, 413),
        },
      },
    },
    async (request) => {
      const { group, user_id: userId, message } = request.body;
      if ((group === undefined) === (userId === undefined)) {
        throw new HttpError(ErrorCode.InvalidPayload, 'Exactly one of group or user_id is required');
      }
      if (group !== undefined && isInternalGroup(group)) {
        throw new HttpError(ErrorCode.Forbidden, 'Internal groups cannot be published to');
      }
      const frame = encodeMessage(message);
      // The same cap as a client frame: nothing larger than a client could send goes out.
      if (frame.length > context.options.maxMessageBytes) {
        throw new HttpError(ErrorCode.TooLarge, `message must be at most ${context.options.maxMessageBytes} bytes`);
      }
      if (group !== undefined) await context.layer.groupSend(group, frame);
      else await context.layer.sendToUser(String(userId), frame);
      return { published: true };
    },
  );
}
