/** HTTP plumbing shared by every route: OpenAPI at `/api/docs` and the error shape. */
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { installErrorHandling } from './errors.js';

export async function setupHttp(fastify: FastifyInstance, version: string): Promise<void> {
  await fastify.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Switchboard API',
        description: 'REST API of the Switchboard realtime server. WebSocket endpoints are described in docs/protocol.md.',
        version,
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
    },
  });
  installErrorHandling(fastify);
  fastify.get('/api/docs', { schema: { hide: true } }, async () => fastify.swagger());
}
