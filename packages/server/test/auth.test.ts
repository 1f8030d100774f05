/**
 * WebSocket authentication (PROTOCOL.md §1): every bad token is accepted then closed
 * with 4001 so browsers can read the code; valid tokens work from query, Bearer header
 * and the sb_access cookie; refresh in-band outlives the first token.
 */
import { createServer, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import pino from 'pino';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, closeOf } from './support/client.js';
import { request } from './support/http.js';
import { TEST_SECRET, signTestToken, startServer, type TestServer } from './support/server.js';

const now = (): number => Math.floor(Date.now() / 1000);
const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

let server: TestServer;
let logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(chunk.toString());
      callback();
    },
  });
  server = await startServer({ logger: pino({ level: 'trace' }, sink) });
});
afterAll(() => server.stop());

const roomsUrl = (token?: string): string => server.wsUrl('/api/v1/ws', token);

describe('rejected tokens close 4001', () => {
  const cases: Array<[string, () => Promise<string | undefined>, string]> = [
    ['no token', async () => undefined, 'Authentication failed'],
    ['garbage', async () => 'not-a-jwt', 'Authentication failed'],
    ['bad signature', async () => signTestToken('alice', {}, 'another-secret-that-is-at-least-32-bytes'), 'Authentication failed'],
    [
      'alg none',
      async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', token_type: 'access', exp: now() + 3600 })}.`,
      'Authentication failed',
    ],
    ['expired', async () => signTestToken('alice', { expiresInSeconds: -10 }), 'Token expired'],
    ['not yet valid (nbf)', async () => signTestToken('alice', { nbf: now() + 600 }), 'Authentication failed'],
    ['refresh-type token', async () => signTestToken('alice', { token_type: 'refresh' }), 'Authentication failed'],
    [
      'no exp claim',
      async () =>
        new SignJWT({ token_type: 'access' }).setProtectedHeader({ alg: 'HS256' }).setSubject('alice').sign(new TextEncoder().encode(TEST_SECRET)),
      'Authentication failed',
    ],
    [
      'no subject',
      async () =>
        new SignJWT({ token_type: 'access' })
          .setProtectedHeader({ alg: 'HS256' })
          .setExpirationTime(now() + 60)
          .sign(new TextEncoder().encode(TEST_SECRET)),
      'Authentication failed',
    ],
  ];

  it.each(cases)('%s', async (_name, makeToken, reason) => {
    const token = await makeToken();
    expect(await closeOf(roomsUrl(token))).toEqual({ code: 4001, reason });
  });

  it('an RS256 token against the HS256 server', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await new SignJWT({ token_type: 'access' })
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('alice')
      .setExpirationTime(now() + 60)
      .sign(privateKey);
    expect((await closeOf(roomsUrl(token))).code).toBe(4001);
  });

  it('never logs a token', async () => {
    // The sink is live: the startup line reached it (at trace level everything would).
    expect(logLines.join('')).toContain('switchboard listening');
    logLines = [];
    const bad = await signTestToken('alice', { expiresInSeconds: -10 });
    const good = await server.token('log-check');
    // REST requests carry tokens in URLs and headers; request logs would show them.
    expect((await request(server, 'GET', `/api/users/me?token=${good}`, { token: good })).status).toBe(200);
    expect((await request(server, 'GET', `/api/users/me?token=${bad}`, { token: bad })).status).toBe(401);
    await closeOf(roomsUrl(bad));
    const client = await TestClient.connect(roomsUrl(good));
    await client.next('system');
    client.send({ type: 'refresh_token', token: 'garbage-token-value' });
    await client.next('error');
    await client.close();
    const logs = logLines.join('');
    expect(logs).not.toContain(bad);
    expect(logs).not.toContain(good);
    expect(logs).not.toContain('garbage-token-value');
  });
});

describe('accepted tokens', () => {
  it('from the token query parameter', async () => {
    const client = await TestClient.connect(roomsUrl(await server.token('alice')));
    expect(await client.next('system')).toMatchObject({ user_id: 'alice' });
    await client.close();
  });

  it('from an Authorization: Bearer header', async () => {
    const client = await TestClient.connect(roomsUrl(), { headers: { Authorization: `Bearer ${await server.token('bob')}` } });
    expect(await client.next('system')).toMatchObject({ user_id: 'bob' });
    await client.close();
  });

  it('from the sb_access cookie', async () => {
    const client = await TestClient.connect(roomsUrl(), { headers: { Cookie: `theme=dark; sb_access=${await server.token('carol')}` } });
    expect(await client.next('system')).toMatchObject({ user_id: 'carol' });
    await client.close();
  });

  it('with simplejwt user_id instead of sub', async () => {
    const token = await new SignJWT({ user_id: 42, token_type: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(now() + 60)
      .sign(new TextEncoder().encode(TEST_SECRET));
    const client = await TestClient.connect(roomsUrl(token));
    expect(await client.next('system')).toMatchObject({ user_id: '42' });
    await client.close();
  });

  it('never echoes an offered subprotocol (tokens travel there in some clients)', async () => {
    const token = await server.token('alice');
    const headers = await new Promise<Record<string, unknown>>((resolve) => {
      const ws = new WebSocket(roomsUrl(token), ['access_token', token]);
      ws.on('error', () => {});
      ws.once('upgrade', (response) => {
        resolve(response.headers);
        ws.terminate();
      });
    });
    expect(headers['sec-websocket-protocol']).toBeUndefined();
  });
});

describe('token expiry and refresh_token', () => {
  it('closes 4001 Token expired on a live connection unless refreshed', async () => {
    const expiresInSeconds = 2;
    const stale = await TestClient.connect(roomsUrl(await server.token('dave', { expiresInSeconds })));
    const refreshed = await TestClient.connect(roomsUrl(await server.token('dave', { expiresInSeconds })));
    await Promise.all([stale.next('system'), refreshed.next('system')]);

    refreshed.send({ type: 'refresh_token', token: await server.token('dave', { expiresInSeconds: 3600 }), ref: 'r1' });
    const ack = await refreshed.next('token_refreshed');
    expect(ack.ref).toBe('r1');
    expect(ack.exp).toBeGreaterThan(now() + 3000);

    // The unrefreshed twin expires; the refreshed one is still served afterwards.
    expect(await stale.closed).toEqual({ code: 4001, reason: 'Token expired' });
    await refreshed.roundTrip();
    expect(refreshed.ws.readyState).toBe(WebSocket.OPEN);
    await refreshed.close();
  });

  it('refuses a refresh token of another user or an invalid one', async () => {
    const client = await TestClient.connect(roomsUrl(await server.token('erin')));
    await client.next('system');
    client.send({ type: 'refresh_token', token: await server.token('mallory'), ref: 'x' });
    expect(await client.next('error')).toMatchObject({ code: 'forbidden', ref: 'x' });
    client.send({ type: 'refresh_token', token: 'garbage', ref: 'y' });
    expect(await client.next('error')).toMatchObject({ code: 'unauthenticated', ref: 'y' });
    client.send({ type: 'refresh_token', token: await signTestToken('erin', { token_type: 'refresh' }), ref: 'z' });
    expect(await client.next('error')).toMatchObject({ code: 'unauthenticated', ref: 'z' });
    await client.close();
  });
});

describe('issuer and audience when configured', () => {
  let strict: TestServer;
  beforeAll(async () => {
    strict = await startServer({ jwt: { secret: TEST_SECRET, issuer: 'https://auth.example', audience: 'switchboard' } });
  });
  afterAll(() => strict.stop());

  it('accepts the right iss/aud and refuses wrong or missing ones', async () => {
    const url = (token: string): string => strict.wsUrl('/api/v1/ws', token);
    const good = await strict.token('alice', { iss: 'https://auth.example', aud: 'switchboard' });
    const client = await TestClient.connect(url(good));
    expect(await client.next('system')).toMatchObject({ user_id: 'alice' });
    await client.close();
    for (const claims of [{ iss: 'https://evil.example', aud: 'switchboard' }, { iss: 'https://auth.example', aud: 'other' }, {}]) {
      expect((await closeOf(url(await strict.token('alice', claims)))).code).toBe(4001);
    }
  });
});

describe('public-key verification', () => {
  it('RS256 with a PEM key; an HS256 token signed with that public key is refused (alg confusion)', async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportSPKI(publicKey);
    const rs = await startServer({ jwt: { publicKey: pem, algorithms: ['RS256'] } });
    try {
      const valid = await new SignJWT({ token_type: 'access' })
        .setProtectedHeader({ alg: 'RS256' })
        .setSubject('alice')
        .setExpirationTime(now() + 60)
        .sign(privateKey);
      const client = await TestClient.connect(rs.wsUrl('/api/v1/ws', valid));
      expect(await client.next('system')).toMatchObject({ user_id: 'alice' });
      await client.close();

      const confused = await new SignJWT({ token_type: 'access' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('alice')
        .setExpirationTime(now() + 60)
        .sign(new TextEncoder().encode(pem));
      expect(await closeOf(rs.wsUrl('/api/v1/ws', confused))).toEqual({ code: 4001, reason: 'Authentication failed' });
    } finally {
      await rs.stop();
    }
  });

  it('ES256 through a JWKS URL', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    const jwks: Server = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as { port: number };
    const es = await startServer({ jwt: { jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`, algorithms: ['ES256'] } });
    try {
      const token = await new SignJWT({ token_type: 'access' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setSubject('jwks-user')
        .setExpirationTime(now() + 60)
        .sign(privateKey);
      const client = await TestClient.connect(es.wsUrl('/api/v1/ws', token));
      expect(await client.next('system')).toMatchObject({ user_id: 'jwks-user' });
      await client.close();
      const { privateKey: otherKey } = await generateKeyPair('ES256');
      const forged = await new SignJWT({ token_type: 'access' })
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setSubject('jwks-user')
        .setExpirationTime(now() + 60)
        .sign(otherKey);
      expect((await closeOf(es.wsUrl('/api/v1/ws', forged))).code).toBe(4001);
    } finally {
      await es.stop();
      jwks.close();
    }
  });
});
