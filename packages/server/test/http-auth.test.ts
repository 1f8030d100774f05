/**
 * The REST auth API (PROTOCOL.md §8) over real HTTP: register, token, refresh rotation,
 * /api/users/me, logout closing live sockets; then the operational endpoints. The main
 * flow runs on SQLite and on PostgreSQL.
 */
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, uniqueName } from './support/accounts.js';
import { TestClient, closeOf } from './support/client.js';
import { DIALECTS, databaseUrl } from './support/databases.js';
import { expectError, request, type Reply } from './support/http.js';
import { startServer, type TestServer } from './support/server.js';

const ACCESS_TTL_SECONDS = 60 * 60;
const REFRESH_TTL_SECONDS = 7 * 24 * 60 * 60;
const nowSeconds = (): number => Math.floor(Date.now() / 1000);

interface Account {
  id: string;
  username: string;
  access: string;
  refresh: string;
}

const post = (server: TestServer, path: string, body?: unknown, token?: string): Promise<Reply> =>
  request(server, 'POST', path, { body, token });

async function registerAndLogin(server: TestServer, prefix: string, name?: string): Promise<Account> {
  const username = uniqueName(prefix);
  const registered = await post(server, '/api/auth/register', { username, password: PASSWORD, ...(name ? { name } : {}) });
  expect(registered.status).toBe(201);
  const tokens = await post(server, '/api/auth/token', { username, password: PASSWORD });
  expect(tokens.status).toBe(200);
  return { id: registered.body.id, username, access: tokens.body.access, refresh: tokens.body.refresh };
}

/** Connects to the rooms endpoint and waits for the welcome, so the server has registered the socket. */
async function connectRooms(server: TestServer, token: string): Promise<{ client: TestClient; welcome: any }> {
  const client = await TestClient.connect(server.wsUrl('/api/v1/ws', token));
  const welcome = await client.next('system');
  return { client, welcome };
}

describe.each(DIALECTS)('auth API on %s', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ databaseUrl: await databaseUrl(dialect) });
  });
  afterAll(() => server.stop());

  it('registers a user: 201 with the public fields only', async () => {
    const username = uniqueName('alice');
    const reply = await post(server, '/api/auth/register', { username, password: PASSWORD, name: 'Alice Liddell' });
    expect(reply.status).toBe(201);
    expect(reply.body).toEqual({ id: expect.any(String), username, name: 'Alice Liddell', is_staff: false });
    expect(reply.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(reply.body)).not.toContain(PASSWORD);
  });

  it('refuses a duplicate username with 409 conflict', async () => {
    const username = uniqueName('dup');
    expect((await post(server, '/api/auth/register', { username, password: PASSWORD })).status).toBe(201);
    const again = await post(server, '/api/auth/register', { username, password: 'a different password' });
    expectError(again, 409, 'conflict');
    // The first account is untouched: its password still works, the second one does not.
    expect((await post(server, '/api/auth/token', { username, password: PASSWORD })).status).toBe(200);
    expectError(await post(server, '/api/auth/token', { username, password: 'a different password' }), 401, 'unauthenticated');
  });

  it('two concurrent registrations of one username: one 201, one 409', async () => {
    const username = uniqueName('race');
    const replies = await Promise.all([
      post(server, '/api/auth/register', { username, password: PASSWORD }),
      post(server, '/api/auth/register', { username, password: PASSWORD }),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it.each([
    ['a short password', { username: 'shorty', password: 'short' }],
    ['a username with a space and "!"', { username: 'bad name!', password: PASSWORD }],
    ['an empty username', { username: '', password: PASSWORD }],
    ['no password', { username: 'nopass' }],
    ['no username', { password: PASSWORD }],
  ])('refuses %s with 400 invalid_payload', async (_label, body) => {
    expectError(await post(server, '/api/auth/register', body), 400, 'invalid_payload');
  });

  it('refuses a body that is not JSON with 400 invalid_payload', async () => {
    expectError(await post(server, '/api/auth/register', '{"username": "x",'), 400, 'invalid_payload');
  });

  it('issues tokens for the right password only; a wrong one or an unknown user is 401', async () => {
    const account = await registerAndLogin(server, 'login');
    expect(typeof account.access).toBe('string');
    expect(typeof account.refresh).toBe('string');
    expectError(await post(server, '/api/auth/token', { username: account.username, password: 'wrong password' }), 401, 'unauthenticated');
    expectError(await post(server, '/api/auth/token', { username: uniqueName('ghost'), password: PASSWORD }), 401, 'unauthenticated');
    expectError(await post(server, '/api/auth/token', { username: account.username }), 400, 'invalid_payload');
  });

  it('access and refresh tokens carry the simplejwt claims and lifetimes', async () => {
    const username = uniqueName('claims');
    const registered = await post(server, '/api/auth/register', { username, password: PASSWORD, name: 'Claire' });
    const before = nowSeconds();
    const { body } = await post(server, '/api/auth/token', { username, password: PASSWORD });
    const after = nowSeconds();

    const access = decodeJwt(body.access);
    expect(access).toMatchObject({ sub: registered.body.id, user_id: registered.body.id, name: 'Claire', is_staff: false, token_type: 'access' });
    expect(access.exp! - ACCESS_TTL_SECONDS).toBeGreaterThanOrEqual(before);
    expect(access.exp! - ACCESS_TTL_SECONDS).toBeLessThanOrEqual(after);

    const refresh = decodeJwt(body.refresh);
    expect(refresh).toMatchObject({ sub: registered.body.id, user_id: registered.body.id, token_type: 'refresh' });
    expect(typeof refresh.jti).toBe('string');
    expect(refresh.exp! - REFRESH_TTL_SECONDS).toBeGreaterThanOrEqual(before);
    expect(refresh.exp! - REFRESH_TTL_SECONDS).toBeLessThanOrEqual(after);
  });

  it('is_staff in tokens and /me follows the stored user, also after a refresh', async () => {
    const account = await registerAndLogin(server, 'staff');
    expect(decodeJwt(account.access).is_staff).toBe(false);
    // No HTTP route promotes users (the CLI does); the server's own Store is the public way.
    await server.server.store.users.setStaff(account.id, true);
    const rotated = await post(server, '/api/auth/refresh', { refresh: account.refresh });
    expect(decodeJwt(rotated.body.access).is_staff).toBe(true);
    const me = await request(server, 'GET', '/api/users/me', { token: rotated.body.access });
    expect(me.body).toMatchObject({ id: account.id, is_staff: true });
  });

  it('the access token opens the rooms WebSocket as that user; the refresh token is closed 4001', async () => {
    const account = await registerAndLogin(server, 'ws');
    const { client, welcome } = await connectRooms(server, account.access);
    expect(welcome).toMatchObject({ type: 'system', message: 'Connected successfully', user_id: account.id });
    await client.close();

    expect(await closeOf(server.wsUrl('/api/v1/ws', account.refresh))).toEqual({ code: 4001, reason: 'Authentication failed' });
  });

  it('refresh rotates: a new pair, and the old refresh token is refused afterwards', async () => {
    const account = await registerAndLogin(server, 'rotate');
    const rotated = await post(server, '/api/auth/refresh', { refresh: account.refresh });
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ access: expect.any(String), refresh: expect.any(String) });
    expect(rotated.body.refresh).not.toBe(account.refresh);
    expect(decodeJwt(rotated.body.refresh).jti).not.toBe(decodeJwt(account.refresh).jti);
    expect(decodeJwt(rotated.body.access)).toMatchObject({ sub: account.id, token_type: 'access' });

    expectError(await post(server, '/api/auth/refresh', { refresh: account.refresh }), 401, 'unauthenticated');
    // The new refresh token works once, like the first.
    expect((await post(server, '/api/auth/refresh', { refresh: rotated.body.refresh })).status).toBe(200);
    // The rotated access token is a working access token.
    const { welcome, client } = await connectRooms(server, rotated.body.access);
    expect(welcome.user_id).toBe(account.id);
    await client.close();
  });

  it('two concurrent refreshes with one token: exactly one wins', async () => {
    const account = await registerAndLogin(server, 'refresh_race');
    const replies = await Promise.all([
      post(server, '/api/auth/refresh', { refresh: account.refresh }),
      post(server, '/api/auth/refresh', { refresh: account.refresh }),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 401]);
  });

  it('refresh refuses an access token and garbage with 401', async () => {
    const account = await registerAndLogin(server, 'refresh_bad');
    expectError(await post(server, '/api/auth/refresh', { refresh: account.access }), 401, 'unauthenticated');
    expectError(await post(server, '/api/auth/refresh', { refresh: 'not-a-jwt' }), 401, 'unauthenticated');
  });

  it('GET /api/users/me answers the caller with a Bearer access token, else 401', async () => {
    const account = await registerAndLogin(server, 'me', 'Maya');
    const me = await request(server, 'GET', '/api/users/me', { token: account.access });
    expect(me).toEqual({ status: 200, body: { id: account.id, username: account.username, name: 'Maya', is_staff: false } });

    expectError(await request(server, 'GET', '/api/users/me'), 401, 'unauthenticated');
    expectError(await request(server, 'GET', '/api/users/me', { token: 'not-a-jwt' }), 401, 'unauthenticated');
    expectError(await request(server, 'GET', '/api/users/me', { token: account.refresh }), 401, 'unauthenticated');
  });

  it("logout closes all the caller's sockets with 4001 Logged out, revokes the refresh token, spares others", async () => {
    const alice = await registerAndLogin(server, 'logout_alice');
    const bob = await registerAndLogin(server, 'logout_bob');
    const tab1 = await connectRooms(server, alice.access);
    const tab2 = await connectRooms(server, alice.access);
    const other = await connectRooms(server, bob.access);

    const reply = await post(server, '/api/auth/logout', { refresh: alice.refresh }, alice.access);
    expect(reply).toEqual({ status: 200, body: { closed_connections: 2 } });
    expect(await tab1.client.closed).toEqual({ code: 4001, reason: 'Logged out' });
    expect(await tab2.client.closed).toEqual({ code: 4001, reason: 'Logged out' });

    expectError(await post(server, '/api/auth/refresh', { refresh: alice.refresh }), 401, 'unauthenticated');
    // Bob's socket is untouched: it still answers, and nothing closed it.
    await other.client.roundTrip();
    expect(other.client.ws.readyState).toBe(other.client.ws.OPEN);
    expect((await post(server, '/api/auth/refresh', { refresh: bob.refresh })).status).toBe(200);
    await other.client.close();
  });

  it('logout needs a Bearer token; without a body it still closes the sockets', async () => {
    const account = await registerAndLogin(server, 'logout_bare');
    expectError(await post(server, '/api/auth/logout', { refresh: account.refresh }), 401, 'unauthenticated');
    // The refused logout revoked nothing.
    const rotated = await post(server, '/api/auth/refresh', { refresh: account.refresh });
    expect(rotated.status).toBe(200);

    const { client } = await connectRooms(server, rotated.body.access);
    const reply = await post(server, '/api/auth/logout', undefined, rotated.body.access);
    expect(reply).toEqual({ status: 200, body: { closed_connections: 1 } });
    expect(await client.closed).toEqual({ code: 4001, reason: 'Logged out' });
    // No refresh token given, so the current one stays usable.
    expect((await post(server, '/api/auth/refresh', { refresh: rotated.body.refresh })).status).toBe(200);
  });

  it('logout authenticates before it validates the body: anonymous gets 401, never 400', async () => {
    const account = await registerAndLogin(server, 'logout_invalid');
    const tooLong = { refresh: 'x'.repeat(4097) };
    expectError(await post(server, '/api/auth/logout', tooLong), 401, 'unauthenticated');
    expectError(await post(server, '/api/auth/logout', '{"refresh": '), 401, 'unauthenticated');
    // The same bodies are invalid for a signed-in caller.
    expectError(await post(server, '/api/auth/logout', tooLong, account.access), 400, 'invalid_payload');
    expectError(await post(server, '/api/auth/logout', '{"refresh": ', account.access), 400, 'invalid_payload');
  });

  it("logout does not revoke another user's refresh token", async () => {
    const alice = await registerAndLogin(server, 'logout_own');
    const bob = await registerAndLogin(server, 'logout_victim');
    expect((await post(server, '/api/auth/logout', { refresh: bob.refresh }, alice.access)).status).toBe(200);
    expect((await post(server, '/api/auth/refresh', { refresh: bob.refresh })).status).toBe(200);
  });

  it('GET /health is 200 healthy with the database checked', async () => {
    const reply = await request(server, 'GET', '/health');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'healthy', checks: { database: 'ok', channel_layer: 'ok' } });
  });
});

describe('registration disabled', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ allowRegistration: false });
  });
  afterAll(() => server.stop());

  it('refuses register with 403 forbidden and creates nobody', async () => {
    const username = uniqueName('closed');
    expectError(await post(server, '/api/auth/register', { username, password: PASSWORD }), 403, 'forbidden');
    expectError(await post(server, '/api/auth/token', { username, password: PASSWORD }), 401, 'unauthenticated');
  });
});

describe('operational endpoints', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.stop());

  it('GET /api/docs is an OpenAPI document listing the auth paths', async () => {
    const reply = await request(server, 'GET', '/api/docs');
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toMatch(/^3\./);
    expect(reply.body.info.title).toBe('Switchboard API');
    const paths = reply.body.paths;
    for (const path of ['/api/auth/register', '/api/auth/token', '/api/auth/refresh', '/api/auth/logout']) {
      expect(paths[path], path).toHaveProperty('post');
    }
    expect(paths['/api/users/me']).toHaveProperty('get');
    expect(paths['/api/auth/register'].post.requestBody.content['application/json'].schema.required).toEqual(['username', 'password']);
    // Every status the auth routes answer is documented (403: a server that only verifies an external issuer).
    for (const [path, statuses] of [
      ['/api/auth/token', ['200', '400', '401', '403']],
      ['/api/auth/refresh', ['200', '400', '401', '403']],
      ['/api/auth/logout', ['200', '400', '401']],
    ] as const) {
      expect(Object.keys(paths[path].post.responses).sort(), path).toEqual(statuses);
    }
  });

  it('GET /metrics reports switchboard_connections equal to the open sockets', async () => {
    // A server of its own: no socket from another test is open or still closing.
    const fresh = await startServer();
    const clients: TestClient[] = [];
    const connections = async (): Promise<number> => {
      const reply = await request(fresh, 'GET', '/metrics');
      expect(reply.status).toBe(200);
      const match = /^switchboard_connections (\d+)$/m.exec(String(reply.body));
      expect(match, 'switchboard_connections line').not.toBeNull();
      return Number(match![1]);
    };
    try {
      expect(await connections()).toBe(0);
      for (const user of ['m1', 'm2', 'm2']) clients.push((await connectRooms(fresh, await fresh.token(user))).client);
      expect(await connections()).toBe(3);
      const text = String((await request(fresh, 'GET', '/metrics')).body);
      expect(text).toMatch(/^switchboard_connections_opened_total 3$/m);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await fresh.stop();
    }
  });

  it('an unknown route is 404 not_found', async () => {
    expectError(await request(server, 'GET', '/api/no-such-route'), 404, 'not_found');
    expectError(await post(server, '/api/auth/nothing', {}), 404, 'not_found');
  });

  it('a body over 64 KiB is 413 too_large, and the server keeps serving', async () => {
    const body = { username: uniqueName('big'), password: 'x'.repeat(64 * 1024) };
    expectError(await post(server, '/api/auth/register', body), 413, 'too_large');
    expect((await request(server, 'GET', '/health')).status).toBe(200);
  });
});
