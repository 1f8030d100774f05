/** `GET /api/admin/stats` (staff only): the cluster at a glance. */
import type { FastifyInstance } from 'fastify';
import { ErrorCode } from '@switchboard/protocol';
import type { ServerContext } from '../../core/context.js';
import { requireUser } from '../../http/authenticate.js';
import { HttpError } from '../../http/errors.js';
import { errorResponses } from '../../http/schemas.js';
import type { ConnectionRecordRepository } from '../../store/connections.js';
import { adminStats } from './stats.js';

const integer = { type: 'integer' } as const;
const string = { type: 'string' } as const;

const statsSchema = {
  type: 'object',
  properties: {
    version: string,
    generated_at: string,
    cluster: {
      type: 'object',
      properties: {
        connections: integer,
        users: integer,
        recorded_connections: integer,
        routes: {
          type: 'array',
          items: { type: 'object', properties: { route: string, instance_id: string, connections: integer } },
        },
        instances: {
          type: 'array',
          items: {
            type: 'object',
            properties: { instance_id: string, version: string, started_at: string, last_seen_at: string, connections: integer },
          },
        },
      },
    },
    instance: {
      type: 'object',
      properties: {
        instance_id: string,
        started_at: string,
        uptime_seconds: integer,
        connections: integer,
        messages_in: integer,
        messages_out: integer,
        bytes_out: integer,
      },
    },
  },
} as const;

export interface StatsRouteOptions {
  records: ConnectionRecordRepository;
  startedAt: Date;
  instanceStaleMs: number;
}

export function adminStatsRoute(fastify: FastifyInstance, context: ServerContext, options: StatsRouteOptions): void {
  fastify.get(
    '/api/admin/stats',
    {
      schema: {
        tags: ['operations'],
        summary: 'Cluster-wide live connections, users, routes and instances (staff only)',
        security: [{ bearer: [] }],
        response: { 200: statsSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => {
      const user = await requireUser(context, request);
      if (!user.isStaff) throw new HttpError(ErrorCode.Forbidden, 'Staff only');
      return adminStats(context, options.records, options.startedAt, options.instanceStaleMs);
    },
  );
}
