/**
 * Accounts and tokens (PROTOCOL.md §8), shaped like Django simplejwt with
 * ROTATE_REFRESH_TOKENS and BLACKLIST_AFTER_ROTATION (seed 002): access 60 min,
 * refresh 7 days, a used refresh token is revoked.
 */
import { CloseCode, CloseReason, ErrorCode } from '@switchboard/protocol';
import type { App } from '../core/app.js';
import type { ServerContext } from '../core/context.js';
import { UsernameTakenError, type User } from '../store/users.js';
import { routeCallers } from './authenticate.js';
import { HttpError } from './errors.js';
import { errorResponses } from './schemas.js';

const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    name: { type: 'string' },
    is_staff: { type: 'boolean' },
  },
} as const;

const tokenPairSchema = {
  type: 'object',
  properties: { access: { type: 'string' }, refresh: { type: 'string' } },
} as const;

function publicUser(user: User): { id: string; username: string; name: string; is_staff: boolean } {
  return { id: user.id, username: user.username, name: user.name, is_staff: user.isStaff };
}

function ensureIssuer(context: ServerContext): void {
  if (!context.tokens.canIssue) {
    throw new HttpError(ErrorCode.Forbidden, 'This server verifies tokens of an external issuer and does not issue its own');
  }
}

interface RegisterBody {
  username: string;
  password: string;
  name?: string;
}

interface TokenBody {
  username: string;
  password: string;
}

interface RefreshBody {
  refresh: string;
}

interface LogoutBody {
  refresh?: string;
}

export function authApp(): App {
  return {
    name: 'auth',
    http(fastify, context) {
      const { authenticate, caller } = routeCallers(context);

      fastify.post<{ Body: RegisterBody }>(
        '/api/auth/register',
        {
          schema: {
            tags: ['auth'],
            summary: 'Create a user (unless registration is disabled)',
            body: {
              type: 'object',
              required: ['username', 'password'],
              additionalProperties: false,
              properties: {
                username: { type: 'string', minLength: 1, maxLength: 150, pattern: '^[A-Za-z0-9_.@+-]+$' },
                password: { type: 'string', minLength: 8, maxLength: 1024 },
                name: { type: 'string', maxLength: 200 },
              },
            },
            response: { 201: userSchema, ...errorResponses(400, 403, 409) },
          },
        },
        async (request, reply) => {
          if (!context.options.allowRegistration) throw new HttpError(ErrorCode.Forbidden, 'Registration is disabled');
          try {
            const user = await context.store.users.create(request.body);
            return reply.code(201).send(publicUser(user));
          } catch (error) {
            if (error instanceof UsernameTakenError) throw new HttpError(ErrorCode.Conflict, 'Username is taken');
            throw error;
          }
        },
      );

      fastify.post<{ Body: TokenBody }>(
        '/api/auth/token',
        {
          schema: {
            tags: ['auth'],
            summary: 'Exchange username and password for an access and a refresh token',
            body: {
              type: 'object',
              required: ['username', 'password'],
              properties: { username: { type: 'string', maxLength: 150 }, password: { type: 'string', maxLength: 1024 } },
            },
            response: { 200: tokenPairSchema, ...errorResponses(400, 401, 403) },
          },
        },
        async (request) => {
          ensureIssuer(context);
          const user = await context.store.users.authenticate(request.body.username, request.body.password);
          if (!user) throw new HttpError(ErrorCode.Unauthenticated, 'Invalid username or password');
          return context.tokens.pair(user);
        },
      );

      fastify.post<{ Body: RefreshBody }>(
        '/api/auth/refresh',
        {
          schema: {
            tags: ['auth'],
            summary: 'Rotate a refresh token: returns a new access and refresh token; the old refresh token is revoked',
            body: { type: 'object', required: ['refresh'], properties: { refresh: { type: 'string', maxLength: 4096 } } },
            response: { 200: tokenPairSchema, ...errorResponses(400, 401, 403) },
          },
        },
        async (request) => {
          ensureIssuer(context);
          const claims = await context.tokens.verifyRefresh(request.body.refresh);
          if (!claims) throw new HttpError(ErrorCode.Unauthenticated, 'Invalid or expired refresh token');
          // The insert is the check: a second use of the same token loses the race and is refused.
          if (!(await context.store.revokedTokens.revoke(claims.jti, claims.userId, claims.exp))) {
            throw new HttpError(ErrorCode.Unauthenticated, 'Refresh token has been revoked');
          }
          const user = await context.store.users.findById(claims.userId);
          if (!user) throw new HttpError(ErrorCode.Unauthenticated, 'User no longer exists');
          return context.tokens.pair(user);
        },
      );

      fastify.post<{ Body: LogoutBody }>(
        '/api/auth/logout',
        {
          onRequest: authenticate,
          // The body is optional (Bearer alone closes the sockets); the schema would refuse a missing one.
          preValidation: async (request) => {
            request.body ??= {};
          },
          schema: {
            tags: ['auth'],
            summary: "Revoke a refresh token and close the caller's live WebSockets (4001 Logged out)",
            body: { type: 'object', properties: { refresh: { type: 'string', maxLength: 4096 } } },
            response: { 200: { type: 'object', properties: { closed_connections: { type: 'integer' } } }, ...errorResponses(400, 401) },
          },
        },
        async (request) => {
          const user = caller(request);
          const refresh = request.body.refresh;
          if (refresh) {
            const claims = await context.tokens.verifyRefresh(refresh);
            if (claims && claims.userId === user.id) await context.store.revokedTokens.revoke(claims.jti, claims.userId, claims.exp);
          }
          const closed = await context.closeUserConnectionsEverywhere(user.id, CloseCode.Unauthenticated, CloseReason.LoggedOut);
          return { closed_connections: closed };
        },
      );

      fastify.get(
        '/api/users/me',
        { onRequest: authenticate, schema: { tags: ['auth'], summary: 'The caller', response: { 200: userSchema, ...errorResponses(401) } } },
        async (request) => {
          const user = caller(request);
          const stored = await context.store.users.findById(user.id);
          // Tokens of an external issuer may name users this server has never stored.
          return stored ? publicUser(stored) : { id: user.id, username: user.id, name: user.name, is_staff: user.isStaff };
        },
      );
    },
  };
}
