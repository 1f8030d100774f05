/** Request authentication for REST routes: Bearer access tokens and the server API key. */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ErrorCode } from '@switchboard/protocol';
import type { AuthUser } from '../core/auth.js';
import type { ServerContext } from '../core/context.js';
import { HttpError } from './errors.js';

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header || header.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  return header.slice(7).trim() || undefined;
}

/** The caller of a request with `Authorization: Bearer <access>`, else 401. */
export async function requireUser(context: ServerContext, request: FastifyRequest): Promise<AuthUser> {
  const token = bearer(request);
  if (!token) throw new HttpError(ErrorCode.Unauthenticated, 'Authorization: Bearer <access token> required');
  const result = await context.verifyToken(token);
  if (!result.ok) {
    throw new HttpError(ErrorCode.Unauthenticated, result.reason === 'expired' ? 'Token expired' : 'Invalid token');
  }
  return result.user;
}

export interface RouteCallers<Caller = AuthUser> {
  /** The onRequest hook: 401 (or 403) unless the request identifies an allowed caller. */
  authenticate(request: FastifyRequest): Promise<void>;
  /** The caller `authenticate` found, in later hooks and the handler. */
  caller(request: FastifyRequest): Caller;
}

/**
 * Authentication for a route's onRequest hook, which runs before validation, so an
 * anonymous caller gets 401, never a 400 about its input. `identify` finds the caller
 * or throws; the default requires a Bearer access token.
 */
export function routeCallers(context: ServerContext): RouteCallers;
export function routeCallers<Caller>(context: ServerContext, identify: (request: FastifyRequest) => Promise<Caller>): RouteCallers<Caller>;
export function routeCallers(
  context: ServerContext,
  identify: (request: FastifyRequest) => Promise<unknown> = (request) => requireUser(context, request),
): RouteCallers<unknown> {
  const callers = new WeakMap<FastifyRequest, unknown>();
  return {
    async authenticate(request) {
      callers.set(request, await identify(request));
    },
    caller(request) {
      if (!callers.has(request)) throw new Error('route used without its authenticate hook');
      return callers.get(request);
    },
  };
}

function apiKeyMatches(expected: string | undefined, given: string | undefined): boolean {
  if (!expected || !given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The API key the request sends (`X-API-Key: …` or `Authorization: Api-Key …`), possibly empty; undefined when it sends none. */
export function apiKeyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string') return header;
  const authorization = request.headers.authorization;
  return authorization?.startsWith('Api-Key ') ? authorization.slice(8).trim() : undefined;
}

/**
 * Server-to-server routes: `X-API-Key: <API_KEY>` (or `Authorization: Api-Key …`), or
 * a staff user's access token. Without an API key configured, staff tokens only.
 */
export async function requireApiKeyOrStaff(context: ServerContext, request: FastifyRequest): Promise<AuthUser | 'api-key'> {
  const given = apiKeyOf(request);
  if (given !== undefined) {
    if (apiKeyMatches(context.options.apiKey, given)) return 'api-key';
    throw new HttpError(ErrorCode.Unauthenticated, 'Invalid API key');
  }
  const user = await requireUser(context, request);
  if (!user.isStaff) throw new HttpError(ErrorCode.Forbidden, 'Staff or API key required');
  return user;
}
