/**
 * `/ws/notifications/` and the notification / publish REST API (PROTOCOL.md §2, §8)
 * over real sockets and real HTTP, on SQLite and on PostgreSQL: offline delivery
 * through unread_count, multi-tab pushes and read sync, type filters and type
 * broadcasts, ownership, auth, and input validation.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationService } from '../src/apps/notifications/service.js';
import { uniqueName } from './support/accounts.js';
import { TestClient, type Message } from './support/client.js';
import { DIALECTS, databaseUrl } from './support/databases.js';
import { expectError, request, type Reply } from './support/http.js';
import { startServer, type TestServer } from './support/server.js';

const API_KEY = 'notifications-test-api-key';
const PATH = '/ws/notifications/';

const isNotification = (id: string) => (m: Message) => m.type === 'notification' && m.data.id === id;

describe.each(DIALECTS)('notifications on %s', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ databaseUrl: await databaseUrl(dialect), apiKey: API_KEY });
  });
  afterAll(() => server.stop());

  /** Connects a notification socket and consumes its initial unread_count. */
  async function connect(userId: string): Promise<{ client: TestClient; count: number }> {
    const client = await TestClient.connect(server.wsUrl(PATH, await server.token(userId)));
    const first = await client.next();
    expect(first.type).toBe('unread_count');
    return { client, count: first.data.count };
  }

  async function tab(userId: string): Promise<TestClient> {
    return (await connect(userId)).client;
  }

  function create(userId: string, fields: Record<string, unknown> = {}): Promise<Reply> {
    return request(server, 'POST', '/api/notifications', {
      apiKey: API_KEY,
      body: { user_id: userId, notification_type: 'general', title: 'Hello', message: 'A message', ...fields },
    });
  }

  async function createOk(userId: string, fields: Record<string, unknown> = {}): Promise<any> {
    const reply = await create(userId, fields);
    expect(reply.status).toBe(201);
    return reply.body;
  }

  async function subscribe(client: TestClient, types: string[]): Promise<Message> {
    const ref = `sub-${randomUUID().slice(0, 8)}`;
    client.send({ type: 'subscribe', notification_types: types, ref });
    return client.next((m) => m.ref === ref);
  }

  it('a notification created while the user is offline shows in unread_count at the next connect and in get_notifications', async () => {
    const alice = uniqueName('alice');
    const fields = {
      notification_type: 'ticket_assigned',
      title: 'Ticket Assigned',
      message: 'You were assigned to ticket #42',
      icon: 'ticket',
      color: 'orange',
      data: { ticket_id: 42, project: { id: 'p1' } },
    };
    const created = await createOk(alice, fields);
    expect(created).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), ...fields, created_at: expect.any(String), read_at: null });
    expect(new Date(created.created_at).toISOString()).toBe(created.created_at);
    const second = await createOk(alice);
    expect(second.icon).toBeNull();
    expect(second.data).toEqual({});

    const { client, count } = await connect(alice);
    expect(count).toBe(2);
    // Seed 000 nests fields in `data`; both shapes work.
    client.send({ type: 'get_notifications', data: { limit: 10 }, ref: 'g1' });
    const list = await client.next('notifications');
    expect(list.ref).toBe('g1');
    expect(list.data.unread_count).toBe(2);
    expect(list.data.notifications.map((n: any) => n.id)).toEqual([second.id, created.id]);
    expect(list.data.notifications[1]).toEqual(created);
    expect(typeof list.timestamp).toBe('string');
    await client.close();
  });

  it('pushes to every notification tab of the user, already persisted, and to nobody else', async () => {
    const alice = uniqueName('alice');
    const bob = uniqueName('bob');
    const tab1 = await tab(alice);
    const tab2 = await tab(alice);
    const bobTab = await tab(bob);
    const roomsSocket = await TestClient.connect(server.wsUrl('/api/v1/ws', await server.token(alice)));
    await roomsSocket.next('system');

    // A slow database: the insert starts 150 ms late. Pushing before the insert would
    // reach the tab first, and the inbox read right after the push would miss the row.
    const repository = server.server.store.notifications;
    const insert = repository.create;
    repository.create = async (...args) => {
      await sleep(150);
      return insert.apply(repository, args);
    };
    const pushed = tab1.next('notification');
    const creating = create(alice, { notification_type: 'mention', title: 'Mentioned', message: '@alice look' });
    let notification: Message['data'];
    try {
      notification = (await pushed).data;
    } finally {
      repository.create = insert;
    }
    // Persisted before the push: the inbox already returns it when the push arrives.
    const inbox = await request(server, 'GET', '/api/notifications', { token: await server.token(alice) });
    expect(inbox.status).toBe(200);
    expect(inbox.body.notifications.map((n: any) => n.id)).toContain(notification.id);
    const reply = await creating;
    expect(reply.status).toBe(201);
    expect(notification).toEqual(reply.body);

    expect((await tab2.next('notification')).data).toEqual(notification);
    // The push was handed to every recipient before the POST answered: round trips prove absence.
    await Promise.all([bobTab.roundTrip(), roomsSocket.roundTrip()]);
    expect(bobTab.all('notification')).toEqual([]);
    expect(roomsSocket.received.filter((m) => m.type !== 'system' && m.type !== 'pong')).toEqual([]);

    await Promise.all([tab1.close(), tab2.close(), bobTab.close(), roomsSocket.close()]);
  });

  it('mark_read on one tab updates unread_count on the other tab; a repeat changes and pushes nothing', async () => {
    const alice = uniqueName('alice');
    const first = await createOk(alice);
    await createOk(alice);
    const tab1 = await tab(alice);
    const tab2 = await tab(alice);

    tab1.send({ type: 'mark_read', id: first.id, ref: 'r1' });
    expect(await tab1.next('unread_count')).toMatchObject({ ref: 'r1', data: { count: 1 } });
    const synced = await tab2.next('unread_count');
    expect(synced.data).toEqual({ count: 1 });
    expect(synced.ref).toBeUndefined();

    const token = await server.token(alice);
    const inbox = await request(server, 'GET', '/api/notifications', { token });
    const stored = inbox.body.notifications.find((n: any) => n.id === first.id);
    expect(new Date(stored.read_at).toISOString()).toBe(stored.read_at);
    expect(inbox.body.unread_count).toBe(1);

    // Already read: the sender gets the count, the other tab nothing (no change to sync).
    tab1.send({ type: 'mark_read', data: { id: first.id }, ref: 'r2' });
    expect(await tab1.next('unread_count')).toMatchObject({ ref: 'r2', data: { count: 1 } });
    await tab2.roundTrip();
    expect(tab2.all('unread_count')).toHaveLength(2);
    const after = await request(server, 'GET', '/api/notifications', { token });
    expect(after.body.notifications.find((n: any) => n.id === first.id).read_at).toBe(stored.read_at);

    // The `notification_id` alias works too.
    const third = await createOk(alice);
    tab1.send({ type: 'mark_read', notification_id: third.id, ref: 'r3' });
    expect(await tab1.next((m) => m.ref === 'r3')).toMatchObject({ type: 'unread_count', data: { count: 1 } });
    await Promise.all([tab1.close(), tab2.close()]);
  });

  it('mark_all_read reads everything and syncs every tab; REST reads push unread_count too', async () => {
    const alice = uniqueName('alice');
    const token = await server.token(alice);
    const a = await createOk(alice);
    await createOk(alice);
    await createOk(alice);
    const tab1 = await tab(alice);
    const tab2 = await tab(alice);

    const viaRest = await request(server, 'POST', `/api/notifications/${a.id}/read`, { token });
    expect(viaRest.status).toBe(200);
    expect(viaRest.body.unread_count).toBe(2);
    expect(viaRest.body.notification).toMatchObject({ id: a.id, read_at: expect.any(String) });
    expect((await tab1.next('unread_count')).data.count).toBe(2);
    expect((await tab2.next('unread_count')).data.count).toBe(2);

    tab2.send({ type: 'mark_all_read', ref: 'all' });
    expect(await tab2.next('unread_count')).toMatchObject({ ref: 'all', data: { count: 0 } });
    expect((await tab1.next('unread_count')).data.count).toBe(0);
    tab1.send({ type: 'get_notifications', unread_only: true });
    expect((await tab1.next('notifications')).data).toEqual({ notifications: [], unread_count: 0 });

    await createOk(alice);
    await tab1.next('notification');
    const readAll = await request(server, 'POST', '/api/notifications/read-all', { token });
    expect(readAll).toEqual({ status: 200, body: { marked: 1, unread_count: 0 } });
    expect((await tab1.next('unread_count')).data.count).toBe(0);
    const inbox = await request(server, 'GET', '/api/notifications?unread_only=true', { token });
    expect(inbox.body).toEqual({ notifications: [], unread_count: 0 });
    const everything = await request(server, 'GET', '/api/notifications?limit=2', { token });
    expect(everything.body.notifications).toHaveLength(2);
    await Promise.all([tab1.close(), tab2.close()]);
  });

  it('a type filter limits what a connection is pushed; filtered notifications are still persisted and counted', async () => {
    const alice = uniqueName('alice');
    const mentionsOnly = await tab(alice);
    const everything = await tab(alice);
    const subscribed = await subscribe(mentionsOnly, ['mention']);
    expect(subscribed).toMatchObject({ type: 'subscribed', data: { notification_types: ['mention'], all_types: false } });

    const assigned = await createOk(alice, { notification_type: 'ticket_assigned' });
    expect((await everything.next('notification')).data.id).toBe(assigned.id);
    await mentionsOnly.roundTrip();
    expect(mentionsOnly.all('notification')).toEqual([]);

    const mention = await createOk(alice, { notification_type: 'mention' });
    expect((await mentionsOnly.next('notification')).data.id).toBe(mention.id);
    await everything.next(isNotification(mention.id));
    expect(mentionsOnly.all('notification')).toHaveLength(1);

    mentionsOnly.send({ type: 'get_notifications', ref: 'list' });
    const list = await mentionsOnly.next('notifications');
    expect(list.data.unread_count).toBe(2);
    expect(list.data.notifications.map((n: any) => n.id)).toEqual([mention.id, assigned.id]);

    // Widening the filter; a type already present is not duplicated.
    expect((await subscribe(mentionsOnly, ['status_changed', 'mention'])).data.notification_types).toEqual(['mention', 'status_changed']);
    const status = await createOk(alice, { notification_type: 'status_changed' });
    expect((await mentionsOnly.next('notification')).data.id).toBe(status.id);

    mentionsOnly.send({ type: 'unsubscribe', notification_types: ['mention', 'status_changed'], ref: 'u1' });
    expect(await mentionsOnly.next('unsubscribed')).toMatchObject({ ref: 'u1', data: { notification_types: [], all_types: false } });
    const silenced = await createOk(alice, { notification_type: 'mention' });
    await everything.next(isNotification(silenced.id));
    await mentionsOnly.roundTrip();
    expect(mentionsOnly.all('notification')).toHaveLength(2);

    // An unfiltered connection stays unfiltered on an empty subscribe or any unsubscribe.
    expect((await subscribe(everything, [])).data).toEqual({ notification_types: [], all_types: true });
    everything.send({ type: 'unsubscribe', notification_types: ['mention'] });
    expect((await everything.next('unsubscribed')).data.all_types).toBe(true);
    const still = await createOk(alice, { notification_type: 'mention' });
    await everything.next(isNotification(still.id));
    await Promise.all([mentionsOnly.close(), everything.close()]);
  });

  it('broadcastToType reaches the connections subscribed to that type only, and is not persisted', async () => {
    const alice = uniqueName('alice');
    const bob = uniqueName('bob');
    const aliceBlog = await tab(alice);
    const bobBlog = await tab(bob);
    const unfiltered = await tab(alice);
    const mentions = await tab(bob);
    await subscribe(aliceBlog, ['blog_post_published', 'comment_added']);
    await subscribe(bobBlog, ['blog_post_published']);
    await subscribe(mentions, ['mention']);

    const service = NotificationService.for(server.server);
    const sent = await service.broadcastToType('blog_post_published', {
      title: 'New Post: Sample Title',
      message: 'John published a new post: Sample Title',
      icon: 'post',
      color: 'blue',
      data: { post_id: '123', title: 'Sample Title', author: 'John' },
    });
    const toAlice = await aliceBlog.next('notification');
    expect(toAlice.data).toEqual(sent);
    expect(toAlice.data).toMatchObject({ notification_type: 'blog_post_published', icon: 'post', color: 'blue', read_at: null });
    expect((await bobBlog.next('notification')).data).toEqual(sent);
    await Promise.all([unfiltered.roundTrip(), mentions.roundTrip()]);
    expect(unfiltered.all('notification')).toEqual([]);
    expect(mentions.all('notification')).toEqual([]);

    aliceBlog.send({ type: 'get_notifications' });
    expect((await aliceBlog.next('notifications')).data).toEqual({ notifications: [], unread_count: 0 });
    aliceBlog.send({ type: 'mark_read', id: sent.id, ref: 'bcast' });
    expect(await aliceBlog.next('error')).toMatchObject({ code: 'not_found', ref: 'bcast' });

    // After unsubscribing, the type's broadcasts stop too.
    aliceBlog.send({ type: 'unsubscribe', notification_types: ['blog_post_published'] });
    await aliceBlog.next('unsubscribed');
    const second = await service.broadcastToType('blog_post_published', { title: 'Another', message: 'Post 2' });
    await bobBlog.next(isNotification(second.id));
    await aliceBlog.roundTrip();
    expect(aliceBlog.all('notification')).toHaveLength(1);
    await Promise.all([aliceBlog.close(), bobBlog.close(), unfiltered.close(), mentions.close()]);
  });

  it("marking someone else's or an unknown notification is not_found and changes nothing", async () => {
    const alice = uniqueName('alice');
    const bob = uniqueName('bob');
    const bobs = await createOk(bob);
    const aliceTab = await tab(alice);

    aliceTab.send({ type: 'mark_read', id: bobs.id, ref: 'x1' });
    expect(await aliceTab.next('error')).toMatchObject({ code: 'not_found', ref: 'x1', message: 'Notification not found' });
    aliceTab.send({ type: 'mark_read', id: randomUUID(), ref: 'x2' });
    expect(await aliceTab.next('error')).toMatchObject({ code: 'not_found', ref: 'x2' });
    aliceTab.send({ type: 'mark_read', id: 'not-a-uuid', ref: 'x3' });
    expect(await aliceTab.next('error')).toMatchObject({ code: 'invalid_payload', ref: 'x3' });
    aliceTab.send({ type: 'mark_read', ref: 'x4' });
    expect(await aliceTab.next('error')).toMatchObject({ code: 'invalid_payload', ref: 'x4', message: 'id: is required' });

    const viaRest = await request(server, 'POST', `/api/notifications/${bobs.id}/read`, { token: await server.token(alice) });
    expectError(viaRest, 404, 'not_found');
    expectError(await request(server, 'POST', '/api/notifications/garbage/read', { token: await server.token(alice) }), 404, 'not_found');

    const bobTab = await connect(bob);
    expect(bobTab.count).toBe(1);
    await Promise.all([aliceTab.close(), bobTab.client.close()]);
  });

  it('validates client messages: arrays ≤ 100, type names 1–100 chars, limit 1–100', async () => {
    const alice = uniqueName('alice');
    const client = await tab(alice);
    const cases: [unknown, string][] = [
      [{ type: 'subscribe', notification_types: Array.from({ length: 101 }, (_, i) => `t${i}`) }, 'must have at most 100 items'],
      [{ type: 'subscribe', notification_types: ['x'.repeat(101)] }, 'must be at most 100 characters'],
      [{ type: 'subscribe', notification_types: [''] }, 'must not be empty'],
      [{ type: 'subscribe', notification_types: 'mention' }, 'must be an array'],
      [{ type: 'unsubscribe' }, 'notification_types: is required'],
      [{ type: 'get_notifications', limit: 101 }, 'must be at most 100'],
      [{ type: 'get_notifications', limit: 0 }, 'must be at least 1'],
      [{ type: 'get_notifications', unread_only: 'yes' }, 'must be true or false'],
    ];
    for (const [index, [message, reason]] of cases.entries()) {
      client.send({ ...(message as object), ref: `v${index}` });
      const error = await client.next('error');
      expect(error.ref).toBe(`v${index}`);
      expect(error.code).toBe('invalid_payload');
      expect(error.message).toContain(reason);
    }
    // The exact limits are accepted.
    const hundred = Array.from({ length: 100 }, (_, i) => `type-${i}`.padEnd(100, 'x'));
    const ok = await subscribe(client, hundred);
    expect(ok.data.notification_types).toHaveLength(100);
    // …and the total per connection is capped too.
    client.send({ type: 'subscribe', notification_types: ['one-more'], ref: 'over' });
    expect(await client.next('error')).toMatchObject({ code: 'too_large', ref: 'over' });
    client.send({ type: 'get_notifications', limit: 100, ref: 'max' });
    expect((await client.next('notifications')).ref).toBe('max');
    client.send({ type: 'ping', ref: 'p' });
    expect(await client.next('pong')).toMatchObject({ ref: 'p' });
    client.send({ type: 'nope' });
    expect(await client.next('error')).toMatchObject({ code: 'unknown_type', message: 'Unknown message type: nope' });
    await client.close();
  });

  it('POST /api/notifications needs the API key or a staff token', async () => {
    const alice = uniqueName('alice');
    const body = { user_id: alice, notification_type: 'general', title: 't', message: 'm' };
    expectError(await request(server, 'POST', '/api/notifications', { body }), 401, 'unauthenticated');
    expectError(await request(server, 'POST', '/api/notifications', { body, apiKey: 'wrong-key' }), 401, 'unauthenticated');
    const plain = await server.token(uniqueName('user'));
    expectError(await request(server, 'POST', '/api/notifications', { body, token: plain }), 403, 'forbidden');
    // Authentication comes before validation: an anonymous bad body is still 401.
    expectError(await request(server, 'POST', '/api/notifications', { body: { nope: 1 } }), 401, 'unauthenticated');

    const staff = await server.token(uniqueName('staff'), { is_staff: true });
    const byStaff = await request(server, 'POST', '/api/notifications', { body, token: staff });
    expect(byStaff.status).toBe(201);
    const { count } = await connect(alice);
    expect(count).toBe(1);

    expectError(await request(server, 'GET', '/api/notifications'), 401, 'unauthenticated');
    expectError(await request(server, 'POST', '/api/notifications/read-all'), 401, 'unauthenticated');
    expectError(await request(server, 'GET', '/api/notifications', { token: 'not-a-jwt' }), 401, 'unauthenticated');
    expectError(await request(server, 'POST', '/api/publish', { body: { user_id: alice, message: { type: 'x' } }, token: plain }), 403, 'forbidden');
    expectError(await request(server, 'POST', '/api/publish', { body: { user_id: alice, message: { type: 'x' } } }), 401, 'unauthenticated');
  });

  it('rejects bad bodies and queries with 400 invalid_payload (413 when too large)', async () => {
    const valid = { user_id: uniqueName('alice'), notification_type: 'general', title: 't', message: 'm' };
    const badNotifications: unknown[] = [
      { ...valid, title: undefined },
      { ...valid, title: '' },
      { ...valid, notification_type: 'x'.repeat(101) },
      { ...valid, user_id: '' },
      { ...valid, data: 'not an object' },
      { ...valid, message: 'x'.repeat(4001) },
      '{"user_id": ',
    ];
    for (const body of badNotifications) {
      expectError(await request(server, 'POST', '/api/notifications', { body, apiKey: API_KEY }), 400, 'invalid_payload');
    }
    const huge = { ...valid, data: { blob: 'x'.repeat(17 * 1024) } };
    expectError(await request(server, 'POST', '/api/notifications', { body: huge, apiKey: API_KEY }), 413, 'too_large');

    const badPublishes: unknown[] = [
      { message: { type: 'x' } },
      { group: 'g', user_id: 'u', message: { type: 'x' } },
      { group: 'g' },
      { group: 'g', message: 'text' },
      { group: 'g', message: { text: 'no type' } },
      { group: 'g', message: { type: '' } },
      { group: '', message: { type: 'x' } },
    ];
    for (const body of badPublishes) {
      expectError(await request(server, 'POST', '/api/publish', { body, apiKey: API_KEY }), 400, 'invalid_payload');
    }
    const forbiddenKey = '{"group":"g","message":{"type":"x","__proto__":{"polluted":true}}}';
    expectError(await request(server, 'POST', '/api/publish', { body: forbiddenKey, apiKey: API_KEY }), 400, 'invalid_payload');
    const tooBig = { group: 'g', message: { type: 'x', text: 'x'.repeat(70 * 1024) } };
    expectError(await request(server, 'POST', '/api/publish', { body: tooBig, apiKey: API_KEY }), 413, 'too_large');

    const token = await server.token(uniqueName('alice'));
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'limit=-1', 'limit=2.5', 'unread_only=maybe']) {
      expectError(await request(server, 'GET', `/api/notifications?${query}`, { token }), 400, 'invalid_payload');
    }
  });

  it('POST /api/publish pushes a raw message to all of a user\'s connections or to a group', async () => {
    const alice = uniqueName('alice');
    const bob = uniqueName('bob');
    const aliceNotifications = await tab(alice);
    const aliceRooms = await TestClient.connect(server.wsUrl('/api/v1/ws', await server.token(alice)));
    await aliceRooms.next('system');
    const bobTab = await tab(bob);

    const message = { type: 'maintenance', data: { minutes: 5 } };
    const toUser = await request(server, 'POST', '/api/publish', { body: { user_id: alice, message }, apiKey: API_KEY });
    expect(toUser).toEqual({ status: 200, body: { published: true } });
    for (const client of [aliceNotifications, aliceRooms]) {
      const got = await client.next('maintenance');
      expect(got).toEqual({ ...message, timestamp: expect.any(String) });
    }
    await bobTab.roundTrip();
    expect(bobTab.all('maintenance')).toEqual([]);

    // A group: the broadcast group of a notification type, joined by subscribing.
    await subscribe(bobTab, ['deploys']);
    const custom = { type: 'deploy_finished', version: '1.2.3', timestamp: '2024-01-01T12:00:00.000Z' };
    const staff = await server.token(uniqueName('staff'), { is_staff: true });
    const toGroup = await request(server, 'POST', '/api/publish', { body: { group: 'notifications:type:deploys', message: custom }, token: staff });
    expect(toGroup.status).toBe(200);
    expect(await bobTab.next('deploy_finished')).toEqual(custom);
    await aliceNotifications.roundTrip();
    expect(aliceNotifications.all('deploy_finished')).toEqual([]);
    await Promise.all([aliceNotifications.close(), aliceRooms.close(), bobTab.close()]);
  });

  it('accepts integer user ids (Django simplejwt) in the REST bodies', async () => {
    const numericId = 1_000_000 + Math.floor(Math.random() * 1_000_000_000);
    const created = await create(numericId as unknown as string, { title: 'For a Django user' });
    expect(created.status).toBe(201);
    const { client, count } = await connect(String(numericId));
    expect(count).toBe(1);
    const inbox = await request(server, 'GET', '/api/notifications?unread_only=1', { token: await server.token(String(numericId)) });
    expect(inbox.body.notifications.map((n: any) => n.id)).toEqual([created.body.id]);
    const published = await request(server, 'POST', '/api/publish', { body: { user_id: numericId, message: { type: 'hello' } }, apiKey: API_KEY });
    expect(published.status).toBe(200);
    await client.next('hello');
    await client.close();
  });

  it('documents its REST paths in the OpenAPI document', async () => {
    const docs = await request(server, 'GET', '/api/docs');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/notifications', '/api/notifications/{id}/read', '/api/notifications/read-all', '/api/publish']),
    );
    expect(Object.keys(docs.body.paths['/api/notifications'])).toEqual(expect.arrayContaining(['get', 'post']));
  });

  it('rejects a connection without a valid token with 4001', async () => {
    const client = new TestClient(server.wsUrl(PATH, 'garbage'));
    expect(await client.closed).toEqual({ code: 4001, reason: 'Authentication failed' });
  });
});

describe('notifications API without an API key configured', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.stop());

  it('accepts staff tokens only', async () => {
    const body = { user_id: 'someone', notification_type: 'general', title: 't', message: 'm' };
    const headers = { 'content-type': 'application/json', 'x-api-key': '' };
    const withEmptyKey = await fetch(`${server.httpUrl}/api/notifications`, { method: 'POST', headers, body: JSON.stringify(body) });
    expect(withEmptyKey.status).toBe(401);
    const withKey = await request(server, 'POST', '/api/notifications', { body, apiKey: 'anything' });
    expectError(withKey, 401, 'unauthenticated');
    const staff = await server.token('staff', { is_staff: true });
    expect((await request(server, 'POST', '/api/notifications', { body, token: staff })).status).toBe(201);
  });
});
