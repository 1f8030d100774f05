/**
 * An app is one feature (rooms, health, chat, …): its WebSocket routes, its HTTP
 * routes and optional start/stop hooks. Deleting an app folder and its line in
 * `apps/index.ts` removes the feature.
 */
import type { FastifyInstance } from 'fastify';
import type { ConnectionInit } from './connection.js';
import type { Consumer } from './consumer.js';
import type { ServerContext } from './context.js';

export type ConsumerClass = new (init: ConnectionInit) => Consumer;

export interface WsRoute {
  /** Path pattern, `:name` for parameters; a trailing slash is optional when matching. */
  readonly path: string;
  readonly consumer: ConsumerClass;
  /** Accepts connections without a token (only `/ws/health/`). */
  readonly anonymous?: boolean;
}

export interface App {
  readonly name: string;
  readonly routes?: readonly WsRoute[];
  http?(fastify: FastifyInstance, context: ServerContext): void | Promise<void>;
  /** Called once the server is listening; start shared timers here, never per connection. */
  start?(context: ServerContext): void | Promise<void>;
  stop?(): void | Promise<void>;
}
