/**
 * Seed 002 blog (PROTOCOL.md §4, §8) over real sockets and real HTTP, on SQLite and
 * PostgreSQL: post access (4003), views counted once per connection and persisted,
 * stats, update subscriptions, idempotent likes, comments with staff moderation,
 * typing indicators that never echo to the typer and expire by themselves (also when
 * the typer's instance dies), the seed-002 heartbeat, and the notifications
 * publications and comments cause.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typingTopic } from '../src/apps/blog/groups.js';
import { RedisConnection } from '../src/layer/redis-connection.js';
import { RedisPresence } from '../src/presence/redis.js';
import { TestClient, closeOf, type Message } from './support/client.js';
import { DIALECTS, databaseUrl } from './support/databases.js';
import { createPost } from './support/fixtures.js';
import { api, tokenUser, type TestUser } from './support/http.js';
import { startRedis, type RedisServer } from './support/redis.js';
import { startServer, type TestServer } from './support/server.js';

const ofType = (type: string, ref?: string) => (m: Message) => m.type === type && (ref === undefined || m.ref === ref);

describe.each(DIALECTS)('blog on %s', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ databaseUrl: await databaseUrl(dialect) });
  });
  afterAll(() => server.stop());

  const { call } = api(() => server);
  const user = (name: string, staff = false): Promise<TestUser> => tokenUser(server, name, staff ? { is_staff: true } : {});

  /** Connects and proves the connect sequence finished (the ping is handled after it). */
  async function connect(path: string, who: TestUser): Promise<TestClient> {
    const client = await TestClient.connect(server.wsUrl(path, who.token));
    await client.roundTrip();
    return client;
  }

  const postSocket = (postId: string, who: TestUser) => connect(`/ws/blog/posts/${postId}/`, who);
  const commentSocket = (postId: string, who: TestUser) => connect(`/ws/blog/comments/${postId}/`, who);

  describe('REST posts', () => {
    it('creates drafts visible only to their author and staff, and publishes them', async () => {
      const [alice, bob, staff] = [await user('Alice'), await user('Bob'), await user('Sam', true)];
      const draft = await createPost(server, alice, { title: 'Draft', status: undefined });
      expect(draft).toMatchObject({ title: 'Draft', status: 'draft', author: 'Alice', author_id: alice.id, published_at: null, view_count: 0 });
      expect((await call('GET', `/api/blog/posts/${draft.id}`, alice.token)).status).toBe(200);
      expect((await call('GET', `/api/blog/posts/${draft.id}`, staff.token)).status).toBe(200);
      expect((await call('GET', `/api/blog/posts/${draft.id}`, bob.token)).body.error.code).toBe('not_found');
      const bobsList = await call('GET', '/api/blog/posts?limit=100', bob.token);
      expect(bobsList.body.posts.map((p: any) => p.id)).not.toContain(draft.id);
      const alicesList = await call('GET', '/api/blog/posts?status=draft', alice.token);
      expect(alicesList.body.posts.map((p: any) => p.id)).toContain(draft.id);

      expect((await call('POST', `/api/blog/posts/${draft.id}/publish`, bob.token)).status).toBe(404);
      const published = await call('POST', `/api/blog/posts/${draft.id}/publish`, alice.token);
      expect(published.status).toBe(200);
      expect(published.body.status).toBe('published');
      expect(Date.parse(published.body.published_at)).not.toBeNaN();
      expect((await call('GET', `/api/blog/posts/${draft.id}`, bob.token)).body.title).toBe('Draft');
    });

    it('lets only the author or staff edit, and validates input', async () => {
      const [alice, bob, staff] = [await user('Alice'), await user('Bob'), await user('Sam', true)];
      const post = await createPost(server, alice);
      expect((await call('PATCH', `/api/blog/posts/${post.id}`, bob.token, { title: 'Mine' })).body.error.code).toBe('forbidden');
      const edited = await call('PATCH', `/api/blog/posts/${post.id}`, staff.token, { title: 'Edited', moderate_comments: true });
      expect(edited.body).toMatchObject({ title: 'Edited', moderate_comments: true, content: 'Body' });
      expect((await call('PATCH', `/api/blog/posts/${post.id}`, alice.token, { status: 'archived' })).status).toBe(400);
      expect((await call('POST', '/api/blog/posts', alice.token, { title: '', content: 'x' })).body.error.code).toBe('invalid_payload');
      expect((await call('POST', '/api/blog/posts', alice.token, { title: 'x'.repeat(201), content: 'x' })).status).toBe(400);
      expect((await call('POST', '/api/blog/posts', alice.token, { title: 'x'.repeat(200), content: 'x' })).status).toBe(201);
      expect((await call('POST', '/api/blog/posts', undefined, { title: 'x' })).body.error.code).toBe('unauthenticated');
      expect((await call('GET', '/api/blog/posts/not-a-uuid', alice.token)).status).toBe(404);
      expect((await call('GET', `/api/blog/posts/${randomUUID()}`, alice.token)).status).toBe(404);
    });
  });

  describe('/ws/blog/posts/<id>/', () => {
    it('closes 4003 for garbage and unknown ids and for other authors’ drafts; 4001 without a token', async () => {
      const [alice, bob, staff] = [await user('Alice'), await user('Bob'), await user('Sam', true)];
      const draft = await createPost(server, alice, { status: 'draft' });
      for (const id of ['nope', "1' OR '1'='1", randomUUID()]) {
        expect((await closeOf(server.wsUrl(`/ws/blog/posts/${encodeURIComponent(id)}/`, bob.token))).code).toBe(4003);
      }
      expect((await closeOf(server.wsUrl(`/ws/blog/posts/${draft.id}/`, bob.token))).code).toBe(4003);
      expect((await closeOf(server.wsUrl(`/ws/blog/comments/${draft.id}/`, bob.token))).code).toBe(4003);
      expect((await closeOf(server.wsUrl(`/ws/blog/posts/${draft.id}/`))).code).toBe(4001);
      (await postSocket(draft.id, alice)).close();
      (await postSocket(draft.id, staff)).close();
    });

    it('counts track_view once per connection, persists it, and sends post_stats to the post group', async () => {
      const [alice, bob] = [await user('Alice'), await user('Bob')];
      const post = await createPost(server, alice);
      const reader = await postSocket(post.id, bob);
      const other = await postSocket(post.id, alice);

      reader.send({ type: 'track_view', ref: 'v1' });
      expect((await reader.next(ofType('post_stats', 'v1'))).data).toEqual({ view_count: 1, comment_count: 0, like_count: 0 });
      const seen = await other.next('post_stats');
      expect(seen.data.view_count).toBe(1);
      expect(seen.ref).toBeUndefined();

      reader.send({ type: 'track_view', ref: 'v2' });
      expect((await reader.next(ofType('post_stats', 'v2'))).data.view_count).toBe(1);
      await other.roundTrip();
      expect(other.all('post_stats')).toHaveLength(1);

      const again = await postSocket(post.id, bob);
      again.send({ type: 'track_view', ref: 'v3' });
      expect((await again.next(ofType('post_stats', 'v3'))).data.view_count).toBe(2);
      expect((await call('GET', `/api/blog/posts/${post.id}`, bob.token)).body.view_count).toBe(2);
      for (const client of [reader, other, again]) client.close();
    });

    it('answers get_stats to the sender only', async () => {
      const [alice, bob] = [await user('Alice'), await user('Bob')];
      const post = await createPost(server, alice);
      const [asker, bystander] = [await postSocket(post.id, bob), await postSocket(post.id, alice)];
      asker.send({ type: 'get_stats', ref: 's1' });
      expect((await asker.next(ofType('post_stats', 's1'))).data).toEqual({ view_count: 0, comment_count: 0, like_count: 0 });
      await bystander.roundTrip();
      expect(bystander.all('post_stats')).toHaveLength(0);
      asker.close();
      bystander.close();
    });

    it('pushes post_updated to subscribers only, until they unsubscribe', async () => {
      const [alice, bob] = [await user('Alice'), await user('Bob')];
      const post = await createPost(server, alice);
      const [subscriber, plain] = [await postSocket(post.id, bob), await postSocket(post.id, bob)];
      subscriber.send({ type: 'subscribe_updates', ref: 'u1' });
      expect((await subscriber.next(ofType('updates_subscribed', 'u1'))).data.post_id).toBe(post.id);

      expect((await call('PATCH', `/api/blog/posts/${post.id}`, alice.token, { content: 'New body' })).status).toBe(200);
      const updated = await subscriber.next('post_updated');
      expect(updated.data).toMatchObject({ id: post.id, content: 'New body', title: 'Hello', author: 'Alice' });
      // An edit that changes nothing is not pushed.
      await call('PATCH', `/api/blog/posts/${post.id}`, alice.token, { content: 'New body' });
      await subscriber.roundTrip();
      expect(subscriber.all('post_updated')).toHaveLength(1);
      await plain.roundTrip();
      expect(plain.all('post_updated')).toHaveLength(0);

      subscriber.send({ type: 'unsubscribe_updates', ref: 'u2' });
      await subscriber.next(ofType('updates_unsubscribed', 'u2'));
      await call('PATCH', `/api/blog/posts/${post.id}`, alice.token, { title: 'Renamed' });
      await subscriber.roundTrip();
      expect(subscriber.all('post_updated')).toHaveLength(1);
      subscriber.close();
      plain.close();
    });

    it('keeps a post that went back to draft from its readers', async () => {
      const [alice, bob, staff] = [await user('Alice'), await user('Bob'), await user('Sam', true)];
      const post = await createPost(server, alice);
      const subscribers = [await postSocket(post.id, bob), await postSocket(post.id, alice), await postSocket(post.id, staff)];
      for (const client of subscribers) {
        client.send({ type: 'subscribe_updates', ref: 'sub' });
        await client.next(ofType('updates_subscribed', 'sub'));
      }
      const comments = await commentSocket(post.id, bob);
      await call('PATCH', `/api/blog/posts/${post.id}`, alice.token, { status: 'draft', content: 'Secret rewrite' });
      const [reader, author, moderator] = subscribers as [TestClient, TestClient, TestClient];
      expect((await author.next('post_updated')).data).toMatchObject({ status: 'draft', content: 'Secret rewrite' });
      expect((await moderator.next('post_updated')).data.content).toBe('Secret rewrite');
      await reader.roundTrip();
      expect(reader.all('post_updated')).toHaveLength(0);
      comments.send({ type: 'get_comments', ref: 'g' });
      expect((await comments.next(ofType('error', 'g'))).code).toBe('not_found');
      comments.send({ type: 'add_comment', content: 'Hello?', ref: 'a' });
      expect((await comments.next(ofType('error', 'a'))).code).toBe('not_found');
      for (const client of [...subscribers, comments]) client.close();
    });

    it('counts likes once per user and pushes post_stats only when the count changes', async () => {
      const [alice, bob, carol] = [await user('Alice'), await user('Bob'), await user('Carol')];
      const post = await createPost(server, alice);
      const reader = await postSocket(post.id, alice);

      const first = await call('POST', `/api/blog/posts/${post.id}/like`, bob.token);
      expect(first).toEqual({ status: 201, body: { liked: true, changed: true, stats: { view_count: 0, comment_count: 0, like_count: 1 } } });
      expect((await reader.next('post_stats')).data.like_count).toBe(1);
      const repeat = await call('POST', `/api/blog/posts/${post.id}/like`, bob.token);
      expect(repeat.status).toBe(200);
      expect(repeat.body).toMatchObject({ changed: false, stats: { like_count: 1 } });
      await reader.roundTrip();
      expect(reader.all('post_stats')).toHaveLength(1);

      await call('POST', `/api/blog/posts/${post.id}/like`, carol.token);
      expect((await reader.next('post_stats')).data.like_count).toBe(2);
      const unliked = await call('DELETE', `/api/blog/posts/${post.id}/like`, bob.token);
      expect(unliked.body).toMatchObject({ liked: false, changed: true, stats: { like_count: 1 } });
      expect((await reader.next('post_stats')).data.like_count).toBe(1);
      expect((await call('GET', `/api/blog/posts/${post.id}`, bob.token)).body.like_count).toBe(1);
      reader.close();
    });
  });

  describe('/ws/blog/comments/<id>/', () => {
    it('stores add_comment and REST comments, then broadcasts comment_added and the new count', async () => {
      const [alice, bob] = [await user('Alice'), await user('Bob')];
      const post = await createPost(server, alice);
      const [writer, watcher, stats] = [await commentSocket(post.id, bob), await commentSocket(post.id, alice), await postSocket(post.id, alice)];

      writer.send({ type: 'add_comment', content: 'Great post!', ref: 'c1' });
      const own = await writer.next(ofType('comment_added', 'c1'));
      expect(own.data).toEqual({
        id: expect.any(String),
        post_id: post.id,
        content: 'Great post!',
        author: 'Bob',
        author_id: bob.id,
        approved: true,
        created_at: expect.any(String),
      });
      expect((await watcher.next('comment_added')).data.id).toBe(own.data.id);
      expect((await stats.next('post_stats')).data.comment_count).toBe(1);

      const viaRest = await call('POST', `/api/blog/posts/${post.id}/comments`, alice.token, { content: 'Thanks' });
      expect(viaRest.status).toBe(201);
      expect((await writer.next('comment_added')).data).toMatchObject({ id: viaRest.body.id, author: 'Alice', content: 'Thanks' });

      watcher.send({ type: 'get_comments', ref: 'g1' });
      const listed = await watcher.next(ofType('comments', 'g1'));
      expect(listed.data.comments.map((c: any) => c.content)).toEqual(['Great post!', 'Thanks']);
      expect((await call('GET', `/api/blog/posts/${post.id}`, bob.token)).body.comment_count).toBe(2);
      for (const client of [writer, watcher, stats]) client.close();
    });

    it('refuses empty, blank and over-long comments', async () => {
      const [alice] = [await user('Alice')];
      const post = await createPost(server, alice);
      const client = await commentSocket(post.id, alice);
      for (const [message, code] of [
        [{ type: 'add_comment' }, 'invalid_payload'],
        [{ type: 'add_comment', content: '   ' }, 'invalid_payload'],
        [{ type: 'add_comment', content: 'x'.repeat(4001) }, 'invalid_payload'],
        [{ type: 'get_comments', limit: 101 }, 'invalid_payload'],
        [{ type: 'delete_comment' }, 'unknown_type'],
      ] as const) {
        client.send({ ...message, ref: 'bad' });
        expect((await client.next(ofType('error', 'bad'))).code).toBe(code);
      }
      client.send({ type: 'add_comment', content: 'x'.repeat(4000), ref: 'max' });
      expect((await client.next(ofType('comment_added', 'max'))).data.content).toHaveLength(4000);
      expect((await call('POST', `/api/blog/posts/${post.id}/comments`, alice.token, { content: ' ' })).status).toBe(400);
      expect((await call('POST', `/api/blog/posts/${post.id}/comments`, alice.token, { content: 'x'.repeat(4001) })).status).toBe(400);
      client.close();
    });

    it('holds comments on moderated posts until staff approve them', async () => {
      const [alice, bob, carol, staff] = [await user('Alice'), await user('Bob'), await user('Carol'), await user('Sam', true)];
      const post = await createPost(server, alice, { moderate_comments: true });
      const [writer, watcher, stats] = [await commentSocket(post.id, bob), await commentSocket(post.id, carol), await postSocket(post.id, carol)];

      writer.send({ type: 'add_comment', content: 'Held, please', ref: 'h1' });
      const held = await writer.next(ofType('comment_held', 'h1'));
      expect(held.data).toMatchObject({ approved: false, author: 'Bob' });
      await watcher.roundTrip();
      await stats.roundTrip();
      expect(watcher.all('comment_added')).toHaveLength(0);
      expect(stats.all('post_stats')).toHaveLength(0);

      const list = async (client: TestClient, ref: string) => {
        client.send({ type: 'get_comments', ref });
        return (await client.next(ofType('comments', ref))).data.comments.map((c: any) => c.id);
      };
      expect(await list(watcher, 'l1')).toEqual([]);
      expect(await list(writer, 'l2')).toEqual([held.data.id]);
      const staffSocket = await commentSocket(post.id, staff);
      expect(await list(staffSocket, 'l3')).toEqual([held.data.id]);

      // The post's author is not moderated on their own post.
      const byAuthor = await call('POST', `/api/blog/posts/${post.id}/comments`, alice.token, { content: 'Author here' });
      expect(byAuthor.body.approved).toBe(true);
      expect((await watcher.next('comment_added')).data.id).toBe(byAuthor.body.id);

      expect((await call('POST', `/api/blog/comments/${held.data.id}/approve`, bob.token)).body.error.code).toBe('forbidden');
      expect((await call('POST', `/api/blog/comments/${randomUUID()}/approve`, staff.token)).status).toBe(404);
      const approved = await call('POST', `/api/blog/comments/${held.data.id}/approve`, staff.token);
      expect(approved.body).toMatchObject({ id: held.data.id, approved: true });
      expect((await watcher.next('comment_approved')).data).toMatchObject({ id: held.data.id, approved: true, content: 'Held, please' });
      expect((await writer.next('comment_approved')).data.id).toBe(held.data.id);
      await stats.next((m) => m.type === 'post_stats' && m.data.comment_count === 2);

      expect((await call('POST', `/api/blog/comments/${held.data.id}/approve`, staff.token)).status).toBe(200);
      await watcher.roundTrip();
      expect(watcher.all('comment_approved')).toHaveLength(1);
      expect(await list(watcher, 'l4')).toEqual([held.data.id, byAuthor.body.id]);
      for (const client of [writer, watcher, stats, staffSocket]) client.close();
    });

    it('tells the others who is typing, never the typer, and clears typers who leave', async () => {
      const [alice, bob, carol] = [await user('Alice'), await user('Bob'), await user('Carol')];
      const post = await createPost(server, alice);
      const [a, b, c] = [await commentSocket(post.id, alice), await commentSocket(post.id, bob), await commentSocket(post.id, carol)];
      const aliceSecondTab = await commentSocket(post.id, alice);

      a.send({ type: 'typing_start' });
      expect((await b.next('user_typing')).data).toEqual({ user: 'Alice', user_id: alice.id, is_typing: true, typing_users: ['Alice'] });
      await c.next('user_typing');
      c.send({ type: 'typing_start' });
      expect((await b.next('user_typing')).data).toMatchObject({ user: 'Carol', is_typing: true, typing_users: ['Alice', 'Carol'] });
      expect((await a.next('user_typing')).data.user).toBe('Carol');

      a.send({ type: 'typing_stop' });
      expect((await b.next('user_typing')).data).toMatchObject({ user: 'Alice', is_typing: false, typing_users: ['Carol'] });
      await c.close();
      expect((await b.next('user_typing')).data).toMatchObject({ user: 'Carol', is_typing: false, typing_users: [] });

      for (const client of [a, aliceSecondTab]) await client.roundTrip();
      expect(a.all('user_typing').map((m) => m.data.user)).toEqual(['Carol', 'Carol']);
      expect(aliceSecondTab.all('user_typing').map((m) => m.data.user)).toEqual(['Carol', 'Carol']);
      for (const client of [a, b, aliceSecondTab]) client.close();
    });
  });

  describe('notifications', () => {
    async function notificationSocket(who: TestUser, types?: string[]): Promise<TestClient> {
      const client = await TestClient.connect(server.wsUrl('/ws/notifications/', who.token));
      await client.next('unread_count');
      if (types) {
        client.send({ type: 'subscribe', notification_types: types, ref: 'sub' });
        await client.next(ofType('subscribed', 'sub'));
      }
      return client;
    }

    it('sends blog_post_published to subscribers of that type on the first publication only', async () => {
      const [alice, bob, carol] = [await user('Alice'), await user('Bob'), await user('Carol')];
      const [subscriber, unsubscribed] = [await notificationSocket(bob, ['blog_post_published']), await notificationSocket(carol)];
      const draft = await createPost(server, alice, { title: 'Launch day', status: 'draft' });
      await call('POST', `/api/blog/posts/${draft.id}/publish`, alice.token);
      const notice = await subscriber.next('notification');
      expect(notice.data).toMatchObject({
        notification_type: 'blog_post_published',
        title: 'New Post: Launch day',
        message: 'Alice published a new post: Launch day',
        icon: 'post',
        color: 'blue',
        data: { post_id: draft.id, title: 'Launch day', author: 'Alice' },
      });

      await call('PATCH', `/api/blog/posts/${draft.id}`, alice.token, { status: 'draft' });
      await call('PATCH', `/api/blog/posts/${draft.id}`, alice.token, { status: 'published' });
      await call('POST', `/api/blog/posts/${draft.id}/publish`, alice.token);
      const direct = await createPost(server, alice, { title: 'Straight out' });
      expect((await subscriber.next('notification')).data.data.post_id).toBe(direct.id);
      await subscriber.roundTrip();
      expect(subscriber.all('notification')).toHaveLength(2);
      await unsubscribed.roundTrip();
      expect(unsubscribed.all('notification')).toHaveLength(0);
      subscriber.close();
      unsubscribed.close();
    });

    it('notifies the post author of visible comments by others, persisted', async () => {
      const [alice, bob, staff] = [await user('Alice'), await user('Bob'), await user('Sam', true)];
      const inbox = await notificationSocket(alice);
      const post = await createPost(server, alice, { title: 'Essay', moderate_comments: true });

      await call('POST', `/api/blog/posts/${post.id}/comments`, alice.token, { content: 'My own remark' });
      const held = await call('POST', `/api/blog/posts/${post.id}/comments`, bob.token, { content: 'Nice essay' });
      await inbox.roundTrip();
      expect(inbox.all('notification')).toHaveLength(0);

      await call('POST', `/api/blog/comments/${held.body.id}/approve`, staff.token);
      const notice = await inbox.next('notification');
      expect(notice.data).toMatchObject({
        notification_type: 'comment_added',
        title: 'New comment on: Essay',
        message: 'Bob commented on your post: Nice essay',
        data: { post_id: post.id, comment_id: held.body.id, author: 'Bob' },
        read_at: null,
      });
      const stored = await call('GET', '/api/notifications', alice.token);
      expect(stored.body.notifications.map((n: any) => n.id)).toEqual([notice.data.id]);
      expect(stored.body.unread_count).toBe(1);

      // Unmoderated: notified at once, also when the author was offline.
      inbox.close();
      const open = await createPost(server, alice, { title: 'Open' });
      await call('POST', `/api/blog/posts/${open.id}/comments`, bob.token, { content: 'First!' });
      const later = await call('GET', '/api/notifications', alice.token);
      expect(later.body.notifications[0]).toMatchObject({ notification_type: 'comment_added', data: { post_id: open.id } });
      expect(later.body.unread_count).toBe(2);
    });
  });
});

describe('blog timers', () => {
  let server: TestServer;
  let staffToken: string;
  let postId: string;

  beforeAll(async () => {
    server = await startServer({ heartbeatIntervalMs: 200 });
    staffToken = await server.token(randomUUID(), { name: 'Sam', is_staff: true });
    postId = (await createPost(server, { token: staffToken }, { title: 'Timers', content: 'x' })).id;
  });
  afterAll(() => server.stop());

  it('pushes heartbeat to the post, comments and analytics endpoints', async () => {
    const paths = [`/ws/blog/posts/${postId}/`, `/ws/blog/comments/${postId}/`, '/ws/analytics/dashboard/'];
    const clients = await Promise.all(paths.map((path) => TestClient.connect(server.wsUrl(path, staffToken))));
    for (const client of clients) {
      const beat = await client.next('heartbeat');
      expect(Object.keys(beat).sort()).toEqual(['timestamp', 'type']);
      await client.next('heartbeat');
    }
    // Other endpoints do not get it.
    const rooms = await TestClient.connect(server.wsUrl('/api/v1/ws', staffToken));
    await clients[0]!.next('heartbeat');
    await clients[0]!.next('heartbeat');
    await rooms.roundTrip();
    expect(rooms.all('heartbeat')).toHaveLength(0);
    for (const client of [...clients, rooms]) client.close();
  });

  it('drops a silent typer after about 5 s', async () => {
    const [alice, bob] = [await server.token(randomUUID(), { name: 'Alice' }), await server.token(randomUUID(), { name: 'Bob' })];
    const typer = await TestClient.connect(server.wsUrl(`/ws/blog/comments/${postId}/`, alice));
    const watcher = await TestClient.connect(server.wsUrl(`/ws/blog/comments/${postId}/`, bob));
    await watcher.roundTrip();
    typer.send({ type: 'typing_start' });
    const started = await watcher.next('user_typing');
    expect(started.data.is_typing).toBe(true);
    const stopped = await watcher.next('user_typing', 8000);
    expect(stopped.data).toMatchObject({ user: 'Alice', is_typing: false, typing_users: [] });
    const waited = Date.parse(stopped.timestamp) - Date.parse(started.timestamp);
    expect(waited).toBeGreaterThanOrEqual(4900);
    expect(waited).toBeLessThan(7000);
    typer.close();
    watcher.close();
  }, 15_000);
});

describe('blog typing when an instance dies (Redis presence)', () => {
  /** Short, so the dead instance's entries expire quickly; heartbeats run every TTL/3. */
  const TTL_MS = 1_000;
  let redis: RedisServer;
  let server: TestServer;

  beforeAll(async () => {
    redis = await startRedis();
    const presence = new RedisPresence(await RedisConnection.connect({ url: redis.url }), { instanceTtlMs: TTL_MS });
    server = await startServer({}, { presence });
  });
  afterAll(async () => {
    await server?.stop();
    await redis?.stop();
  });

  it("tells the others that the dead instance's typer stopped, once its entries expire", async () => {
    const [alice, bob] = [await server.token(randomUUID(), { name: 'Alice' }), await server.token(randomUUID(), { name: 'Bob' })];
    const postId = (await createPost(server, { token: alice }, { title: 'Crash', content: 'x' })).id;
    // Another instance with a typer on the post, which then crashes (no leave, no onDisconnect).
    const ghostId = randomUUID();
    const doomed = new RedisPresence(await RedisConnection.connect({ url: redis.url }), { instanceTtlMs: TTL_MS });
    await doomed.join(typingTopic(postId), { userId: ghostId, userName: 'Ghost' }, 1);

    const typer = await TestClient.connect(server.wsUrl(`/ws/blog/comments/${postId}/`, alice));
    const watcher = await TestClient.connect(server.wsUrl(`/ws/blog/comments/${postId}/`, bob));
    await watcher.roundTrip();
    typer.send({ type: 'typing_start' });
    expect((await watcher.next('user_typing')).data.typing_users.sort()).toEqual(['Alice', 'Ghost']);

    await doomed.close({ keepEntries: true });
    const stopped = await watcher.next((m) => m.type === 'user_typing' && m.data.user_id === ghostId, TTL_MS * 2 + 2_000);
    expect(stopped.data).toEqual({ user: 'Ghost', user_id: ghostId, is_typing: false, typing_users: ['Alice'] });
    typer.close();
    watcher.close();
  });
});
