/**
 * Limits at their edges (PROTOCOL.md §1 Limits): frame size, connections per user,
 * rate limit, malformed messages, slow consumers, Origin, liveness.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinApps } from '../src/apps/index.js';
import type { App } from '../src/core/app.js';
import type { ConnectionInit } from '../src/core/connection.js';
import { Consumer } from '../src/core/consumer.js';
import { EXCESS_GAP_MS, countMalformed, takeToken } from '../src/core/limits.js';
import { encodeMessage } from '../src/core/frame.js';
import { userGroup } from '../src/layer/types.js';
import { TestClient, closeOf, upgradeStatus } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

async function connect(userId: string, target = server): Promise<TestClient> {
  const client = await TestClient.connect(target.wsUrl('/api/v1/ws', await target.token(userId)));
  await client.next('system');
  return client;
}

/** A ping padded so the JSON text is exactly `bytes` long. */
function pingOfSize(bytes: number): string {
  const skeleton = JSON.stringify({ type: 'ping', pad: '' });
  return JSON.stringify({ type: 'ping', pad: 'x'.repeat(bytes - skeleton.length) });
}

describe('message size', () => {
  it('accepts exactly 64 KiB and closes 1009 at 64 KiB + 1 byte', async () => {
    const client = await connect('size');
    const exact = pingOfSize(64 * 1024);
    expect(Buffer.byteLength(exact)).toBe(65536);
    client.send(exact);
    await client.next('pong');
    client.send(pingOfSize(64 * 1024 + 1));
    expect((await client.closed).code).toBe(1009);
  });
});

describe('connections per user', () => {
  it('allows 10 and closes the 11th with 4008', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => connect('many-tabs')));
    const eleventh = await closeOf(server.wsUrl('/api/v1/ws', await server.token('many-tabs')));
    expect(eleventh).toEqual({ code: 4008, reason: 'Too many connections' });
    // The first ten are unaffected, and a slot frees up when one leaves.
    await clients[0]!.roundTrip();
    await clients[9]!.close();
    const replacement = await connect('many-tabs');
    await replacement.roundTrip();
    await Promise.all([...clients.slice(0, 9), replacement].map((c) => c.close()));
  });
});

describe('rate limit', () => {
  it('passes a burst of 50 and refuses the 51st with rate_limited', async () => {
    const client = await connect('bursty');
    for (let i = 0; i < 51; i++) client.send({ type: 'ping', ref: `p${i}` });
    const error = await client.next('error');
    expect(error).toMatchObject({ code: 'rate_limited' });
    expect(client.all('pong').length).toBe(50);
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
    await client.close();
  });

  it('closes 4008 after 3 s of continuous excess, even if some messages trickle through', async () => {
    const client = await connect('flooder');
    const started = Date.now();
    const timer = setInterval(() => {
      if (client.ws.readyState === WebSocket.OPEN) for (let i = 0; i < 10; i++) client.send({ type: 'ping' });
    }, 10);
    try {
      expect(await client.closed).toEqual({ code: 4008, reason: 'Rate limit exceeded' });
    } finally {
      clearInterval(timer);
    }
    // Burst of 50 lasts ~50 ms at this pace, then 3 s of excess.
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    expect(client.all('pong').length).toBeGreaterThan(50);
  });

  it('token bucket edges (pure)', () => {
    const T = 1_000_000;
    const limit = { rateLimitPerSecond: 20, rateLimitBurst: 50, rateLimitAbuseMs: 3000 };
    const state = { rateTokens: 50, rateRefilledAt: T, rateExcessSince: 0, rateRejectedAt: 0 };
    for (let i = 0; i < 50; i++) expect(takeToken(state, limit, T)).toBe('ok');
    expect(takeToken(state, limit, T)).toBe('limited');
    expect(takeToken(state, limit, T + 49)).toBe('limited'); // 0.98 tokens refilled
    expect(takeToken(state, limit, T + 50)).toBe('ok'); // one token back after 50 ms
    // 100 messages/s against 20/s: some pass, the excess run started at T never pauses.
    const verdicts: Array<[number, string]> = [];
    for (let now = T + 60; now <= T + 3010; now += 10) verdicts.push([now, takeToken(state, limit, now)]);
    expect(verdicts.some(([, v]) => v === 'ok')).toBe(true);
    expect(verdicts.filter(([now, v]) => v === 'abuse' && now < T + 3000)).toEqual([]);
    expect(verdicts.some(([, v]) => v === 'abuse')).toBe(true);

    // A pause in rejections longer than EXCESS_GAP_MS starts a new run.
    const slow = { rateLimitPerSecond: 1, rateLimitBurst: 1, rateLimitAbuseMs: 3000 };
    const calm = { rateTokens: 0, rateRefilledAt: T, rateExcessSince: 0, rateRejectedAt: 0 };
    expect(takeToken(calm, slow, T)).toBe('limited');
    expect(calm.rateExcessSince).toBe(T);
    const later = T + EXCESS_GAP_MS + 1;
    expect(takeToken(calm, slow, later)).toBe('ok');
    expect(takeToken(calm, slow, later)).toBe('limited');
    expect(calm.rateExcessSince).toBe(later);
  });
});

describe('malformed messages', () => {
  it('answers 10 malformed messages with errors and closes 4002 at the 11th', async () => {
    const client = await connect('sloppy');
    for (let i = 0; i < 10; i++) client.send('{not json');
    await client.roundTrip();
    expect(client.all('error').map((e) => e.code)).toEqual(Array(10).fill('invalid_json'));
    client.send({ type: 'no_such_type' });
    expect(await client.closed).toEqual({ code: 4002, reason: 'Too many malformed messages' });
  });

  it('does not count forbidden/not-member errors as malformed', async () => {
    const client = await connect('not-member');
    for (let i = 0; i < 15; i++) client.send({ type: 'message', room: 'nope', text: 'hi' });
    await client.roundTrip();
    expect(client.all('error').length).toBe(15);
    await client.close();
  });

  it('counts per 60 s window (pure)', () => {
    const T = 1_000_000;
    const limit = { malformedLimit: 10, malformedWindowMs: 60_000 };
    const state = { malformedCount: 0, malformedWindowStart: 0 };
    for (let i = 0; i < 10; i++) expect(countMalformed(state, limit, T)).toBe(false);
    expect(countMalformed(state, limit, T + 59_999)).toBe(true); // the 11th within 60 s
    const fresh = { malformedCount: 0, malformedWindowStart: 0 };
    for (let i = 0; i < 10; i++) countMalformed(fresh, limit, T);
    expect(countMalformed(fresh, limit, T + 60_000)).toBe(false); // a new window began
  });
});

describe('slow consumer', () => {
  it('cuts a client that stops reading with 4009 and keeps at most ~1 MiB queued for it', async () => {
    const reader = await connect('slow-reader');
    reader.ws.pause();
    const frame = encodeMessage({ type: 'bulk', data: 'x'.repeat(16 * 1024) });
    let bytesReceived = 0;
    reader.ws.on('message', (data: Buffer) => {
      bytesReceived += data.length;
    });
    const published = 64 * 1024 * 1024;
    for (let sent = 0; sent < published; sent += frame.length * 16) {
      for (let i = 0; i < 16; i++) await server.server.layer.sendToUser('slow-reader', frame);
      await nextTurn();
    }
    reader.ws.resume();
    expect(await reader.closed).toEqual({ code: 4009, reason: 'Slow consumer' });
    // Everything the client got fits in the server's 1 MiB plus the kernel's socket buffers.
    expect(bytesReceived).toBeGreaterThan(1024 * 1024);
    expect(bytesReceived).toBeLessThan(16 * 1024 * 1024);
  });

  it('answers pings, and cuts a client that pings without reading the pongs with 4009', async () => {
    const pinger = await connect('ping-reader');
    const pong = new Promise<Buffer>((resolve) => pinger.ws.once('pong', resolve));
    pinger.ws.ping('are you there');
    expect((await pong).toString()).toBe('are you there');

    pinger.ws.pause();
    const payload = Buffer.alloc(125, 'p');
    let pongBytes = 0;
    pinger.ws.on('pong', (data: Buffer) => {
      pongBytes += data.length;
    });
    // 32 MiB of pongs asked for; the server keeps at most 1 MiB beyond the kernel's buffers.
    for (let sent = 0; sent < 32 * 1024 * 1024 && pinger.ws.readyState === WebSocket.OPEN; sent += payload.length * 256) {
      for (let i = 0; i < 256; i++) pinger.ws.ping(payload);
      await nextTurn();
    }
    pinger.ws.resume();
    expect(await pinger.closed).toEqual({ code: 4009, reason: 'Slow consumer' });
    expect(pongBytes).toBeGreaterThan(1024 * 1024);
    expect(pongBytes).toBeLessThan(16 * 1024 * 1024);
  });

  it('leaves a reading client alone under the same load', async () => {
    const reader = await connect('fast-reader');
    const frame = encodeMessage({ type: 'bulk', data: 'x'.repeat(16 * 1024) });
    // 4 MiB in total, at most 256 KiB in flight: the client keeps up, so it is never cut.
    for (let batch = 0; batch < 16; batch++) {
      for (let i = 0; i < 16; i++) await server.server.layer.groupSend(userGroup('fast-reader'), frame);
      for (let i = 0; i < 16; i++) await reader.next('bulk');
    }
    await reader.roundTrip();
    expect(reader.all('bulk').length).toBe(256);
    await reader.close();
  });
});

describe('handshake checks', () => {
  it('closes 1011 when an endpoint fails to build its consumer, and keeps serving', async () => {
    class BrokenConsumer extends Consumer {
      constructor(init: ConnectionInit) {
        super(init);
        throw new Error('broken on purpose');
      }
    }
    const broken: App = { name: 'broken', routes: [{ path: '/ws/broken/', consumer: BrokenConsumer }] };
    const withBroken = await startServer({}, { apps: [...builtinApps(), broken] });
    try {
      const token = await withBroken.token('broken');
      expect(await closeOf(withBroken.wsUrl('/ws/broken/', token))).toEqual({ code: 1011, reason: 'Internal error' });
      const healthy = await TestClient.connect(withBroken.wsUrl('/api/v1/ws', token));
      expect(await healthy.next('system')).toMatchObject({ user_id: 'broken' });
      await healthy.close();
    } finally {
      await withBroken.stop();
    }
  });

  it('refuses a foreign Origin with HTTP 403 and allows localhost and its own host', async () => {
    const token = await server.token('origin');
    const url = server.wsUrl('/api/v1/ws', token);
    expect(await upgradeStatus(url, { headers: { Origin: 'http://evil.example' } })).toBe(403);
    for (const origin of ['http://localhost:5173', `http://127.0.0.1:${server.port}`]) {
      const client = await TestClient.connect(url, { headers: { Origin: origin } });
      await client.next('system');
      await client.close();
    }
  });

  it('with allowedOrigins configured, only those and its own host pass', async () => {
    const strict = await startServer({ allowedOrigins: ['https://app.example'] });
    try {
      const url = strict.wsUrl('/api/v1/ws', await strict.token('origin'));
      expect(await upgradeStatus(url, { headers: { Origin: 'http://localhost:5173' } })).toBe(403);
      const client = await TestClient.connect(url, { headers: { Origin: 'https://app.example' } });
      await client.next('system');
      await client.close();
    } finally {
      await strict.stop();
    }
  });

  it('answers 404 for a path with no endpoint', async () => {
    expect(await upgradeStatus(server.wsUrl('/ws/nothing-here/', await server.token('x')))).toBe(404);
  });
});

describe('liveness', () => {
  it('terminates a connection that stops answering pings and keeps one that answers', async () => {
    const quick = await startServer({ heartbeatIntervalMs: 100, connectionTimeoutMs: 400 });
    try {
      const url = quick.wsUrl('/api/v1/ws', await quick.token('heartbeat'));
      const silent = new TestClient(url, { autoPong: false });
      const alive = new TestClient(url);
      await Promise.all([silent.next('system'), alive.next('system')]);
      expect((await silent.closed).code).toBe(1006);
      // The answering client connected at the same time and outlived the silent one.
      await alive.roundTrip();
      await alive.close();
    } finally {
      await quick.stop();
    }
  });
});
