/** Starts a real Switchboard server on 127.0.0.1 with an ephemeral port. */
import { SignJWT, type JWTPayload } from 'jose';
import { SwitchboardServer, type ServerDependencies } from '../../src/core/server.js';
import type { ServerOptions } from '../../src/core/options.js';
import { builtinApps } from '../../src/apps/index.js';
import { sqliteUrl } from './databases.js';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-bytes-long!';

export interface TestServer {
  server: SwitchboardServer;
  port: number;
  httpUrl: string;
  /** ws://127.0.0.1:port + path (token appended as ?token= when given). */
  wsUrl(path: string, token?: string): string;
  /** An HS256 access token for `userId` signed with the test secret. */
  token(userId: string, claims?: JWTPayload & { expiresInSeconds?: number }): Promise<string>;
  stop(): Promise<void>;
}

export async function startServer(
  options: Partial<ServerOptions> = {},
  dependencies: ServerDependencies = {},
): Promise<TestServer> {
  const server = new SwitchboardServer(
    {
      host: '127.0.0.1',
      port: 0,
      databaseUrl: sqliteUrl(),
      ...options,
      jwt: { secret: TEST_SECRET, ...options.jwt },
    },
    { apps: builtinApps(), ...dependencies },
  );
  const { port } = await server.start();
  const httpUrl = `http://127.0.0.1:${port}`;
  return {
    server,
    port,
    httpUrl,
    wsUrl(path, token) {
      const url = new URL(path, `ws://127.0.0.1:${port}`);
      if (token !== undefined) url.searchParams.set('token', token);
      return url.toString();
    },
    token: (userId, claims = {}) => signTestToken(userId, claims),
    stop: () => server.stop(),
  };
}

export async function signTestToken(
  userId: string,
  { expiresInSeconds = 3600, ...claims }: JWTPayload & { expiresInSeconds?: number } = {},
  secret = TEST_SECRET,
): Promise<string> {
  return new SignJWT({ name: userId, token_type: 'access', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + expiresInSeconds)
    .sign(new TextEncoder().encode(secret));
}
