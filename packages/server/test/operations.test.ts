/**
 * Connection records and `GET /api/admin/stats` over real sockets and real HTTP, on
 * SQLite and on PostgreSQL: records written in batches off the connect path and closed
 * with the close code, a burst of connects, crash recovery of an instance id, dead
 * instances, and the staff-only stats with figures matching the sockets opened.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { builtinApps } from '../src/apps/index.js';
import { operationsApp, type OperationsOptions } from '../src/apps/operations/index.js';
import type { ServerOptions } from '../src/core/options.js';
import { ConnectionRecordRepository } from '../src/store/connections.js';
import type { ConnectionRecordsTable } from '../src/store/schema-operations.js';
import { SERVER_VERSION } from '../src/version.js';
import { uniqueName } from './support/accounts.js';
import { TestClient } from './support/client.js';
import { DIALECTS, databaseUrl } from './support/databases.js';
import { eventually } from './support/eventually.js';
import { createChannel, createWorkspace } from './support/fixtures.js';
import { request } from './support/http.js';
import { startServer, type TestServer } from './support/server.js';

const ROOMS = '/api/v1/ws';
const NOTIFICATIONS = '/ws/notifications/';
/** Short flushes keep the tests quick; the default (1 s) behaves the same, only later. */
const FAST: OperationsOptions = { flushIntervalMs: 100 };

/** The built-in apps plus operations (unless apps/index.ts registers it already). */
function apps(options: OperationsOptions = FAST) {
  return [...builtinApps().filter((app) => app.name !== 'operations'), operationsApp(options)];
}

function start(options: Partial<ServerOptions>, operations?: OperationsOptions): Promise<TestServer> {
  return startServer(options, { apps: apps(operations) });
}

function recordsOf(server: TestServer, userIds: readonly string[]): Promise<ConnectionRecordsTable[]> {
  return server.server.store.db.selectFrom('connection_records').selectAll().where('user_id', 'in', userIds).orderBy('connected_at').execute();
}

async function rooms(server: TestServer, userId: string): Promise<TestClient> {
  const client = await TestClient.connect(server.wsUrl(ROOMS, await server.token(userId)));
  // The welcome is sent from onConnect, after presence counted the connection.
  await client.next('system');
  return client;
}

describe.each(DIALECTS)('connection records on %s', (dialect) => {
  let server: TestServer;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    server = await start({ databaseUrl: await databaseUrl(dialect), instanceId: `records-${dialect}` });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.ws.terminate();
  });
  afterAll(() => server.stop());

  it('records a connection with route, params and instance, and closes it with the close code', async () => {
    const alice = uniqueName('alice');
    const token = await server.token(alice);
    const workspaceId = await createWorkspace(server, { token }, { name: 'ops' });
    const channelId = await createChannel(server, { token }, workspaceId, { type: 'public' });

    const roomsClient = await rooms(server, alice);
    const channelClient = await TestClient.connect(server.wsUrl(`/ws/channels/${channelId}/`, token));
    clients.push(roomsClient, channelClient);
    await channelClient.next('presence');

    const open = await eventually(() => recordsOf(server, [alice]), (rows) => rows.length === 2, 'two open records');
    const byRoute = new Map(open.map((row) => [row.route, row]));
    expect(byRoute.get(ROOMS)).toMatchObject({ user_id: alice, instance_id: `records-${dialect}`, params: '{}', disconnected_at: null, close_code: null });
    const channelRecord = byRoute.get('/ws/channels/:channel_id/');
    expect(channelRecord).toMatchObject({ user_id: alice, disconnected_at: null, close_code: null });
    expect(JSON.parse(channelRecord!.params)).toEqual({ channel_id: channelId });
    for (const row of open) {
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(Date.parse(row.connected_at)).toBeLessThanOrEqual(Date.now());
    }

    // Client-chosen codes prove the recorded code is the connection's own.
    await roomsClient.close(4100);
    await channelClient.close(4200);
    const closed = await eventually(
      () => recordsOf(server, [alice]),
      (rows) => rows.every((row) => row.disconnected_at !== null),
      'closed records',
    );
    expect(new Map(closed.map((row) => [row.route, Number(row.close_code)]))).toEqual(
      new Map([
        [ROOMS, 4100],
        ['/ws/channels/:channel_id/', 4200],
      ]),
    );
    for (const row of closed) expect(row.disconnected_at! >= row.connected_at).toBe(true);
  });

  it('records a burst of 200 connects and their closes', async () => {
    const users = Array.from({ length: 20 }, () => uniqueName('burst'));
    const tokens = await Promise.all(users.map((user) => server.token(user)));
    const burst = await Promise.all(
      Array.from({ length: 200 }, (_, i) => TestClient.connect(server.wsUrl(ROOMS, tokens[i % users.length]))),
    );
    clients.push(...burst);
    await Promise.all(burst.map((client) => client.next('system')));

    const open = await eventually(() => recordsOf(server, users), (rows) => rows.length === 200, '200 records');
    expect(open.every((row) => row.disconnected_at === null && row.route === ROOMS)).toBe(true);
    expect(new Set(open.map((row) => row.id)).size).toBe(200);
    expect(new Set(open.map((row) => row.user_id))).toEqual(new Set(users));

    await Promise.all(burst.map((client) => client.close(1000)));
    const closed = await eventually(
      () => recordsOf(server, users),
      (rows) => rows.every((row) => row.disconnected_at !== null),
      '200 closed records',
    );
    expect(closed).toHaveLength(200);
    expect(closed.every((row) => Number(row.close_code) === 1000)).toBe(true);
  });

  it('records connections that open and close between two flushes', async () => {
    const user = uniqueName('brief');
    const client = await rooms(server, user);
    await client.close(4321);
    const [row] = await eventually(() => recordsOf(server, [user]), (rows) => rows.length === 1 && rows[0]!.disconnected_at !== null, 'a closed record');
    expect(Number(row!.close_code)).toBe(4321);
  });

  it('does not record a connection refused before it opened (per-user limit, 4008)', async () => {
    const limited = await start({ databaseUrl: await databaseUrl(dialect), maxConnectionsPerUser: 1 });
    try {
      const user = uniqueName('refused');
      const first = await rooms(limited, user);
      const second = new TestClient(limited.wsUrl(ROOMS, await limited.token(user)));
      expect((await second.closed).code).toBe(4008);
      await first.close(1000);
      // Events are written in order: once the first connection's close is visible, a
      // record of the refused one would be too.
      const rows = await eventually(
        () => recordsOf(limited, [user]),
        (found) => found.length > 0 && found.every((row) => row.disconnected_at !== null),
        'the first record closed',
      );
      expect(rows).toHaveLength(1);
      expect(Number(rows[0]!.close_code)).toBe(1000);
    } finally {
      await limited.stop();
    }
  });
});

describe.each(DIALECTS)('instances on %s', (dialect) => {
  it('closes the records a crashed run of the same instance id left open, with no close code', async () => {
    const url = await databaseUrl(dialect);
    const crashed = await start({ databaseUrl: url, instanceId: 'node-a' });
    const user = uniqueName('crash');
    const client = await rooms(crashed, user);
    try {
      await eventually(() => recordsOf(crashed, [user]), (rows) => rows.length === 1, 'the open record');
      // The same instance id starting again on the same database: the old run is gone.
      const restarted = await start({ databaseUrl: url, instanceId: 'node-a' });
      try {
        const [row] = await recordsOf(restarted, [user]);
        expect(row!.disconnected_at).not.toBeNull();
        expect(row!.close_code).toBeNull();
      } finally {
        await restarted.stop();
      }
    } finally {
      client.ws.terminate();
      await crashed.stop();
    }
  });

  it('leaves other instances alone, ignores instances without a fresh heartbeat, and closes their records on cleanup', async () => {
    const server = await start({ databaseUrl: await databaseUrl(dialect), instanceId: 'live-node' });
    const records = new ConnectionRecordRepository(server.server.store.db);
    try {
      const long = new Date(Date.now() - 10 * 60_000).toISOString();
      await records.heartbeat({ instanceId: 'dead-node', version: '0.0.1', startedAt: long }, long);
      const ghost = { connection_id: 1, user_id: 'ghost', route: ROOMS, params: '{}', instance_id: 'dead-node', connected_at: long, disconnected_at: null, close_code: null };
      await records.write([{ ...ghost, id: randomUUID() }, { ...ghost, id: randomUUID(), connection_id: 2 }], []);
      const user = uniqueName('live');
      const client = await rooms(server, user);
      await eventually(() => recordsOf(server, [user]), (rows) => rows.length === 1, 'the live record');

      const summary = await records.liveSummary(new Date(Date.now() - 60_000).toISOString());
      expect(summary.instances.map((i) => i.instance_id)).toEqual(['live-node']);
      expect(summary.routes).toEqual([{ route: ROOMS, instance_id: 'live-node', connections: 1 }]);
      expect(summary).toMatchObject({ connections: 1, users: 1 });

      const cleanup = await records.closeDeadInstances(new Date(Date.now() - 60_000).toISOString(), new Date().toISOString());
      expect(cleanup).toEqual({ closedRecords: 2, removedInstances: 1 });
      expect((await recordsOf(server, ['ghost'])).every((row) => row.disconnected_at !== null && row.close_code === null)).toBe(true);
      expect((await recordsOf(server, [user]))[0]!.disconnected_at).toBeNull();

      // Deleting closed records keeps the open one.
      expect(await records.deleteClosedBefore(new Date(Date.now() + 1000).toISOString())).toBe(2);
      expect(await recordsOf(server, ['ghost', user])).toHaveLength(1);
      await client.close(1000);
    } finally {
      await server.stop();
    }
  });

  it('on shutdown closes its records and removes its heartbeat', async () => {
    const url = await databaseUrl(dialect);
    const server = await start({ databaseUrl: url, instanceId: 'stopping-node' });
    const user = uniqueName('shutdown');
    const client = await rooms(server, user);
    await eventually(() => recordsOf(server, [user]), (rows) => rows.length === 1, 'the open record');
    const observer = await start({ databaseUrl: url, instanceId: 'observer-node' });
    try {
      await server.stop();
      expect((await client.closed).code).toBe(1001);
      const [row] = await recordsOf(observer, [user]);
      expect(row!.disconnected_at).not.toBeNull();
      expect(Number(row!.close_code)).toBe(1001);
      const instances = await observer.server.store.db.selectFrom('server_instances').select('instance_id').execute();
      expect(instances.map((i) => i.instance_id)).toEqual(['observer-node']);
    } finally {
      await observer.stop();
    }
  });
});

describe.each(DIALECTS)('GET /api/admin/stats on %s', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await start({ databaseUrl: await databaseUrl(dialect), instanceId: `stats-${dialect}` });
  });
  afterAll(() => server.stop());

  it('needs a token (401) of a staff user (403)', async () => {
    expect(await request(server, 'GET', '/api/admin/stats')).toEqual({ status: 401, body: { error: { code: 'unauthenticated', message: expect.any(String) } } });
    expect((await request(server, 'GET', '/api/admin/stats', { token: 'not-a-jwt' })).status).toBe(401);
    const expired = await server.token('staff', { is_staff: true, expiresInSeconds: -60 });
    expect((await request(server, 'GET', '/api/admin/stats', { token: expired })).status).toBe(401);
    const member = await request(server, 'GET', '/api/admin/stats', { token: await server.token('member') });
    expect(member).toEqual({ status: 403, body: { error: { code: 'forbidden', message: 'Staff only' } } });
    expect((await request(server, 'GET', '/api/admin/stats', { token: await server.token('staff', { is_staff: true }) })).status).toBe(200);
  });

  it('reports the connections, users, routes and messages of the sockets opened', async () => {
    const staff = await server.token('stats-staff', { is_staff: true });
    const stats = () => request(server, 'GET', '/api/admin/stats', { token: staff }).then((reply) => reply.body);
    const before = await stats();
    expect(before.cluster).toMatchObject({ connections: 0, users: 0, recorded_connections: 0, routes: [] });

    const [ann, bob] = [uniqueName('ann'), uniqueName('bob')];
    const annRooms = await rooms(server, ann);
    const annRooms2 = await rooms(server, ann);
    const bobRooms = await rooms(server, bob);
    const bobNotifications = await TestClient.connect(server.wsUrl(NOTIFICATIONS, await server.token(bob)));
    await bobNotifications.next('unread_count');
    await annRooms.roundTrip();
    await bobRooms.roundTrip();
    await bobNotifications.roundTrip();

    const live = await eventually(stats, (body) => body.cluster.recorded_connections === 4, 'four recorded connections');
    expect(live.version).toBe(SERVER_VERSION);
    expect(Date.parse(live.generated_at)).not.toBeNaN();
    expect(live.cluster).toEqual({
      connections: 4,
      users: 2,
      recorded_connections: 4,
      routes: [
        { route: ROOMS, instance_id: `stats-${dialect}`, connections: 3 },
        { route: NOTIFICATIONS, instance_id: `stats-${dialect}`, connections: 1 },
      ].sort((a, b) => (a.route < b.route ? -1 : 1)),
      instances: [
        {
          instance_id: `stats-${dialect}`,
          version: SERVER_VERSION,
          started_at: live.instance.started_at,
          last_seen_at: expect.any(String),
          connections: 4,
        },
      ],
    });
    expect(live.instance).toMatchObject({ instance_id: `stats-${dialect}`, connections: 4 });
    expect(live.instance.uptime_seconds).toBeGreaterThanOrEqual(0);
    // Three pings since the first snapshot; out: at least the welcomes, unread_count and pongs.
    expect(live.instance.messages_in - before.instance.messages_in).toBe(3);
    expect(live.instance.messages_out - before.instance.messages_out).toBeGreaterThanOrEqual(7);
    expect(live.instance.bytes_out).toBeGreaterThan(before.instance.bytes_out);

    await annRooms2.close(1000);
    await bobNotifications.close(1000);
    const after = await eventually(
      stats,
      (body) => body.cluster.recorded_connections === 2 && body.cluster.connections === 2,
      'two connections after two closes',
    );
    expect(after.cluster).toMatchObject({
      users: 2,
      routes: [{ route: ROOMS, instance_id: `stats-${dialect}`, connections: 2 }],
    });
    await annRooms.close(1000);
    await bobRooms.close(1000);
  });
});
