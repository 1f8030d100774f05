/**
 * Horizontal scaling over real processes: three `switchboard serve` instances on one
 * redis-server and one PostgreSQL database (started once for the file). For every
 * endpoint, a client on one instance sees what a client on another does: rooms,
 * channels, documents (JSON and Yjs), notifications, conversations, blog, analytics,
 * projects; the per-user connection limit and rooms' `online_count` are cluster-wide;
 * logout on one instance closes the user's sockets on the others; and the shipped
 * deploy/nginx.conf in front of them (when nginx is installed). Failures (kill -9,
 * Redis restart) are in cluster-failures.test.ts, Redis Cluster in cluster-sharded.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { textBecomes } from './support/yjs.js';
import { TestClient, type Message } from './support/client.js';
import { signTestToken } from './support/server.js';
import {
  CLUSTER_API_KEY,
  PASSWORD,
  call,
  connectAndGreet,
  findNginx,
  pollUntil,
  register,
  startCluster,
  startNginx,
  workspaceWithChannel,
  type Account,
  type Cluster,
  type ClusterInstance,
  type Nginx,
} from './support/cluster.js';

const ROOMS = '/api/v1/ws';
const WAIT_MS = 10_000;
const sorted = (ids: string[]): string[] => [...ids].sort();

describe('three instances on one Redis and one PostgreSQL', { timeout: 60_000 }, () => {
  let cluster: Cluster;
  let a: ClusterInstance;
  let b: ClusterInstance;
  let c: ClusterInstance;
  const clients: TestClient[] = [];
  const providers: WebsocketProvider[] = [];

  beforeAll(async () => {
    cluster = await startCluster();
    [a, b, c] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
  }, 120_000);

  afterEach(async () => {
    for (const provider of providers.splice(0)) provider.destroy();
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  async function rooms(instance: ClusterInstance, user: Account): Promise<{ client: TestClient; greeting: Message }> {
    return connectAndGreet(instance.wsUrl(ROOMS, user.token), 'system', clients);
  }

  /** One account per label, registered on one instance and logged in on the next: the database is shared. */
  async function accounts<const L extends readonly string[]>(...labels: L): Promise<{ [K in keyof L]: Account }> {
    const result: Account[] = [];
    for (const [i, label] of labels.entries()) result.push(await register(cluster.instances[i % 3]!, cluster.instances[(i + 1) % 3]!, label));
    return result as { [K in keyof L]: Account };
  }

  // Runs first: with no other connection in the cluster, the counts are exact.
  it('rooms: online_count and member lists are cluster-wide; messages and typing cross instances', async () => {
    const [ann, ben, cat] = await accounts('ann', 'ben', 'cat');
    const onA = await rooms(a, ann);
    const onB = await rooms(b, ben);
    const onC = await rooms(c, cat);
    // Every live connection in the cluster, whichever instance holds it.
    expect([onA.greeting.online_count, onB.greeting.online_count, onC.greeting.online_count]).toEqual([1, 2, 3]);
    expect(onC.greeting).toMatchObject({ message: 'Connected successfully', user_id: cat.id });

    const room = `lobby-${randomUUID().slice(0, 8)}`;
    onA.client.send({ type: 'join_room', room });
    await onA.client.next((m) => m.type === 'system' && m.room === room);
    onB.client.send({ type: 'join_room', room });
    const benJoined = await onA.client.next((m) => m.type === 'system' && m.message === `${ben.id} joined`);
    expect(benJoined).toMatchObject({ room, member_count: 2 });
    expect(sorted(benJoined.members)).toEqual(sorted([ann.id, ben.id]));
    onC.client.send({ type: 'join_room', room });
    const catJoined = (client: TestClient): Promise<Message> => client.next((m) => m.type === 'system' && m.message === `${cat.id} joined`);
    for (const seen of await Promise.all([catJoined(onA.client), catJoined(onB.client), catJoined(onC.client)])) {
      expect(seen).toMatchObject({ room, member_count: 3 });
      expect(sorted(seen.members)).toEqual(sorted([ann.id, ben.id, cat.id]));
    }

    onC.client.send({ type: 'message', room, text: 'hello from C' });
    for (const client of [onA.client, onB.client, onC.client]) {
      expect(await client.next('message')).toMatchObject({ type: 'message', from: cat.id, room, text: 'hello from C' });
    }

    onA.client.send({ type: 'typing', room, is_typing: true });
    for (const client of [onB.client, onC.client]) {
      expect(await client.next('typing')).toMatchObject({ user_id: ann.id, room, is_typing: true });
    }
    // Not echoed to the typist (anything sent to A before its pong has arrived).
    await onA.client.roundTrip();
    expect(onA.client.all('typing')).toEqual([]);

    onB.client.send({ type: 'leave_room', room });
    for (const client of [onA.client, onC.client]) {
      expect(await client.next((m) => m.type === 'system' && m.message === `${ben.id} left`)).toMatchObject({ room });
    }
    // Ben left: a message in the room no longer reaches B.
    onA.client.send({ type: 'message', room, text: 'after ben left' });
    await onC.client.next((m) => m.type === 'message' && m.text === 'after ben left');
    await onB.client.roundTrip();
    expect(onB.client.all('message').map((m) => m.text)).toEqual(['hello from C']);
  });

  it('counts the per-user connection limit across instances: the 11th connection anywhere closes 4008', async () => {
    const [limited] = await accounts('limited');
    const order = [a, b, c, a, b, c, a, b, c, a];
    const open: TestClient[] = [];
    for (const instance of order) open.push((await rooms(instance, limited)).client);
    expect(open.map((client) => client.ws.readyState)).toEqual(order.map(() => WebSocket.OPEN));

    for (const instance of [b, c]) {
      const eleventh = new TestClient(instance.wsUrl(ROOMS, limited.token));
      clients.push(eleventh);
      expect(await eleventh.closed).toEqual({ code: 4008, reason: 'Too many connections' });
    }
    // The ten are untouched.
    await Promise.all(open.map((client) => client.roundTrip()));

    // One closes on A: a connection on C fits again once A has released the slot.
    await open[0]!.close();
    const replacement = await pollUntil('a free slot after a close on another instance', async () => {
      const client = new TestClient(c.wsUrl(ROOMS, limited.token));
      clients.push(client);
      const outcome = await Promise.race([client.next('system').then(() => 'open'), client.closed.then((event) => `closed ${event.code}`)]);
      return outcome === 'open' ? client : undefined;
    });
    await replacement.roundTrip();
  });

  it('channels: message with seq, typing and presence online_users cross instances; history on any instance', async () => {
    const [pia, quinn, rex] = await accounts('pia', 'quinn', 'rex');
    const { channelId } = await workspaceWithChannel(a, pia, [quinn, rex]);
    const path = `/ws/channels/${channelId}/`;

    const onA = await connectAndGreet(a.wsUrl(path, pia.token), 'presence', clients);
    expect(onA.greeting.data.online_users).toEqual([pia.id]);
    const onB = await connectAndGreet(b.wsUrl(path, quinn.token), 'presence', clients);
    expect(sorted(onB.greeting.data.online_users)).toEqual(sorted([pia.id, quinn.id]));
    expect(sorted((await onA.client.next('presence')).data.online_users)).toEqual(sorted([pia.id, quinn.id]));
    const onC = await connectAndGreet(c.wsUrl(path, rex.token), 'presence', clients);
    const everyone = sorted([pia.id, quinn.id, rex.id]);
    expect(sorted(onC.greeting.data.online_users)).toEqual(everyone);
    for (const client of [onA.client, onB.client]) expect(sorted((await client.next('presence')).data.online_users)).toEqual(everyone);

    onA.client.send({ type: 'message', data: { content: 'first, from A', client_id: 'a-1' }, ref: 'm1' });
    const first = await onA.client.next('message');
    expect(first).toMatchObject({ ref: 'm1', data: { seq: 1, content: 'first, from A', user_id: pia.id, channel_id: channelId } });
    onC.client.send({ type: 'message', data: { content: 'second, from C' } });
    for (const client of [onA.client, onB.client, onC.client]) {
      const seen = client === onA.client ? [first.data] : [(await client.next('message')).data];
      seen.push((await client.next('message')).data);
      // Same order and the same rows everywhere, whichever instance each came through.
      expect(seen.map((m) => [m.seq, m.content, m.user_id])).toEqual([
        [1, 'first, from A', pia.id],
        [2, 'second, from C', rex.id],
      ]);
      expect(seen[0]!.id).toBe(first.data.id);
    }

    onB.client.send({ type: 'typing', data: { is_typing: true } });
    for (const client of [onA.client, onC.client]) {
      expect((await client.next('typing')).data).toMatchObject({ user_id: quinn.id, user_name: 'Quinn', is_typing: true });
    }

    // History is the database: the same on every instance.
    onB.client.send({ type: 'history', data: { after_seq: 0 }, ref: 'h' });
    const history = await onB.client.next('history');
    expect(history.data.messages.map((m: Message) => m.seq)).toEqual([1, 2]);

    // Rex leaves (his only connection): A and B see him go.
    await onC.client.close();
    for (const client of [onA.client, onB.client]) {
      expect(sorted((await client.next('presence')).data.online_users)).toEqual(sorted([pia.id, quinn.id]));
    }
  });

  it('documents: an update on A reaches C as document_updated; a Yjs provider on A and JSON clients converge', async () => {
    const [dora, eli] = await accounts('dora', 'eli');
    const { workspaceId } = await workspaceWithChannel(a, dora, [eli]);
    const created = await call(b, 'POST', `/api/workspaces/${workspaceId}/documents`, { token: dora.token, body: { title: 'Plan', content: 'Hello' } });
    expect(created.status).toBe(201);
    const documentId: string = created.body.id;
    const path = `/ws/documents/${documentId}/`;

    const onA = await connectAndGreet(a.wsUrl(path, dora.token), 'document_state', clients);
    const onC = await connectAndGreet(c.wsUrl(path, eli.token), 'document_state', clients);
    expect(onC.greeting.data).toMatchObject({ content: 'Hello', version: 1 });
    // user_joined crosses instances too.
    expect((await onA.client.next((m) => m.type === 'user_joined' && m.data.user_id === eli.id)).data).toMatchObject({ user_name: 'Eli' });

    onA.client.send({ type: 'update', data: { content: 'Hello world', version: 1 }, ref: 'u1' });
    expect(await onA.client.next('update_ack')).toMatchObject({ ref: 'u1', data: { version: 2 } });
    expect((await onC.client.next('document_updated')).data).toEqual({ content: 'Hello world', version: 2, user_id: dora.id });

    // A stock y-websocket provider on A; its edit reaches the JSON client on C once A stores it.
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(a.wsUrl(`/ws/documents/${documentId}`), 'yjs', doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: eli.token },
      disableBc: true,
    });
    providers.push(provider);
    await new Promise<void>((resolve) => provider.on('sync', (synced: boolean) => synced && resolve()));
    const text = doc.getText('content');
    expect(text.toString()).toBe('Hello world');
    text.insert('Hello'.length, ' brave');
    const stored = await onC.client.next((m) => m.type === 'document_updated' && m.data.content === 'Hello brave world', WAIT_MS);
    expect(stored.data.version).toBe(3);

    // A JSON edit on C reaches the provider on A as a Yjs update.
    onC.client.send({ type: 'update', data: { content: 'Hello brave new world', version: 3 } });
    expect(await onC.client.next('update_ack')).toMatchObject({ data: { version: 4 } });
    await textBecomes(text, 'Hello brave new world', WAIT_MS);
    expect((await call(b, 'GET', `/api/documents/${documentId}`, { token: dora.token })).body).toMatchObject({
      content: 'Hello brave new world',
      version: 4,
    });
  });

  it('notifications: created over REST on B, pushed on A and C; mark_read on A syncs unread_count on C', async () => {
    const [nina] = await accounts('nina');
    const tab1 = await connectAndGreet(a.wsUrl('/ws/notifications/', nina.token), 'unread_count', clients);
    const tab2 = await connectAndGreet(c.wsUrl('/ws/notifications/', nina.token), 'unread_count', clients);
    expect(tab1.greeting.data).toEqual({ count: 0 });

    const ids: string[] = [];
    for (const title of ['Deploy done', 'Review requested']) {
      const created = await call(b, 'POST', '/api/notifications', {
        apiKey: CLUSTER_API_KEY,
        body: { user_id: nina.id, notification_type: 'general', title, message: `${title}!` },
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
      for (const tab of [tab1.client, tab2.client]) {
        expect((await tab.next('notification')).data).toMatchObject({ id: created.body.id, title, notification_type: 'general', read_at: null });
      }
    }

    tab1.client.send({ type: 'mark_read', id: ids[0], ref: 'r1' });
    expect(await tab1.client.next((m) => m.type === 'unread_count' && m.ref === 'r1')).toMatchObject({ data: { count: 1 } });
    expect((await tab2.client.next('unread_count')).data).toEqual({ count: 1 });

    // Marking read over REST on B reaches both tabs.
    expect((await call(b, 'POST', '/api/notifications/read-all', { token: nina.token })).body).toMatchObject({ marked: 1, unread_count: 0 });
    for (const tab of [tab1.client, tab2.client]) expect((await tab.next('unread_count')).data).toEqual({ count: 0 });
  });

  it('conversations: messages, typing and read cross instances; a recipient on another instance counts as delivered', async () => {
    const [client, worker] = await accounts('client', 'worker');
    const created = await call(b, 'POST', '/api/chat/conversations', {
      apiKey: CLUSTER_API_KEY,
      body: { client_id: client.id, worker_id: worker.id, title: 'Fix the sink', job_ref: `job-${randomUUID().slice(0, 8)}` },
    });
    expect(created.status).toBe(201);
    const path = `/ws/chat/${created.body.id}/`;
    const onA = new TestClient(a.wsUrl(path, client.token));
    const onC = new TestClient(c.wsUrl(path, worker.token));
    clients.push(onA, onC);
    await Promise.all([onA.opened, onC.opened]);
    // Setup finished on both (presence joined) once a ping is answered.
    await Promise.all([onA.roundTrip(), onC.roundTrip()]);

    onA.send({ message: 'Is 9am ok?', type: 'TEXT' });
    for (const side of [onA, onC]) {
      expect((await side.next('message')).message).toMatchObject({ sender_id: client.id, message_text: 'Is 9am ok?', message_type: 'TEXT' });
    }

    onC.send({ type: 'typing', is_typing: true });
    expect(await onA.next('typing')).toMatchObject({ user_id: worker.id, is_typing: true });

    // Sent over REST on B while the client is connected to A: delivered, and pushed to A.
    const sent = await call(b, 'POST', `/api/chat/conversations/${created.body.id}/messages`, {
      token: worker.token,
      body: { message_text: 'Yes, see you', message_type: 'TEXT' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body.delivery_status).toBe('delivered');
    expect((await onA.next('message')).message).toMatchObject({ id: sent.body.id, sender_id: worker.id });

    onA.send({ type: 'mark_read' });
    expect(await onC.next('read')).toMatchObject({ user_id: client.id });
  });

  it('logout on B closes the user’s sockets on A and C with 4001 Logged out; other users stay', async () => {
    const [leaver, stayer] = await accounts('leaver', 'stayer');
    const onA = await rooms(a, leaver);
    const onC = await connectAndGreet(c.wsUrl('/ws/notifications/', leaver.token), 'unread_count', clients);
    const bystander = await rooms(a, stayer);

    const reply = await call(b, 'POST', '/api/auth/logout', { token: leaver.token });
    // The count is of B's own sockets; A and C close theirs on the control message.
    expect(reply).toEqual({ status: 200, body: { closed_connections: 0 } });
    expect(await onA.client.closed).toEqual({ code: 4001, reason: 'Logged out' });
    expect(await onC.client.closed).toEqual({ code: 4001, reason: 'Logged out' });
    await bystander.client.roundTrip();
    expect(bystander.client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('REST writes on one instance fan out to sockets on the others (channel messages, /api/publish)', async () => {
    const [olga, piet] = await accounts('olga', 'piet');
    const { channelId } = await workspaceWithChannel(c, olga, [piet]);
    const onA = await connectAndGreet(a.wsUrl(`/ws/channels/${channelId}/`, piet.token), 'presence', clients);
    const posted = await call(b, 'POST', `/api/channels/${channelId}/messages`, { token: olga.token, body: { content: 'via REST on B' } });
    expect(posted.status).toBe(201);
    expect((await onA.client.next('message')).data).toMatchObject({ id: posted.body.id, seq: 1, content: 'via REST on B' });

    const published = await call(c, 'POST', '/api/publish', { apiKey: CLUSTER_API_KEY, body: { user_id: piet.id, message: { type: 'custom', n: 1 } } });
    expect(published.status).toBeLessThan(300);
    expect(await onA.client.next('custom')).toMatchObject({ n: 1 });
  });

  it('analytics: the staff dashboard on A counts instances, connections and page views of the whole cluster', async () => {
    const [reader, outsider] = await accounts('visitor', 'outsider');
    const staffId = randomUUID();
    const staffToken = await signTestToken(staffId, { name: 'Staff', is_staff: true });
    const refused = new TestClient(a.wsUrl('/ws/analytics/dashboard/', outsider.token));
    clients.push(refused);
    expect((await refused.closed).code).toBe(4003);

    const post = await call(b, 'POST', '/api/blog/posts', { token: reader.token, body: { title: 'Counted', content: 'x', status: 'published' } });
    const visitor = new TestClient(c.wsUrl(`/ws/blog/posts/${post.body.id}/`, reader.token));
    clients.push(visitor);
    await visitor.opened;
    await visitor.roundTrip();

    const dashboard = await connectAndGreet(a.wsUrl('/ws/analytics/dashboard/', staffToken), 'analytics_snapshot', clients);
    // Presence figures are read from Redis at once: the visitor on C, the dashboard on A.
    expect(dashboard.greeting.data).toMatchObject({ live_visitors: 1, page_views_last_minute: 0 });
    expect(dashboard.greeting.data.active_connections).toBeGreaterThanOrEqual(2);
    // Instances report every 2 s (one that just started may not have been heard yet).
    await dashboard.client.next((m) => m.type === 'analytics_update' && m.data.instances === 3, WAIT_MS);
    // Runs before any other case counts a view: the cluster's only view is counted on C
    // and reaches A with C's next report.
    visitor.send({ type: 'track_view' });
    const update = await dashboard.client.next((m) => m.type === 'analytics_update' && m.data.page_views_last_minute > 0, WAIT_MS);
    expect(update.data).toMatchObject({ instances: 3, page_views_last_minute: 1, live_visitors: 1 });
  });

  it('blog: views, post updates, typing, comments and the published notification cross instances', async () => {
    const [author, reader, commenter] = await accounts('author', 'reader', 'commenter');
    // Subscribed on C before the post exists: its first publication is announced cluster-wide.
    const inbox = await connectAndGreet(c.wsUrl('/ws/notifications/', reader.token), 'unread_count', clients);
    inbox.client.send({ type: 'subscribe', notification_types: ['blog_post_published'], ref: 's' });
    await inbox.client.next((m) => m.ref === 's');
    const post = await call(a, 'POST', '/api/blog/posts', { token: author.token, body: { title: 'Scaling out', content: 'Draft one', status: 'published' } });
    expect(post.status).toBe(201);
    expect((await inbox.client.next('notification')).data).toMatchObject({ notification_type: 'blog_post_published', data: { post_id: post.body.id } });

    const postPath = `/ws/blog/posts/${post.body.id}/`;
    const watcher = new TestClient(b.wsUrl(postPath, reader.token));
    const viewer = new TestClient(c.wsUrl(postPath, commenter.token));
    clients.push(watcher, viewer);
    await Promise.all([watcher.opened, viewer.opened]);
    watcher.send({ type: 'subscribe_updates', ref: 'sub' });
    await watcher.next((m) => m.ref === 'sub');
    await viewer.roundTrip();
    viewer.send({ type: 'track_view' });
    expect((await watcher.next('post_stats')).data).toMatchObject({ view_count: 1 });
    expect((await call(a, 'PATCH', `/api/blog/posts/${post.body.id}`, { token: author.token, body: { content: 'Edited' } })).status).toBe(200);
    expect((await watcher.next('post_updated')).data).toMatchObject({ id: post.body.id, content: 'Edited' });

    const commentsPath = `/ws/blog/comments/${post.body.id}/`;
    const onA = new TestClient(a.wsUrl(commentsPath, author.token));
    const onC = new TestClient(c.wsUrl(commentsPath, commenter.token));
    clients.push(onA, onC);
    await Promise.all([onA.opened, onC.opened]);
    await Promise.all([onA.roundTrip(), onC.roundTrip()]);
    onC.send({ type: 'typing_start' });
    expect((await onA.next('user_typing')).data).toMatchObject({ user: 'Commenter', is_typing: true, typing_users: ['Commenter'] });
    const comment = await call(b, 'POST', `/api/blog/posts/${post.body.id}/comments`, { token: commenter.token, body: { content: 'Nice one' } });
    expect(comment.status).toBe(201);
    for (const side of [onA, onC]) expect((await side.next('comment_added')).data).toMatchObject({ id: comment.body.id, content: 'Nice one' });
    expect((await watcher.next('post_stats')).data).toMatchObject({ comment_count: 1 });
  });

  it('projects: ticket updates from REST on B reach C; presence joined, viewing and left cross instances', async () => {
    const [owner, member] = await accounts('owner', 'member');
    const project = await call(a, 'POST', '/api/projects', { token: owner.token, body: { name: 'Cluster' } });
    expect(project.status).toBe(201);
    expect((await call(a, 'POST', `/api/projects/${project.body.id}/members`, { token: owner.token, body: { user_id: member.id } })).status).toBe(201);

    const tickets = new TestClient(c.wsUrl(`/ws/projects/${project.body.id}/tickets/`, member.token));
    clients.push(tickets);
    await tickets.opened;
    await tickets.roundTrip();
    const ticket = await call(b, 'POST', `/api/projects/${project.body.id}/tickets`, { token: owner.token, body: { title: 'Shard the sessions' } });
    expect(ticket.status).toBe(201);
    expect(await tickets.next('ticket_update')).toMatchObject({ action: 'created', data: { ticket_id: ticket.body.id, title: 'Shard the sessions' } });

    const presencePath = `/ws/projects/${project.body.id}/presence/`;
    const ownerOnA = await connectAndGreet(a.wsUrl(presencePath, owner.token), 'presence_state', clients);
    const memberOnC = await connectAndGreet(c.wsUrl(presencePath, member.token), 'presence_state', clients);
    expect(sorted(memberOnC.greeting.users.map((u: Message) => u.user_id))).toEqual(sorted([owner.id, member.id]));
    expect(await ownerOnA.client.next((m) => m.type === 'user_status' && m.user_id === member.id)).toMatchObject({ action: 'joined' });
    memberOnC.client.send({ type: 'view_ticket', ticket_id: ticket.body.id });
    expect(await ownerOnA.client.next((m) => m.type === 'user_status' && m.action === 'viewing')).toMatchObject({ user_id: member.id, ticket_id: ticket.body.id });
    await memberOnC.client.close();
    expect(await ownerOnA.client.next((m) => m.type === 'user_status' && m.action === 'left')).toMatchObject({ user_id: member.id });
  });

  describe.skipIf(!findNginx())('through nginx with deploy/nginx.conf', () => {
    let nginx: Nginx;

    beforeAll(async () => {
      nginx = await startNginx(cluster.instances);
    });
    afterAll(async () => {
      await nginx?.stop();
    });

    /** Live WebSocket connections of one instance, from its own /metrics (not reachable through nginx). */
    async function connectionsOn(instance: ClusterInstance): Promise<number> {
      const text = await (await fetch(`${instance.httpUrl}/metrics`)).text();
      return Number(/^switchboard_connections (\d+)$/m.exec(text)?.[1]);
    }

    /** Earlier cases' sockets are closed by now; waits until every instance has let go of them. */
    async function noConnectionsLeft(): Promise<void> {
      await pollUntil('no connections left', async () => ((await Promise.all([a, b, c].map(connectionsOn))).every((n) => n === 0) ? true : undefined));
    }

    it('round-robins WebSockets over the instances (no stickiness) and relays REST, /health, /api/v1/ws and /ws/ between them', async () => {
      const [gus, hal, ida] = await accounts('gus', 'hal', 'ida');
      await noConnectionsLeft();
      const sides = [];
      for (const user of [gus, hal, ida]) sides.push(await connectAndGreet(nginx.wsUrl(ROOMS, user.token), 'system', clients));
      expect(await Promise.all([a, b, c].map(connectionsOn))).toEqual([1, 1, 1]);

      const room = `nginx-${randomUUID().slice(0, 8)}`;
      for (const side of sides) {
        side.client.send({ type: 'join_room', room, ref: 'join' });
        await side.client.next((m) => m.ref === 'join');
      }
      sides[0]!.client.send({ type: 'message', room, text: 'through the proxy' });
      for (const side of sides.slice(1)) expect(await side.client.next('message')).toMatchObject({ from: gus.id, text: 'through the proxy' });

      const health = await fetch(`${nginx.httpUrl}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'healthy' });
      expect((await fetch(`${nginx.httpUrl}/metrics`)).status).toBe(403);
      const login = await fetch(`${nginx.httpUrl}/api/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: ida.username, password: PASSWORD }),
      });
      expect(login.status).toBe(200);

      // A /ws/ endpoint through the proxy, fed by a REST call through the proxy.
      const inbox = await connectAndGreet(nginx.wsUrl('/ws/notifications/', ida.token), 'unread_count', clients);
      const created = await fetch(`${nginx.httpUrl}/api/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': CLUSTER_API_KEY },
        body: JSON.stringify({ user_id: ida.id, notification_type: 'general', title: 'Via nginx', message: 'hello' }),
      });
      expect(created.status).toBe(201);
      expect((await inbox.client.next('notification')).data).toMatchObject({ title: 'Via nginx' });
    });

    // Last: it stops and restarts an instance.
    it('SIGTERM: clients through nginx get 1001 and reconnect through nginx to the remaining instances', async () => {
      const [jan] = await accounts('jan');
      await noConnectionsLeft();
      const sides = [];
      for (let i = 0; i < 3; i++) sides.push(await connectAndGreet(nginx.wsUrl(ROOMS, jan.token), 'system', clients));
      expect(await Promise.all([a, b, c].map(connectionsOn))).toEqual([1, 1, 1]);

      expect(await b.stop()).toEqual({ code: 0, signal: null });
      const outcomes = await Promise.all(
        sides.map((side) => Promise.race([side.client.closed, side.client.roundTrip().then(() => 'open' as const)])),
      );
      // The one socket on B was told the server is going away; the others never noticed.
      expect(outcomes.filter((outcome) => outcome !== 'open')).toEqual([{ code: 1001, reason: 'Server shutting down' }]);
      expect(outcomes.filter((outcome) => outcome === 'open')).toHaveLength(2);

      // Reconnects go through the same URL; nginx skips the stopped instance.
      for (let i = 0; i < 3; i++) await connectAndGreet(nginx.wsUrl(ROOMS, jan.token), 'system', clients);
      const [onA, onC] = await Promise.all([a, c].map(connectionsOn));
      expect(onA! + onC!).toBe(5);
      await b.start();
    });
  });

});
