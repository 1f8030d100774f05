/**
 * Notification REST routes (PROTOCOL.md §8): the caller's inbox (Bearer token) and
 * server-to-server creation (API key or staff token). Read changes made here push
 * `unread_count` to the caller's notification sockets, like `mark_read` on a socket.
 */
import type { FastifyInstance } from 'fastify';
import {
  DEFAULT_NOTIFICATION_LIMIT,
  ErrorCode,
  MAX_NOTIFICATION_LIMIT,
  MAX_NOTIFICATION_TYPE_LENGTH,
  type NotificationInput,
} from '@switchboard/protocol';
import type { ServerContext } from '../../core/context.js';
import { requireApiKeyOrStaff, routeCallers } from '../../http/authenticate.js';
import { HttpError } from '../../http/errors.js';
import { errorResponses, type IdParams } from '../../http/schemas.js';
import { NotificationService } from './service.js';

/** Serialized size cap of a notification's free-form `data` object. */
export const MAX_NOTIFICATION_DATA_BYTES = 16 * 1024;

export const notificationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    notification_type: { type: 'string' },
    title: { type: 'string' },
    message: { type: 'string' },
    icon: { type: ['string', 'null'] },
    color: { type: ['string', 'null'] },
    data: { type: 'object', additionalProperties: true },
    created_at: { type: 'string', format: 'date-time' },
    read_at: { type: ['string', 'null'], format: 'date-time' },
  },
} as const;

const unreadCountSchema = { type: 'integer', minimum: 0 } as const;

interface ListQuery {
  unread_only: string;
  limit: string;
}

/** `?unread_only=` spellings of Django/DRF clients. */
const BOOLEAN_VALUES = ['true', 'false', 'True', 'False', '1', '0'];
const TRUE_VALUES: ReadonlySet<string> = new Set(['true', 'True', '1']);

interface CreateBody extends NotificationInput {
  /** Integers are accepted for user ids of Django backends (simplejwt `user_id`). */
  user_id: string | number;
}

export function notificationRoutes(fastify: FastifyInstance, context: ServerContext): void {
  const service = NotificationService.for(context);
  const { authenticate, caller } = routeCallers(context);

  fastify.get<{ Querystring: ListQuery }>(
    '/api/notifications',
    {
      onRequest: authenticate,
      schema: {
        tags: ['notifications'],
        summary: "The caller's notifications, newest first, with the unread count",
        security: [{ bearer: [] }],
        // Query values are strings (the server does not coerce types): checked here, converted below.
        querystring: {
          type: 'object',
          properties: {
            unread_only: { type: 'string', enum: BOOLEAN_VALUES, default: 'false' },
            limit: { type: 'string', pattern: '^[0-9]{1,3}$', default: String(DEFAULT_NOTIFICATION_LIMIT) },
          },
        },
        response: {
          200: { type: 'object', properties: { notifications: { type: 'array', items: notificationSchema }, unread_count: unreadCountSchema } },
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const userId = caller(request).id;
      const unreadOnly = TRUE_VALUES.has(request.query.unread_only);
      const limit = Number(request.query.limit);
      if (limit < 1 || limit > MAX_NOTIFICATION_LIMIT) {
        throw new HttpError(ErrorCode.InvalidPayload, `querystring/limit must be between 1 and ${MAX_NOTIFICATION_LIMIT}`);
      }
      const store = context.store.notifications;
      const [notifications, unreadCount] = await Promise.all([store.list(userId, { unreadOnly, limit }), store.unreadCount(userId)]);
      return { notifications, unread_count: unreadCount };
    },
  );

  fastify.post<{ Params: IdParams }>(
    '/api/notifications/:id/read',
    {
      onRequest: authenticate,
      schema: {
        tags: ['notifications'],
        summary: "Mark one of the caller's notifications read; pushes unread_count to the caller's notification sockets",
        security: [{ bearer: [] }],
        params: { type: 'object', properties: { id: { type: 'string', maxLength: 100 } } },
        response: {
          200: { type: 'object', properties: { notification: notificationSchema, unread_count: unreadCountSchema } },
          ...errorResponses(401, 404),
        },
      },
    },
    async (request) => {
      // Someone else's id and an unknown id look the same: never reveal which.
      const change = await service.markRead(caller(request).id, request.params.id);
      if (!change) throw new HttpError(ErrorCode.NotFound, 'Notification not found');
      return { notification: change.notification, unread_count: change.unreadCount };
    },
  );

  fastify.post(
    '/api/notifications/read-all',
    {
      onRequest: authenticate,
      schema: {
        tags: ['notifications'],
        summary: "Mark all of the caller's notifications read; pushes unread_count to the caller's notification sockets",
        security: [{ bearer: [] }],
        response: {
          200: { type: 'object', properties: { marked: { type: 'integer' }, unread_count: unreadCountSchema } },
          ...errorResponses(401),
        },
      },
    },
    async (request) => {
      const change = await service.markAllRead(caller(request).id);
      return { marked: change.marked, unread_count: change.unreadCount };
    },
  );

  fastify.post<{ Body: CreateBody }>(
    '/api/notifications',
    {
      onRequest: async (request) => {
        await requireApiKeyOrStaff(context, request);
      },
      schema: {
        tags: ['notifications'],
        summary: 'Create a notification for a user (persisted, then pushed to their notification sockets); API key or staff',
        security: [{ apiKey: [] }, { bearer: [] }],
        body: {
          type: 'object',
          required: ['user_id', 'notification_type', 'title', 'message'],
          properties: {
            user_id: { anyOf: [{ type: 'string', minLength: 1, maxLength: 255 }, { type: 'integer', minimum: 0 }] },
            notification_type: { type: 'string', minLength: 1, maxLength: MAX_NOTIFICATION_TYPE_LENGTH },
            title: { type: 'string', minLength: 1, maxLength: 200 },
            message: { type: 'string', maxLength: 4000 },
            icon: { type: ['string', 'null'], maxLength: 100 },
            color: { type: ['string', 'null'], maxLength: 50 },
            data: { type: 'object', additionalProperties: true },
          },
        },
        response: { 201: notificationSchema, ...errorResponses(400, 401, 403, 413) },
      },
    },
    async (request, reply) => {
      const { user_id: userId, notification_type, title, message, icon, color, data } = request.body;
      if (data !== undefined && Buffer.byteLength(JSON.stringify(data)) > MAX_NOTIFICATION_DATA_BYTES) {
        throw new HttpError(ErrorCode.TooLarge, `data must be at most ${MAX_NOTIFICATION_DATA_BYTES} bytes of JSON`);
      }
      const notification = await service.notify(String(userId), { notification_type, title, message, icon, color, data });
      return reply.code(201).send(notification);
    },
  );
}
