/**
 * The client SDK against the real server on the seed-001 rooms endpoint `/api/v1/ws`,
 * over real sockets (`ws` as the WebSocket): the handshake, pooling, requests,
 * reconnecting after a server restart, the offline queue, and the heartbeat.
 * Network failures the server cannot cause itself go through a real TCP proxy.
 */
import { ROOMS_PATH } from '@switchboard/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../server/test/support/client.js';
import { signTestToken, startServer, type TestServer } from '../../server/test/support/server.js';
import { ConnectionClosedError, RequestError, SendQueueFullError, type SwitchboardClient } from '../src/index.js';
import { baseUrl, createClient } from './support/clients.js';
import { Counter, Gate, Recorder } from './support/recorder.js';
import { TcpProxy } from './support/tcp-proxy.js';

let server: TestServer;
const clients: SwitchboardClient[] = [];
const proxies: TcpProxy[] = [];

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnectAll();
  for (const proxy of proxies.splice(0)) await proxy.close();
});

function client(userId: string, options: Parameters<typeof createClient>[1] = {}, url = baseUrl(server.port)): SwitchboardClient {
  const created = createClient(url, { getToken: () => signTestToken(userId), ...options });
  clients.push(created);
  return created;
}

async function proxy(): Promise<TcpProxy> {
  const started = await TcpProxy.start(server.port);
  proxies.push(started);
  return started;
}

async function observer(userId: string, room: string): Promise<TestClient> {
  const ws = await TestClient.connect(server.wsUrl(ROOMS_PATH, await server.token(userId)));
  await ws.next('system');
  ws.send({ type: 'join_room', room });
  await ws.next((m) => m.message === `${userId} joined`);
  return ws;
}

/** Resolves when the server has closed its side of the next connection that closes. */
function serverSideClose(target = server): Promise<void> {
  return new Promise((resolve) => {
    const off = target.server.onConnectionEvent('close', () => {
      off();
      resolve();
    });
  });
}

describe('connecting', () => {
  it('connects to /api/v1/ws with the token from getToken and receives the system welcome', async () => {
    const requests: unknown[] = [];
    const rooms = client('alice', {
      getToken: async (request) => {
        requests.push(request);
        return signTestToken('alice');
      },
    }).rooms();
    const recorder = new Recorder(rooms);
    const welcome = await recorder.nextMessage('system');
    expect(welcome).toMatchObject({ type: 'system', message: 'Connected successfully', user_id: 'alice' });
    await recorder.nextState('open');
    expect(recorder.states).toEqual(['open']);
    expect(rooms.state).toBe('open');
    expect(requests).toEqual([{ path: ROOMS_PATH, refresh: false }]);
  });

  it('is open only once the server confirmed: the welcome (sent by onConnect) arrives first', async () => {
    const rooms = client('alice').rooms();
    const order: string[] = [];
    rooms.on('system', () => order.push('welcome'));
    rooms.on('state', (change) => order.push(change.state));
    await new Recorder(rooms).nextState('open');
    expect(order).toEqual(['welcome', 'open']);
  });
});

describe('pooling', () => {
  it('one connection per path, shared by every subscriber, closed by the last release', async () => {
    const sb = client('alice');
    const openedBefore = server.server.stats.connectionsOpened;
    const first = sb.connection(ROOMS_PATH);
    const second = sb.connection('/api/v1/ws');
    expect(second).toBe(first);
    const seenBySubscriber: string[] = [];
    const unsubscribe = sb.subscribe(ROOMS_PATH, 'message', (message) => seenBySubscriber.push(String(message.text)));
    expect(sb.connection(ROOMS_PATH)).toBe(first);
    sb.release(ROOMS_PATH);

    const recorder = new Recorder(first);
    await recorder.nextState('open');
    await first.request('join_room', { room: 'pool' });
    await first.request('message', { room: 'pool', text: 'to both' });
    await recorder.nextMessage((m) => m.type === 'message' && m.text === 'to both');
    expect(seenBySubscriber).toEqual(['to both']);
    expect(server.server.stats.connectionsOpened - openedBefore).toBe(1);

    // Three references (two connection() calls and the subscription): two releases keep it open.
    first.release();
    unsubscribe();
    unsubscribe();
    expect(first.state).toBe('open');
    await first.request('message', { room: 'pool', text: 'still open' });
    expect(seenBySubscriber).toEqual(['to both']);

    const closedOnServer = serverSideClose();
    second.release();
    expect(first.state).toBe('closed');
    expect(sb.paths).toEqual([]);
    await closedOnServer;
    expect(() => first.send('message', { room: 'pool', text: 'late' })).toThrow(ConnectionClosedError);

    // The next subscriber gets a fresh connection.
    const again = sb.connection(ROOMS_PATH);
    expect(again).not.toBe(first);
    await new Recorder(again).nextState('open');
  });

  it('disconnectAll closes every pooled connection with 1000', async () => {
    const sb = client('alice');
    const rooms = sb.rooms();
    const health = sb.health();
    const roomsStates = new Recorder(rooms);
    const healthStates = new Recorder(health);
    await Promise.all([roomsStates.nextState('open'), healthStates.nextState('open')]);
    sb.disconnectAll();
    expect([rooms.state, health.state]).toEqual(['closed', 'closed']);
    expect(await roomsStates.nextState('closed')).toMatchObject({ code: 1000, gaveUp: 'client' });
    expect(sb.paths).toEqual([]);
  });
});

describe('requests', () => {
  it('send adds a ref; request resolves with the reply carrying it', async () => {
    const rooms = client('alice').rooms();
    const recorder = new Recorder(rooms);
    const ref = rooms.send('join_room', { room: 'refs' });
    const joined = await recorder.nextMessage((m) => m.type === 'system' && m.room === 'refs');
    expect(joined.ref).toBe(ref);
    const reply = await rooms.request('message', { room: 'refs', text: 'hello' });
    expect(reply).toMatchObject({ type: 'message', from: 'alice', room: 'refs', text: 'hello' });
    expect(typeof reply.ref).toBe('string');
    expect(reply.ref).not.toBe(ref);
  });

  it('rejects with the server error (code and message) for the same ref', async () => {
    const rooms = client('alice').rooms();
    const recorder = new Recorder(rooms);
    const failure = rooms.request('message', { room: 'not-joined', text: 'hi' });
    await expect(failure).rejects.toBeInstanceOf(RequestError);
    await expect(failure).rejects.toMatchObject({ code: 'forbidden' });
    // The error is still dispatched to `error` handlers.
    expect(await recorder.nextMessage('error')).toMatchObject({ code: 'forbidden' });
  });

  it('rejects when the reply does not come in time (typing has no reply)', async () => {
    const rooms = client('alice').rooms();
    await rooms.request('join_room', { room: 'quiet' });
    await expect(rooms.request('typing', { room: 'quiet', is_typing: true }, { timeoutMs: 50 })).rejects.toMatchObject({
      name: 'RequestTimeoutError',
      sent: true,
    });
  });
});

describe('reconnecting', () => {
  it('reconnects with backoff after a server restart on the same port; rooms can be joined again', async () => {
    const first = await startServer();
    const sb = client('alice', {}, baseUrl(first.port));
    const rooms = sb.rooms();
    const recorder = new Recorder(rooms);
    await rooms.request('join_room', { room: 'restart' });
    await recorder.nextState('open');

    await first.stop();
    expect(await recorder.nextState('reconnecting')).toMatchObject({ code: 1001, reason: 'Server shutting down' });
    // Nothing listens on the port: attempts fail and back off until the new server is up.
    await new Promise<void>((resolve) => {
      const off = rooms.on('retry', (retry) => retry.attempt >= 2 && (off(), resolve()));
    });
    const second = await startServer({ port: first.port });
    try {
      await recorder.nextState('open');
      expect(recorder.states).toEqual(['open', 'reconnecting', 'open']);
      expect(recorder.retries[0]).toMatchObject({ attempt: 1, code: 1001, refreshToken: false });
      expect(recorder.retries[1]).toMatchObject({ attempt: 2, code: 1006 });
      for (const retry of recorder.retries) expect(retry.delayMs).toBeLessThan(200);
      expect(await recorder.nextMessage((m) => m.type === 'system' && m.message === 'Connected successfully')).toBeTruthy();

      const joined = await rooms.request('join_room', { room: 'restart' });
      expect(joined).toMatchObject({ room: 'restart', members: ['alice'], member_count: 1 });
    } finally {
      sb.disconnectAll();
      await second.stop();
    }
  });

  it('queued sends are flushed on open, after what the open listener sends, and reach the room exactly once', async () => {
    // In the room first, so alice's join cannot come before bob's and go unseen.
    const bob = await observer('bob', 'queue');
    const tcp = await proxy();
    const reconnecting = new Counter();
    const gate = new Gate();
    let calls = 0;
    const rooms = client(
      'alice',
      {
        maxQueuedMessages: 3,
        getToken: async () => {
          if (++calls > 1) {
            reconnecting.signal();
            await gate.opened;
          }
          return signTestToken('alice');
        },
      },
      baseUrl(tcp.port),
    ).rooms();
    // Room membership belongs to a connection: re-join on every open.
    rooms.on('state', (change) => change.state === 'open' && rooms.send('join_room', { room: 'queue' }));
    const recorder = new Recorder(rooms);
    await bob.next((m) => m.message === 'alice joined');

    tcp.cut();
    await recorder.nextState('reconnecting');
    await reconnecting.reached(1);
    for (const text of ['one', 'two', 'three']) rooms.send('message', { room: 'queue', text });
    expect(rooms.queued).toBe(3);
    expect(() => rooms.send('message', { room: 'queue', text: 'four' })).toThrow(SendQueueFullError);

    gate.open();
    await recorder.nextState('open');
    expect(rooms.queued).toBe(0);
    await rooms.request('message', { room: 'queue', text: 'end' });
    await bob.next((m) => m.type === 'message' && m.text === 'end');
    expect(bob.all('message').map((m) => m.text)).toEqual(['one', 'two', 'three', 'end']);
    // The re-join went out before the queued messages (else the server would have answered forbidden).
    expect(recorder.messages.filter((m) => m.type === 'error')).toEqual([]);
    await bob.close();
  });

  it('a request sent before a drop rejects with ConnectionLostError (it may or may not have been handled)', async () => {
    const tcp = await proxy();
    const rooms = client('alice', {}, baseUrl(tcp.port)).rooms();
    await rooms.request('join_room', { room: 'lost' });
    tcp.blackhole('replies');
    const pending = rooms.request('message', { room: 'lost', text: 'into the void' });
    tcp.cut();
    await expect(pending).rejects.toMatchObject({ name: 'ConnectionLostError', type: 'message' });
  });

  it('detects a silent dead connection with the heartbeat and reconnects', async () => {
    const tcp = await proxy();
    const rooms = client('alice', { heartbeat: { pingIntervalMs: 100, pongTimeoutMs: 100 } }, baseUrl(tcp.port)).rooms();
    const recorder = new Recorder(rooms);
    await recorder.nextState('open');
    // Quiet for more than an interval: pings are answered, the connection stays open.
    await rooms.request('ping', {}, { timeoutMs: 1000 });
    tcp.blackhole();
    expect(await recorder.nextState('reconnecting', 2000)).toMatchObject({ code: 1006, reason: 'Heartbeat timeout' });
    await tcp.accepted(2);
    await recorder.nextState('open');
    expect(recorder.states).toEqual(['open', 'reconnecting', 'open']);
  });
});

describe('tokens (4001)', () => {
  it('asks getToken for a fresh token after 4001 and reconnects with it', async () => {
    const requests: Array<{ refresh: boolean }> = [];
    const rooms = client('alice', {
      getToken: async (request) => {
        requests.push(request);
        return signTestToken('alice', { expiresInSeconds: requests.length === 1 ? -60 : 3600 });
      },
    }).rooms();
    const recorder = new Recorder(rooms);
    expect(await recorder.nextState('reconnecting')).toMatchObject({ code: 4001, reason: 'Token expired' });
    await recorder.nextState('open');
    expect(recorder.states).toEqual(['reconnecting', 'open']);
    expect(recorder.retries).toEqual([expect.objectContaining({ attempt: 1, delayMs: 0, code: 4001, refreshToken: true })]);
    expect(requests.map((r) => r.refresh)).toEqual([false, true]);
    expect(await recorder.nextMessage('system')).toMatchObject({ message: 'Connected successfully', user_id: 'alice' });
  });

  it('a live connection closed with 4001 (logout, expiry) reconnects with a fresh token', async () => {
    const refreshes: boolean[] = [];
    const rooms = client('carol', {
      getToken: (request) => {
        refreshes.push(request.refresh);
        return signTestToken('carol');
      },
    }).rooms();
    const recorder = new Recorder(rooms);
    await recorder.nextState('open');
    server.server.closeUserConnections('carol', 4001, 'Logged out');
    expect(await recorder.nextState('reconnecting')).toMatchObject({ code: 4001, reason: 'Logged out' });
    await recorder.nextState('open');
    expect(refreshes).toEqual([false, true]);
  });

  it('gives up after maxAuthFailures consecutive 4001s', async () => {
    let calls = 0;
    const rooms = client('alice', {
      reconnect: { maxAuthFailures: 3 },
      getToken: () => {
        calls++;
        return 'not-a-jwt';
      },
    }).rooms();
    const recorder = new Recorder(rooms);
    const closed = await recorder.nextState('closed');
    expect(closed).toMatchObject({ code: 4001, reason: 'Authentication failed', gaveUp: 'auth_failed' });
    // State events fire on changes only; each attempt is a `retry` event.
    expect(recorder.states).toEqual(['reconnecting', 'closed']);
    expect(recorder.retries.map((r) => [r.attempt, r.code, r.refreshToken])).toEqual([
      [1, 4001, true],
      [2, 4001, true],
    ]);
    expect(calls).toBe(3);
    expect(() => rooms.send('join_room', { room: 'x' })).toThrow(ConnectionClosedError);
  });
});
