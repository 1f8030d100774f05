/**
 * The operations commands as real processes: `seed-demo` (twice, idempotent), and
 * `monitor` / `cleanup` against a live `serve` process with real sockets, on SQLite and
 * PostgreSQL; crash recovery after a SIGKILL; `cleanup` purging expired revoked tokens.
 */
import { randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionRecordRepository } from '../src/store/connections.js';
import { Store } from '../src/store/store.js';
import { killAll, removeTempDirs, runCli, spawnCli, startServe, tempDir, type CliResult, type ServeProcess } from './support/cli.js';
import { TestClient } from './support/client.js';
import { DIALECTS, databaseUrl, type DialectName } from './support/databases.js';
import { eventually } from './support/eventually.js';
import { freePort } from './support/ports.js';
import { TEST_SECRET, signTestToken } from './support/server.js';

const ROOMS = '/api/v1/ws';
/** Each test starts several Node processes; generous on a loaded two-core machine. */
const PROCESSES = { timeout: 90_000 };
/** How long a `serve` process may take to write connection records (batched) on a loaded machine. */
const RECORDS_MS = 15_000;

const clients: TestClient[] = [];
const stores: Store[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.ws.terminate();
  for (const store of stores.splice(0)) await store.close();
  await killAll();
  removeTempDirs();
});

interface Setup {
  cwd: string;
  /** Environment shared by serve and the commands: same database, same JWT secret. */
  env: Record<string, string>;
  /** The database, opened by the test to check what the commands did. */
  store: Store;
}

async function setup(dialect: DialectName, extra: Record<string, string> = {}): Promise<Setup> {
  const cwd = realpathSync(tempDir());
  const url = dialect === 'sqlite' ? join(cwd, 'data', 'switchboard.db') : await databaseUrl('postgres');
  const env = { DATABASE_URL: url, JWT_SECRET: TEST_SECRET, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...extra };
  const store = new Store(url);
  stores.push(store);
  return { cwd, env, store };
}

async function run(setup: Setup, args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { cwd: setup.cwd, env: { ...setup.env, ...env } });
}

async function ok(setup: Setup, args: string[], env?: Record<string, string>): Promise<string> {
  const result = await run(setup, args, env);
  expect(result, result.stderr).toMatchObject({ code: 0, signal: null });
  return result.stdout;
}

async function serve(setup: Setup, env: Record<string, string> = {}): Promise<ServeProcess> {
  return startServe([], { cwd: setup.cwd, env: { ...setup.env, PORT: String(await freePort()), ...env } });
}

async function connect(server: ServeProcess, userId: string): Promise<TestClient> {
  const client = await TestClient.connect(server.wsUrl(ROOMS, await signTestToken(userId)));
  clients.push(client);
  await client.next('system');
  return client;
}

async function rowCounts(store: Store): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await store.db.introspection.getTables()) {
    const row = await store.db
      .selectFrom(table.name as 'users')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    counts[table.name] = Number(row.n);
  }
  return counts;
}

describe.each(DIALECTS)('seed-demo on %s', PROCESSES, (dialect) => {
  it('creates demo users and data for every feature, and a second run changes nothing', async () => {
    const env = await setup(dialect);
    const first = await ok(env, ['seed-demo']);
    for (const line of [
      'user alice: created',
      'user bob: created',
      'user carol: created',
      'user admin (staff): created',
      'workspace "Demo workspace": created',
      'channel #general (public): created',
      'channel #core-team (private): created',
      'messages: 8 created, 0 already present',
      'document "Welcome to Switchboard": created',
      'notifications: 4 created, 0 already present',
    ]) {
      expect(first).toContain(`${line}\n`);
    }
    for (const line of [
      'blog: created (2 posts, 1 comment, 1 like)',
      'projects: created (1 project, 3 members, 3 tickets, 1 comment)',
      'conversations: created (1 conversation, 3 messages)',
    ]) {
      expect(first).toContain(`${line}\n`);
    }
    const afterFirst = await rowCounts(env.store);

    const second = await ok(env, ['seed-demo']);
    expect(second).toContain('user alice: exists\n');
    expect(second).toContain('workspace "Demo workspace": exists\n');
    expect(second).toContain('messages: 0 created, 8 already present\n');
    expect(second).toContain('notifications: 0 created, 4 already present\n');
    for (const feature of ['blog', 'projects', 'conversations']) expect(second).toContain(`${feature}: exists\n`);
    expect(await rowCounts(env.store)).toEqual(afterFirst);

    // The data is usable: passwords work, admin is staff, the private channel is private.
    const { users, workspaces, messages } = env.store;
    for (const name of ['alice', 'bob', 'carol', 'admin']) expect(await users.authenticate(name, 'password123')).toBeDefined();
    expect((await users.findByUsername('admin'))!.isStaff).toBe(true);
    expect((await users.findByUsername('alice'))!.isStaff).toBe(false);
    const [bob, carol] = [(await users.findByUsername('bob'))!, (await users.findByUsername('carol'))!];
    const [workspace] = await workspaces.listForUser(carol.id);
    expect(workspace!.name).toBe('Demo workspace');
    expect((await workspaces.listChannels(workspace!.id, carol.id)).map((c) => c.name).sort()).toEqual(['general', 'random']);
    expect((await workspaces.listChannels(workspace!.id, bob.id)).map((c) => c.name).sort()).toEqual(['core-team', 'general', 'random']);
    const general = (await workspaces.listChannels(workspace!.id, bob.id)).find((c) => c.name === 'general')!;
    const history = await messages.history(general.id);
    expect(history.messages.map((m) => [m.seq, m.content])).toEqual([
      [1, 'Welcome to the demo workspace!'],
      [2, 'Hi everyone 👋'],
      [3, 'Open this channel in two browsers and type: typing and presence are live.'],
      [4, 'Messages are stored before they are broadcast, so a reconnect catches up.'],
    ]);
    expect(await env.store.notifications.unreadCount(bob.id)).toBe(2);
    // The approved demo comment looks like one BlogRepository.createComment stores approved.
    const comment = await env.store.db.selectFrom('blog_comments').select(['approved', 'approved_at', 'created_at']).executeTakeFirstOrThrow();
    expect(comment).toMatchObject({ approved: 1, approved_at: comment.created_at });
  });
});

describe.each(DIALECTS)('monitor and cleanup against serve on %s', PROCESSES, (dialect) => {
  it('monitor prints the live connections; cleanup deletes closed records and keeps open ones', async () => {
    const env = await setup(dialect, { INSTANCE_ID: 'cli-node' });
    const server = await serve(env);
    const brief = await connect(server, 'brief');
    await brief.close(4100);
    const records = new ConnectionRecordRepository(env.store.db);
    await connect(server, 'ann');
    await connect(server, 'ann');
    await connect(server, 'ben');
    // The closed record is written before cleanup runs.
    await eventually(
      () => env.store.db.selectFrom('connection_records').select(['user_id', 'close_code']).where('disconnected_at', 'is not', null).execute(),
      (rows) => rows.length === 1,
      'the closed record',
      RECORDS_MS,
    );

    const sample = await eventually(
      async () => JSON.parse(await ok(env, ['monitor', '--json'])),
      (body) => body.cluster.connections === 3,
      'monitor to count three connections',
      RECORDS_MS,
    );
    expect(sample).toMatchObject({
      source: 'database',
      cluster: {
        connections: 3,
        users: 2,
        routes: [{ route: ROOMS, instance_id: 'cli-node', connections: 3 }],
        instances: [{ instance_id: 'cli-node', connections: 3 }],
      },
    });
    const text = await ok(env, ['monitor']);
    expect(text).toMatch(/^connections: 3$/m);
    expect(text).toMatch(/^users: 2$/m);
    expect(text).toMatch(/^instances: 1$/m);
    expect(text).toMatch(/^ {2}\/api\/v1\/ws {2}cli-node {2}3$/m);

    // From the server itself: presence figures and its own counters.
    const fromServer = JSON.parse(await ok(env, ['monitor', '--json', '--url', server.httpUrl]));
    expect(fromServer).toMatchObject({
      source: server.httpUrl,
      cluster: { connections: 3, users: 2, routes: [{ route: ROOMS, instance_id: 'cli-node', connections: 3 }] },
      instance: { instance_id: 'cli-node', connections: 3 },
    });

    const noTokens = 'deleted 0 expired revoked refresh tokens\n';
    expect(await ok(env, ['cleanup', '--hours', '24'])).toBe(`deleted 0 connection records closed more than 24 hours ago\n${noTokens}`);
    expect(await ok(env, ['cleanup', '--hours', '0'])).toBe(`deleted 1 connection records closed more than 0 hours ago\n${noTokens}`);
    expect(JSON.parse(await ok(env, ['cleanup', '--hours', '0', '--json']))).toEqual({
      deleted: 0,
      hours: 0,
      closed_dead: 0,
      removed_instances: 0,
      expired_revoked_tokens: 0,
    });
    const live = await records.liveSummary(new Date(Date.now() - 60_000).toISOString());
    expect(live.connections).toBe(3);
  });

  it('monitor --continuous samples every interval until SIGINT', async () => {
    const env = await setup(dialect, { INSTANCE_ID: 'watched-node' });
    const server = await serve(env);
    await connect(server, 'watcher');
    const watching = spawnCli(['monitor', '--continuous', '--interval', '1', '--json'], { cwd: env.cwd, env: env.env });
    await watching.waitFor('stdout', /(\{.*\}\n){3}/);
    watching.signal('SIGINT');
    expect(await watching.exited).toEqual({ code: 0, signal: null });
    const samples = watching.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(samples.length).toBeGreaterThanOrEqual(3);
    for (const sample of samples) expect(sample.source).toBe('database');
    expect(samples.at(-1).cluster.instances.map((i: { instance_id: string }) => i.instance_id)).toEqual(['watched-node']);
    const times = samples.map((sample) => Date.parse(sample.generated_at));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(900);
    expect(watching.stderr).toBe('');
  });

  it('a restart after SIGKILL closes the records the killed process left open', async () => {
    const env = await setup(dialect, { INSTANCE_ID: 'crash-node' });
    const first = await serve(env);
    const client = await connect(first, 'survivor');
    await eventually(
      () => env.store.db.selectFrom('connection_records').selectAll().execute(),
      (rows) => rows.length === 1,
      'the open record',
      RECORDS_MS,
    );
    first.proc.signal('SIGKILL');
    await first.proc.exited;
    expect((await client.closed).code).toBe(1006);
    const [left] = await env.store.db.selectFrom('connection_records').selectAll().execute();
    expect(left!.disconnected_at).toBeNull();

    // Recovery runs before the listening line.
    await serve(env);
    const [recovered] = await env.store.db.selectFrom('connection_records').selectAll().execute();
    expect(recovered!.disconnected_at).not.toBeNull();
    expect(recovered!.close_code).toBeNull();
  });

  it('monitor --url explains a token the server rejects', async () => {
    const env = await setup(dialect);
    const server = await serve(env);
    const result = await run(env, ['monitor', '--url', server.httpUrl], { JWT_SECRET: 'another-secret-that-is-also-32-bytes-or-more' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("rejected the monitor's staff token");
  });
});

describe.each(DIALECTS)('cleanup of revoked refresh tokens on %s', PROCESSES, (dialect) => {
  it('deletes the rows of expired tokens and keeps the ones still valid', async () => {
    const env = await setup(dialect);
    await env.store.migrate();
    const now = Math.floor(Date.now() / 1000);
    const [expired, valid] = [randomUUID(), randomUUID()];
    await env.store.revokedTokens.revoke(expired, 'user-1', now - 60);
    await env.store.revokedTokens.revoke(valid, 'user-1', now + 3600);
    const revoked = () => env.store.db.selectFrom('revoked_tokens').select('jti').execute();

    expect(JSON.parse(await ok(env, ['cleanup', '--json']))).toMatchObject({ expired_revoked_tokens: 1 });
    expect(await revoked()).toEqual([{ jti: valid }]);
    expect(await ok(env, ['cleanup'])).toContain('\ndeleted 0 expired revoked refresh tokens\n');
    expect(await revoked()).toEqual([{ jti: valid }]);
  });
});

describe('operations command flags', PROCESSES, () => {
  it('rejects bad values with a clear message', async () => {
    const env = await setup('sqlite');
    for (const [args, message] of [
      [['cleanup', '--hours=-1'], '--hours must be a whole number of hours'],
      [['cleanup', '--hours', 'soon'], '--hours must be a whole number of hours'],
      [['monitor', '--continuous', '--interval', '0'], '--interval must be a positive number of seconds'],
      [['monitor', '--interval', '5'], '--interval needs --continuous'],
      [['monitor', '--url', 'localhost:8000'], '--url must be an http(s) URL'],
    ] as const) {
      const result = await run(env, [...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
    }
  });

  it('monitor --url reports a server it cannot reach', async () => {
    const env = await setup('sqlite');
    const result = await run(env, ['monitor', '--url', `http://127.0.0.1:${await freePort()}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  });
});
