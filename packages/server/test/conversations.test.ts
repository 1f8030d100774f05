/**
 * Seed 004 job conversations `/ws/chat/{conversation_id}/` and `/api/chat/...`
 * (PROTOCOL.md §6, §8) over real sockets, against SQLite and PostgreSQL: the seed's
 * message frames, persistence before broadcast, unread counts, read receipts, delivery
 * state, typing, access (4003 / 404), SYSTEM messages, cookie auth.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, closeOf, type Message } from './support/client.js';
import { DIALECTS, databaseUrl } from './support/databases.js';
import { api, type TestUser } from './support/http.js';
import { startServer, type TestServer } from './support/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEED_MESSAGE_FIELDS = ['conversation_id', 'id', 'is_read', 'message_text', 'message_type', 'sender_id', 'sender_name', 'timestamp'];
const API_KEY = 'conversations-test-api-key';

describe.each(DIALECTS)('job conversations on %s', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ databaseUrl: await databaseUrl(dialect), apiKey: API_KEY });
  });
  afterAll(() => server.stop());

  const { call, register } = api(() => server);

  /** A conversation created by its client through the REST API, as the job backend's frontend would. */
  async function conversation(client: TestUser, worker: TestUser, title = 'Fix the sink'): Promise<any> {
    const created = await call('POST', '/api/chat/conversations', client.token, {
      client_id: client.id,
      worker_id: worker.id,
      title,
      job_ref: `job-${randomUUID().slice(0, 8)}`,
    });
    expect(created.status).toBe(201);
    return created.body;
  }

  /** Connects and waits until the server finished connecting it (joined group and presence). */
  async function connect(conversationId: string, who: TestUser): Promise<TestClient> {
    const client = await TestClient.connect(server.wsUrl(`/ws/chat/${conversationId}/`, who.token));
    await client.roundTrip();
    return client;
  }

  const inboxEntry = async (who: TestUser, conversationId: string): Promise<any> => {
    const inbox = await call('GET', '/api/chat/conversations', who.token);
    expect(inbox.status).toBe(200);
    return inbox.body.conversations.find((c: any) => c.id === conversationId);
  };

  it("seed 004's flow: the worker is offline, the client sends 3 messages; the worker's inbox shows 3 unread; opening it marks read and the client gets `read`", async () => {
    const client = await register('carla');
    const worker = await register('walter');
    const conv = await conversation(client, worker);
    const clientWs = await connect(conv.id, client);

    const sent: Message[] = [];
    for (const text of ['Hello, when can we start?', 'Tomorrow at 9?', 'Bring a wrench']) {
      clientWs.send({ message: text, type: 'TEXT' });
      sent.push(await clientWs.next('message'));
    }
    const first = sent[0]!;
    expect(Object.keys(first.message).sort()).toEqual(SEED_MESSAGE_FIELDS);
    expect(first.message).toEqual({
      id: expect.stringMatching(UUID),
      conversation_id: conv.id,
      sender_id: client.id,
      sender_name: 'Carla',
      message_text: 'Hello, when can we start?',
      message_type: 'TEXT',
      timestamp: expect.any(String),
      is_read: false,
    });
    expect(new Date(first.message.timestamp).toISOString()).toBe(first.message.timestamp);
    expect(typeof first.timestamp).toBe('string');

    // Persisted with the last-message fields and the recipient's unread count.
    const workerView = await inboxEntry(worker, conv.id);
    expect(workerView).toMatchObject({
      unread_count: 3,
      role: 'worker',
      other_participant: { id: client.id, name: 'Carla' },
      last_message_text: 'Bring a wrench',
      last_message_sender_id: client.id,
      last_message_at: sent[2]!.message.timestamp,
      job_ref: conv.job_ref,
      title: 'Fix the sink',
    });
    expect((await inboxEntry(client, conv.id)).unread_count).toBe(0);

    // The worker opens the conversation: everything of the client is read, and the client hears it.
    const opened = await call('GET', `/api/chat/conversations/${conv.id}`, worker.token);
    expect(opened.status).toBe(200);
    expect(opened.body.conversation).toMatchObject({ id: conv.id, unread_count: 0, role: 'worker' });
    expect(opened.body.has_more).toBe(false);
    expect(opened.body.messages.map((m: any) => [m.seq, m.message_type, m.message_text, m.is_read, m.delivery_status])).toEqual([
      [1, 'SYSTEM', "Job 'Fix the sink' has been accepted. Chat is now active.", true, 'read'],
      [2, 'TEXT', 'Hello, when can we start?', true, 'read'],
      [3, 'TEXT', 'Tomorrow at 9?', true, 'read'],
      [4, 'TEXT', 'Bring a wrench', true, 'read'],
    ]);
    const read = await clientWs.next('read');
    expect(read).toMatchObject({ type: 'read', user_id: worker.id, last_read_id: sent[2]!.message.id });
    expect((await inboxEntry(worker, conv.id)).unread_count).toBe(0);

    // Opening again changes nothing, so nothing more is pushed.
    expect((await call('GET', `/api/chat/conversations/${conv.id}`, worker.token)).status).toBe(200);
    await clientWs.roundTrip();
    expect(clientWs.all('read')).toHaveLength(1);
    await clientWs.close();
  });

  it('a message reaches both participants; only the sender’s copy carries ref; a frame with no type is TEXT', async () => {
    const client = await register('carla');
    const worker = await register('walter');
    const conv = await conversation(client, worker);
    const clientWs = await connect(conv.id, client);
    const workerWs = await connect(conv.id, worker);

    workerWs.send({ type: 'TEXT', message: 'On my way', ref: 'w1' });
    const own = await workerWs.next('message');
    const seen = await clientWs.next('message');
    expect(own.ref).toBe('w1');
    expect(seen).not.toHaveProperty('ref');
    expect(seen.message).toEqual(own.message);
    expect(seen.message).toMatchObject({ sender_id: worker.id, sender_name: 'Walter', message_text: 'On my way' });

    // The seed's frame without `type`: a TEXT message.
    clientWs.send({ message: 'Great' });
    expect((await workerWs.next('message')).message).toMatchObject({ message_type: 'TEXT', message_text: 'Great', sender_id: client.id });
    // …even when the text itself mentions "type" (the default is decided on the parsed message).
    clientWs.send({ message: 'set the "type' });
    expect((await workerWs.next('message')).message).toMatchObject({ message_type: 'TEXT', message_text: 'set the "type' });
    // Other message types; IMAGE and FILE carry links.
    clientWs.send({ type: 'LOCATION', message: '14.5995,120.9842' });
    expect((await workerWs.next('message')).message).toMatchObject({ message_type: 'LOCATION', message_text: '14.5995,120.9842' });
    clientWs.send({ type: 'IMAGE', message: 'https://files.example/sink.jpg' });
    expect((await workerWs.next('message')).message).toMatchObject({ message_type: 'IMAGE', message_text: 'https://files.example/sink.jpg' });
    clientWs.send({ type: 'message', message_text: '/uploads/quote.pdf', message_type: 'FILE' });
    expect((await workerWs.next('message')).message).toMatchObject({ message_type: 'FILE', message_text: '/uploads/quote.pdf' });
    clientWs.send({ type: 'IMAGE', message: 'javascript:alert(1)', ref: 'bad-link' });
    expect(await clientWs.next('error')).toMatchObject({ code: 'invalid_payload', ref: 'bad-link' });
    await Promise.all([clientWs.close(), workerWs.close()]);
  });

  it('creating a conversation posts a SYSTEM message; the same job again returns it; creation rules', async () => {
    const client = await register('carla');
    const worker = await register('walter');
    const stranger = await register('sam');
    const staff = await register('stella', { claims: { is_staff: true } });
    const body = { client_id: client.id, worker_id: worker.id, title: 'Paint the fence', job_ref: 4242 };

    const created = await call('POST', '/api/chat/conversations', worker.token, body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(UUID),
      job_ref: '4242',
      title: 'Paint the fence',
      client_id: client.id,
      client_name: 'Carla',
      worker_id: worker.id,
      worker_name: 'Walter',
      role: 'worker',
      other_participant: { id: client.id, name: 'Carla' },
      unread_count: 0,
      last_message_text: "Job 'Paint the fence' has been accepted. Chat is now active.",
      last_message_sender_id: null,
    });
    const again = await call('POST', '/api/chat/conversations', client.token, body);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(created.body.id);

    const history = await call('GET', `/api/chat/conversations/${created.body.id}`, client.token);
    expect(history.body.messages).toHaveLength(1);
    expect(history.body.messages[0]).toMatchObject({
      seq: 1,
      conversation_id: created.body.id,
      sender_id: null,
      sender_name: 'System',
      message_type: 'SYSTEM',
      is_read: true,
    });

    // Staff and the API key may create conversations of others; a custom opening text.
    const byStaff = await call('POST', '/api/chat/conversations', staff.token, { ...body, job_ref: 'job-2', system_message: 'Welcome!' });
    expect(byStaff.status).toBe(201);
    expect(byStaff.body).toMatchObject({ role: null, other_participant: null, last_message_text: 'Welcome!' });
    const byKey = await call('POST', '/api/chat/conversations', undefined, { ...body, job_ref: 'job-3' }, { 'x-api-key': API_KEY });
    expect(byKey.status).toBe(201);

    expect((await call('POST', '/api/chat/conversations', stranger.token, { ...body, job_ref: 'job-4' })).status).toBe(403);
    expect((await call('POST', '/api/chat/conversations', undefined, { ...body, job_ref: 'job-4' })).status).toBe(401);
    expect((await call('POST', '/api/chat/conversations', undefined, body, { 'x-api-key': 'wrong' })).status).toBe(401);
    const unknownUser = await call('POST', '/api/chat/conversations', client.token, { ...body, worker_id: randomUUID() });
    expect(unknownUser.status).toBe(404);
    expect(unknownUser.body.error.code).toBe('not_found');
    const samePerson = await call('POST', '/api/chat/conversations', client.token, { ...body, worker_id: client.id });
    expect(samePerson.status).toBe(400);
    expect(samePerson.body.error.code).toBe('invalid_payload');
    expect((await call('POST', '/api/chat/conversations', client.token, { ...body, title: '   ' })).status).toBe(400);
    expect((await call('POST', '/api/chat/conversations', client.token, { ...body, worker_id: 'not-a-uuid' })).status).toBe(400);
  });

  it('a third user gets 4003 on the socket and 404 on every REST route; unknown and garbage ids alike', async () => {
    const client = await register('carla');
    const worker = await register('walter');
    const stranger = await register('sam');
    const staff = await register('stella', { claims: { is_staff: true } });
    const conv = await conversation(client, worker);

    expect((await closeOf(server.wsUrl(`/ws/chat/${conv.id}/`, stranger.token))).code).toBe(4003);
    expect((await closeOf(server.wsUrl(`/ws/chat/${conv.id}/`, staff.token))).code).toBe(4003);
    expect((await closeOf(server.wsUrl(`/ws/chat/${randomUUID()}/`, client.token))).code).toBe(4003);
    expect((await closeOf(server.wsUrl(`/ws/chat/not-a-uuid'--/`, client.token))).code).toBe(4003);
    expect((await closeOf(server.wsUrl(`/ws/chat/${conv.id}/`))).code).toBe(4001);

    for (const [method, path, body] of [
      ['GET', `/api/chat/conversations/${conv.id}`, undefined],
      ['POST', `/api/chat/conversations/${conv.id}/messages`, { message_text: 'hi' }],
      ['POST', `/api/chat/conversations/${conv.id}/read`, undefined],
      ['GET', `/api/chat/conversations/${randomUUID()}`, undefined],
      ['GET', '/api/chat/conversations/12', undefined],
    ] as const) {
      const response = await call(method, path, stranger.token, body);
      expect(response.status, `${method} ${path}`).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    }
    expect((await inboxEntry(stranger, conv.id))).toBeUndefined();
    // Nothing the stranger tried was stored.
    expect((await call('GET', `/api/chat/conversations/${conv.id}`, client.token)).body.messages).toHaveLength(1);
  });

  it('typing reaches only the other side; a socket closing while typing tells them it stopped', async () => {
    const client = await register('carla');
    const worker = await register('walter');
    const conv = await conversation(client, worker);
    const clientWs = await connect(conv.id, client);
    const clientTab2 = await connect(conv.id, client);
    const workerWs = await connect(conv.id, worker);

    clientWs.send({ type: 'typing', is_typing: true });
    expect(await workerWs.next('typing')).toMatchObject({ type: 'typing', user_id: client.id, is_typing: true });
    await clientWs.roundTrip();
    await clientTab2.roundTrip();
    expect(clientWs.all('typing')).toEqual([]);
    expect(clientTab2.all('typing')).toEqual([]);

    await clientWs.close();
    expect(await workerWs.next('typing')).toMatchObject({ user_id: client.id, is_typing: false });

    workerWs.send({ type: 'typing' });
    expect(await clientTab2.next('typing')).toMatchObject({ user_id: worker.id, is_typing: true });
    await Promise.all([clientTab2.close(), workerWs.close()]);
  });

  it('mark_read over the socket: messages turn read, the other side gets `read`, the reader does not', async () => {
    const client = await register('carla');
    const worker = await register('walter');
    const conv = await conversation(client, worker);
    const clientWs = await connect(conv.id, client);
    const workerWs = await connect(conv.id, worker);

    clientWs.send({ type: 'TEXT', message: 'one' });
    clientWs.send({ type: 'TEXT', message: 'two' });
    await workerWs.next('message');
    const second = await workerWs.next('message');
    expect((await inboxEntry(worker, conv.id)).unread_count).toBe(2);

    workerWs.send({ type: 'mark_read' });
    expect(await clientWs.next('read')).toMatchObject({ user_id: worker.id, last_read_id: second.message.id });
    await workerWs.roundTrip();
    expect(workerWs.all('read')).toEqual([]);
    expect((await inboxEntry(worker, conv.id)).unread_count).toBe(0);
    const history = await call('GET', `/api/chat/conversations/${conv.id}`, client.token);
    expect(history.body.messages.slice(1).map((m: any) => [m.message_text, m.is_read, m.delivery_status])).toEqual([
      ['one', true, 'read'],
      ['two', true, 'read'],
    ]);

    // Nothing left to mark: nothing is pushed.
    workerWs.send({ type: 'mark_read' });
    await workerWs.roundTrip();
    await clientWs.roundTrip();
    expect(clientWs.all('read')).toHaveLength(1);

    // The REST route does the same.
    workerWs.send({ type: 'TEXT', message: 'three' });
    const three = await clientWs.next('message');
    const marked = await call('POST', `/api/chat/conversations/${conv.id}/read`, client.token);
    expect(marked.status).toBe(200);
    expect(marked.body).toEqual({ conversation_id: conv.id, user_id: client.id, last_read_id: three.message.id, marked: 1, unread_count: 0 });
    expect(await workerWs.next('read')).toMatchObject({ user_id: client.id, last_read_id: three.message.id });
    await Promise.all([clientWs.close(), workerWs.close()]);
  });

  it('delivery state: `sent` while the recipient has no socket on the conversation, `delivered` while it has', async () => {
    const client = await register('carla');
    const worker = await register('walter');
    const conv = await conversation(client, worker);
    const other = await conversation(client, worker, 'Another job');
    const clientWs = await connect(conv.id, client);
    // The worker online on another conversation does not count.
    const workerElsewhere = await connect(other.id, worker);

    clientWs.send({ type: 'TEXT', message: 'while you were away' });
    await clientWs.next('message');
    const workerWs = await connect(conv.id, worker);
    clientWs.send({ type: 'TEXT', message: 'now you are here' });
    await workerWs.next('message');
    await clientWs.next('message');
    // Sent over REST while the worker is online: broadcast to both, stored delivered.
    const posted = await call('POST', `/api/chat/conversations/${conv.id}/messages`, client.token, { message_text: 'via REST', message_type: 'TEXT' });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ message_text: 'via REST', sender_id: client.id, sender_name: 'Carla', is_read: false, delivery_status: 'delivered', seq: 4 });
    expect((await workerWs.next('message')).message.id).toBe(posted.body.id);
    expect((await clientWs.next('message')).message.id).toBe(posted.body.id);

    // The client's own view does not mark the worker's reads.
    const history = await call('GET', `/api/chat/conversations/${conv.id}`, client.token);
    expect(history.body.messages.slice(1).map((m: any) => [m.message_text, m.is_read, m.delivery_status])).toEqual([
      ['while you were away', false, 'sent'],
      ['now you are here', false, 'delivered'],
      ['via REST', false, 'delivered'],
    ]);
    // Nothing leaks into the worker's socket on the other conversation.
    await workerElsewhere.roundTrip();
    expect(workerElsewhere.all('message')).toEqual([]);
    await Promise.all([clientWs.close(), workerWs.close(), workerElsewhere.close()]);
  });

  it('a client frame with type SYSTEM is rejected, and so is empty text; nothing is stored or broadcast', async () => {
    const client = await register('carla');
    const worker = await register('walter');
    const conv = await conversation(client, worker);
    const clientWs = await connect(conv.id, client);
    const workerWs = await connect(conv.id, worker);

    clientWs.send({ type: 'SYSTEM', message: 'I am the system now', ref: 's1' });
    expect(await clientWs.next('error')).toMatchObject({ code: 'forbidden', ref: 's1' });
    clientWs.send({ type: 'message', message: 'sneaky', message_type: 'SYSTEM', ref: 's2' });
    expect(await clientWs.next('error')).toMatchObject({ code: 'forbidden', ref: 's2' });
    for (const [frame, ref] of [
      [{ type: 'TEXT', message: '' }, 'e1'],
      [{ type: 'TEXT', message: '   \n' }, 'e2'],
      [{ type: 'TEXT' }, 'e3'],
      [{ message: '' }, 'e4'],
      [{ type: 'TEXT', message: 'x'.repeat(4001) }, 'e5'],
    ] as const) {
      clientWs.send({ ...frame, ref });
      expect(await clientWs.next('error')).toMatchObject({ type: 'error', code: 'invalid_payload', ref });
    }
    const system = await call('POST', `/api/chat/conversations/${conv.id}/messages`, client.token, { message_text: 'x', message_type: 'SYSTEM' });
    expect(system.status).toBe(403);
    const empty = await call('POST', `/api/chat/conversations/${conv.id}/messages`, client.token, { message_text: ' ' });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('invalid_payload');

    await workerWs.roundTrip();
    expect(workerWs.all('message')).toEqual([]);
    expect(clientWs.all('message')).toEqual([]);
    const history = await call('GET', `/api/chat/conversations/${conv.id}`, client.token);
    expect(history.body.messages.map((m: any) => m.message_type)).toEqual(['SYSTEM']);
    expect((await inboxEntry(worker, conv.id)).unread_count).toBe(0);
    await Promise.all([clientWs.close(), workerWs.close()]);
  });

  it('cookie auth: `Cookie: sb_access=<token>` on the handshake', async () => {
    const client = await register('carla');
    const worker = await register('walter');
    const conv = await conversation(client, worker);
    const cookieWs = await TestClient.connect(server.wsUrl(`/ws/chat/${conv.id}/`), { headers: { Cookie: `sb_access=${worker.token}` } });
    await cookieWs.roundTrip();
    const clientWs = await connect(conv.id, client);
    clientWs.send({ type: 'TEXT', message: 'cookie check' });
    expect((await cookieWs.next('message')).message).toMatchObject({ message_text: 'cookie check', sender_id: client.id });
    cookieWs.send({ type: 'TEXT', message: 'works' });
    expect((await clientWs.next((m) => m.type === 'message' && m.message.sender_id === worker.id)).message.message_text).toBe('works');
    // A stranger's cookie is still refused.
    const stranger = await register('sam');
    expect((await closeOf(server.wsUrl(`/ws/chat/${conv.id}/`), { headers: { Cookie: `sb_access=${stranger.token}` } })).code).toBe(4003);
    await Promise.all([clientWs.close(), cookieWs.close()]);
  });

  it('the inbox lists the caller’s conversations, most recent first, with paging', async () => {
    const client = await register('carla');
    const worker = await register('walter');
    const older = await conversation(client, worker, 'Older job');
    const newer = await conversation(client, worker, 'Newer job');
    // A message in the older one makes it the most recent.
    const sent = await call('POST', `/api/chat/conversations/${older.id}/messages`, worker.token, { message_text: 'bump' });
    expect(sent.status).toBe(201);

    const inbox = await call('GET', '/api/chat/conversations', client.token);
    expect(inbox.body.conversations.map((c: any) => [c.title, c.unread_count])).toEqual([
      ['Older job', 1],
      ['Newer job', 0],
    ]);
    expect(inbox.body.has_more).toBe(false);
    const firstPage = await call('GET', '/api/chat/conversations?limit=1', client.token);
    expect(firstPage.body.conversations.map((c: any) => c.id)).toEqual([older.id]);
    expect(firstPage.body.has_more).toBe(true);
    const secondPage = await call('GET', '/api/chat/conversations?limit=1&offset=1', client.token);
    expect(secondPage.body.conversations.map((c: any) => c.id)).toEqual([newer.id]);
    expect(secondPage.body.has_more).toBe(false);
    expect((await call('GET', '/api/chat/conversations?limit=0', client.token)).status).toBe(400);
    expect((await call('GET', '/api/chat/conversations')).status).toBe(401);

    // History paging: before_seq pages back.
    for (const text of ['a', 'b', 'c']) {
      expect((await call('POST', `/api/chat/conversations/${newer.id}/messages`, client.token, { message_text: text })).status).toBe(201);
    }
    const page = await call('GET', `/api/chat/conversations/${newer.id}?limit=2`, worker.token);
    expect(page.body.messages.map((m: any) => m.seq)).toEqual([3, 4]);
    expect(page.body.has_more).toBe(true);
    const back = await call('GET', `/api/chat/conversations/${newer.id}?limit=2&before_seq=3`, worker.token);
    expect(back.body.messages.map((m: any) => m.seq)).toEqual([1, 2]);
    expect(back.body.has_more).toBe(false);
  });

  it('concurrent senders get consecutive seqs and every message is counted unread once', async () => {
    const client = await register('carla');
    const worker = await register('walter');
    const conv = await conversation(client, worker);
    const texts = Array.from({ length: 12 }, (_, i) => `m${i}`);
    const sent = await Promise.all(
      texts.map((text) => call('POST', `/api/chat/conversations/${conv.id}/messages`, client.token, { message_text: text })),
    );
    expect(sent.map((r) => r.status)).toEqual(texts.map(() => 201));
    expect(sent.map((r) => r.body.seq).sort((a, b) => a - b)).toEqual(texts.map((_, i) => i + 2));
    expect((await inboxEntry(worker, conv.id)).unread_count).toBe(12);
    const opened = await call('GET', `/api/chat/conversations/${conv.id}`, worker.token);
    expect(opened.body.messages.filter((m: any) => m.message_type === 'TEXT' && m.is_read)).toHaveLength(12);
  });

  it('the OpenAPI document lists the conversation routes', async () => {
    const docs = await call('GET', '/api/docs');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/chat/conversations',
        '/api/chat/conversations/{id}',
        '/api/chat/conversations/{id}/messages',
        '/api/chat/conversations/{id}/read',
      ]),
    );
  });
});
