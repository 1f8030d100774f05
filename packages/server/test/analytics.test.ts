/**
 * Seed 002 analytics dashboard `/ws/analytics/dashboard/` (PROTOCOL.md §4) over real
 * sockets, on SQLite and PostgreSQL: staff only, a snapshot on connect, then updates
 * whose figures match the connections, users, readers, page views and traffic the test
 * really made; and across two instances sharing a real Redis and PostgreSQL, figures
 * summed over the cluster with a stopped instance dropped.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { builtinApps } from '../src/apps/index.js';
import { analyticsApp, type AnalyticsOptions } from '../src/apps/analytics/index.js';
import { blogApp } from '../src/apps/blog/index.js';
import type { App } from '../src/core/app.js';
import { createBackends } from '../src/layer/index.js';
import { TestClient, closeOf, type Message } from './support/client.js';
import { DIALECTS, databaseUrl, postgresUrl } from './support/databases.js';
import { createPost } from './support/fixtures.js';
import { startRedis, type RedisServer } from './support/redis.js';
import { startServer, type TestServer } from './support/server.js';

const DASHBOARD = '/ws/analytics/dashboard/';
const FIGURES = ['active_connections', 'active_users', 'live_visitors', 'page_views_last_minute', 'messages_per_second', 'instances'];

/** The built-in apps with blog and analytics (the latter with the given options). */
function apps(options: AnalyticsOptions = {}): App[] {
  const base = builtinApps().filter((app) => app.name !== 'blog' && app.name !== 'analytics');
  return [...base, blogApp(), analyticsApp(options)];
}

const update = (predicate: (data: any) => boolean) => (m: Message) => m.type === 'analytics_update' && predicate(m.data);

/** Connects and proves the connect sequence (presence included) finished. */
async function connect(server: TestServer, path: string, token: string): Promise<TestClient> {
  const client = await TestClient.connect(server.wsUrl(path, token));
  await client.roundTrip();
  return client;
}

describe.each(DIALECTS)('analytics dashboard on %s', (dialect) => {
  let server: TestServer;
  let staff: string;

  beforeEach(async () => {
    // A fresh server per case, so the figures are exactly what the case did.
    server = await startServer({ databaseUrl: await databaseUrl(dialect) }, { apps: apps({ updateIntervalMs: 200 }) });
    staff = await server.token(randomUUID(), { name: 'Sam', is_staff: true });
  });
  afterEach(() => server.stop());

  it('is for staff only', async () => {
    const user = await server.token(randomUUID(), { name: 'Bob' });
    expect(await closeOf(server.wsUrl(DASHBOARD, user))).toEqual({ code: 4003, reason: 'Forbidden' });
    expect((await closeOf(server.wsUrl(DASHBOARD))).code).toBe(4001);
    const dashboard = await TestClient.connect(server.wsUrl(DASHBOARD, staff));
    const snapshot = await dashboard.next();
    expect(snapshot.type).toBe('analytics_snapshot');
    expect(Object.keys(snapshot.data).sort()).toEqual([...FIGURES].sort());
    expect(snapshot.data).toMatchObject({ active_connections: 1, active_users: 1, live_visitors: 0, page_views_last_minute: 0, instances: 1 });
    const next = await dashboard.next('analytics_update');
    expect(Object.keys(next.data).sort()).toEqual([...FIGURES].sort());
    dashboard.close();
  });

  it('counts the connections, users, readers and page views the test made', async () => {
    const [u1, u2, u3] = await Promise.all(['Ann', 'Ben', 'Cy'].map((name) => server.token(randomUUID(), { name })));
    const postId: string = (await createPost(server, { token: u1! }, { title: 'Stats', content: 'x' })).id;
    // N = 5 sockets of M = 3 users; two users read the post.
    const sockets = [
      await connect(server, `/ws/blog/posts/${postId}/`, u1!),
      await connect(server, `/ws/blog/posts/${postId}/`, u1!),
      await connect(server, `/ws/blog/posts/${postId}/`, u2!),
      await connect(server, '/ws/notifications/', u2!),
      await connect(server, `/ws/blog/comments/${postId}/`, u3!),
    ];
    const dashboard = await TestClient.connect(server.wsUrl(DASHBOARD, staff));
    const snapshot = await dashboard.next('analytics_snapshot');
    // The dashboard is a connection of a fourth user too.
    expect(snapshot.data).toMatchObject({ active_connections: 6, active_users: 4, live_visitors: 2, page_views_last_minute: 0, instances: 1 });

    // K = 3 views, one per post socket; a repeated track_view on a connection is not one.
    for (const [index, reader] of sockets.slice(0, 3).entries()) {
      reader.send({ type: 'track_view', ref: `v${index}` });
      await reader.next((m) => m.type === 'post_stats' && m.ref === `v${index}`);
    }
    sockets[0]!.send({ type: 'track_view', ref: 'again' });
    await sockets[0]!.next((m) => m.type === 'post_stats' && m.ref === 'again');
    await dashboard.next(update((data) => data.page_views_last_minute === 3));
    expect((await dashboard.next('analytics_update')).data.page_views_last_minute).toBe(3);

    // Ann leaves (both tabs): one user, two connections and one reader fewer.
    await Promise.all([sockets[0]!.close(), sockets[1]!.close()]);
    const after = await dashboard.next(update((data) => data.active_connections === 4));
    expect(after.data).toMatchObject({ active_users: 3, live_visitors: 1, page_views_last_minute: 3, instances: 1 });
    for (const client of [...sockets, dashboard]) client.close();
  });

  it('reports the rate of client messages and falls back to zero when traffic stops', async () => {
    const dashboard = await TestClient.connect(server.wsUrl(DASHBOARD, staff));
    await dashboard.next('analytics_snapshot');
    const chatty = await connect(server, '/ws/notifications/', await server.token(randomUUID()));
    for (let i = 0; i < 40; i++) chatty.send({ type: 'ping', ref: `p${i}` });
    await chatty.next((m) => m.type === 'pong' && m.ref === 'p39');
    const busy = await dashboard.next(update((data) => data.messages_per_second > 0));
    expect(busy.data.messages_per_second).toBeGreaterThan(0);
    await dashboard.next(update((data) => data.messages_per_second === 0));
    chatty.close();
    dashboard.close();
  });
});

describe('analytics cadence', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({}, { apps: apps() });
  });
  afterAll(() => server.stop());

  it('sends analytics_update every 2 s by default', async () => {
    const dashboard = await TestClient.connect(server.wsUrl(DASHBOARD, await server.token(randomUUID(), { is_staff: true })));
    await dashboard.next('analytics_snapshot');
    const first = await dashboard.next('analytics_update', 4000);
    const second = await dashboard.next('analytics_update', 4000);
    const gap = Date.parse(second.timestamp) - Date.parse(first.timestamp);
    expect(gap).toBeGreaterThanOrEqual(1800);
    expect(gap).toBeLessThan(2600);
    dashboard.close();
  }, 10_000);
});

describe('analytics across two instances (Redis + PostgreSQL)', () => {
  let redis: RedisServer;
  let databaseUrlShared: string;

  beforeAll(async () => {
    redis = await startRedis();
    databaseUrlShared = await postgresUrl();
  });
  afterAll(() => redis.stop());

  async function instance(instanceId: string): Promise<TestServer> {
    const backends = await createBackends({ redisUrl: redis.url, instanceId });
    return startServer(
      { databaseUrl: databaseUrlShared, instanceId },
      { layer: backends.layer, presence: backends.presence, apps: apps({ updateIntervalMs: 200, instanceTimeoutMs: 1000 }) },
    );
  }

  it('sums figures over live instances and drops a stopped one', async () => {
    const a = await instance(`a-${randomUUID()}`);
    const b = await instance(`b-${randomUUID()}`);
    try {
      const reader = await b.token(randomUUID(), { name: 'Reader' });
      const postId: string = (await createPost(b, { token: reader }, { title: 'Stats', content: 'x' })).id;
      const tabs = [await connect(b, `/ws/blog/posts/${postId}/`, reader), await connect(b, `/ws/blog/posts/${postId}/`, reader)];
      tabs[0]!.send({ type: 'track_view', ref: 'v' });
      await tabs[0]!.next((m) => m.type === 'post_stats' && m.ref === 'v');

      const dashboard = await TestClient.connect(a.wsUrl(DASHBOARD, await a.token(randomUUID(), { is_staff: true })));
      const both = await dashboard.next(update((data) => data.instances === 2 && data.page_views_last_minute === 1));
      expect(both.data).toMatchObject({ active_connections: 3, active_users: 2, live_visitors: 1 });

      await b.stop();
      const alone = await dashboard.next(update((data) => data.instances === 1));
      expect(alone.data).toMatchObject({ active_connections: 1, active_users: 1, live_visitors: 0, page_views_last_minute: 0 });
      dashboard.close();
    } finally {
      await b.stop();
      await a.stop();
    }
  });
});
