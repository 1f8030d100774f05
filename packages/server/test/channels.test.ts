/**
 * Seed 000 chat channels `/ws/channels/<uuid>/` (PROTOCOL.md §2, §7) over real sockets,
 * against SQLite and PostgreSQL: messages with seq and ref, safe retries, backfill
 * after a reconnect, access (4003), isolation between workspaces, typing with the
 * server's own timeout, read markers, presence, and the field limits at their edges.
 * Workspaces and channels are set up through the REST API, as a frontend would.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, closeOf, type Message } from './support/client.js';
import { DIALECTS, databaseUrl } from './support/databases.js';
import { createChannel, createWorkspace, workspaceWithChannel } from './support/fixtures.js';
import { api, type TestUser } from './support/http.js';
import { startServer, type TestServer } from './support/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const sorted = (ids: string[]): string[] => [...ids].sort();

describe.each(DIALECTS)('chat channels on %s', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ databaseUrl: await databaseUrl(dialect) });
  });
  afterAll(() => server.stop());
  const { call, register } = api(() => server);

  /** Connects to a channel and waits for the presence update its own join caused. */
  async function connect(channelId: string, who: TestUser): Promise<TestClient> {
    const client = await TestClient.connect(server.wsUrl(`/ws/channels/${channelId}/`, who.token));
    await client.next('presence');
    return client;
  }

  const isPresence = (ids: string[]) => (m: Message) =>
    m.type === 'presence' && JSON.stringify(sorted(m.data.online_users)) === JSON.stringify(sorted(ids));

  it("seed 000's flow: a message is stored with seq and reaches every member; the sender's copy carries ref", async () => {
    const alice = await register('alice');
    const bob = await register('bob');
    const { channelId } = await workspaceWithChannel(server, alice, [bob]);
    const aliceWs = await connect(channelId, alice);
    const bobWs = await connect(channelId, bob);

    // Seed 000 nests fields in `data`.
    aliceWs.send({ type: 'message', data: { content: 'Hello team', attachments: [] }, ref: 'm1' });
    const own = await aliceWs.next('message');
    const seen = await bobWs.next('message');
    expect(own).toMatchObject({
      type: 'message',
      ref: 'm1',
      data: {
        seq: 1,
        channel_id: channelId,
        user_id: alice.id,
        user_name: 'Alice',
        content: 'Hello team',
        attachments: [],
        client_id: null,
      },
    });
    expect(own.data.id).toMatch(UUID);
    expect(new Date(own.data.created_at).toISOString()).toBe(own.data.created_at);
    expect(typeof own.timestamp).toBe('string');
    expect(seen.data).toEqual(own.data);
    expect(seen).not.toHaveProperty('ref');

    // Top-level fields work too (seeds 001/002 style), and seq moves on by one.
    bobWs.send({ type: 'message', content: 'Hi Alice', attachments: [{ url: 'https://files.example/a.png', name: 'a.png', type: 'image/png', size: 1234 }] });
    const reply = await aliceWs.next('message');
    expect(reply.data).toMatchObject({
      seq: 2,
      user_id: bob.id,
      user_name: 'Bob',
      content: 'Hi Alice',
      attachments: [{ url: 'https://files.example/a.png', name: 'a.png', type: 'image/png', size: 1234 }],
    });
    expect((await bobWs.next('message')).data.id).toBe(reply.data.id);

    // Persisted before it was broadcast: the REST history has both.
    const history = await call('GET', `/api/channels/${channelId}/messages`, bob.token);
    expect(history.body.messages.map((m: any) => [m.seq, m.content])).toEqual([
      [1, 'Hello team'],
      [2, 'Hi Alice'],
    ]);
    await Promise.all([aliceWs.close(), bobWs.close()]);
  });

  it('a message sent twice with the same client_id is stored once (WebSocket)', async () => {
    const alice = await register('alice');
    const bob = await register('bob');
    const { workspaceId, channelId } = await workspaceWithChannel(server, alice, [bob]);
    const aliceWs = await connect(channelId, alice);
    const aliceTab2 = await connect(channelId, alice);
    const bobWs = await connect(channelId, bob);

    aliceWs.send({ type: 'message', data: { content: 'once', client_id: 'retry-1' }, ref: 'first' });
    const first = await aliceWs.next((m) => m.type === 'message' && m.ref === 'first');
    aliceWs.send({ type: 'message', data: { content: 'once', client_id: 'retry-1' }, ref: 'second' });
    const second = await aliceWs.next((m) => m.type === 'message' && m.ref === 'second');
    expect(second.data).toEqual(first.data);
    expect(first.data).toMatchObject({ seq: 1, client_id: 'retry-1' });

    // The retry is answered to the retrying connection only: bob saw the message once.
    await bobWs.next('message');
    await bobWs.roundTrip();
    expect(bobWs.all('message')).toHaveLength(1);

    // Two tabs racing with the same client_id (handled concurrently) still make one row.
    aliceWs.send({ type: 'message', content: 'raced', client_id: 'retry-2', ref: 'a' });
    aliceTab2.send({ type: 'message', content: 'raced', client_id: 'retry-2', ref: 'b' });
    const raceA = await aliceWs.next((m) => m.ref === 'a');
    const raceB = await aliceTab2.next((m) => m.ref === 'b');
    expect(raceA.type).toBe('message');
    expect(raceB.data).toEqual(raceA.data);

    const history = await call('GET', `/api/channels/${channelId}/messages`, alice.token);
    expect(history.body.messages.map((m: any) => [m.seq, m.client_id])).toEqual([
      [1, 'retry-1'],
      [2, 'retry-2'],
    ]);

    // The same client_id in another channel is a conflict, not someone else's message.
    const other = await call('POST', `/api/workspaces/${workspaceId}/channels`, alice.token, { name: 'other' });
    const otherWs = await connect(other.body.id, alice);
    otherWs.send({ type: 'message', content: 'elsewhere', client_id: 'retry-1', ref: 'x' });
    expect(await otherWs.next('error')).toMatchObject({ code: 'conflict', ref: 'x' });
    await Promise.all([aliceWs.close(), aliceTab2.close(), bobWs.close(), otherWs.close()]);
  });

  it('a message posted over REST reaches the sockets once, even when retried with the same client_id', async () => {
    const alice = await register('alice');
    const bob = await register('bob');
    const { channelId } = await workspaceWithChannel(server, alice, [bob]);
    const bobWs = await connect(channelId, bob);

    const body = { content: 'from REST', attachments: [], client_id: 'rest-1' };
    const first = await call('POST', `/api/channels/${channelId}/messages`, alice.token, body);
    const again = await call('POST', `/api/channels/${channelId}/messages`, alice.token, body);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);

    const pushed = await bobWs.next('message');
    expect(pushed.data).toEqual(first.body);
    await bobWs.roundTrip();
    expect(bobWs.all('message')).toHaveLength(1);
    await bobWs.close();
  });

  it('a client that missed 100 messages while disconnected gets them all back through history after_seq', async () => {
    const alice = await register('alice');
    const bob = await register('bob');
    const { channelId } = await workspaceWithChannel(server, alice, [bob]);

    let aliceWs = await connect(channelId, alice);
    aliceWs.send({ type: 'message', content: 'before the gap' });
    const lastSeen = (await aliceWs.next('message')).data.seq as number;
    await aliceWs.close();

    for (let i = 1; i <= 100; i++) {
      const posted = await call('POST', `/api/channels/${channelId}/messages`, bob.token, { content: `missed ${i}` });
      expect(posted.status).toBe(201);
    }

    aliceWs = await connect(channelId, alice);
    aliceWs.send({ type: 'history', data: { after_seq: lastSeen, limit: 100 }, ref: 'h-all' });
    const all = await aliceWs.next('history');
    expect(all.ref).toBe('h-all');
    expect(all.data.has_more).toBe(false);
    expect(all.data.messages).toHaveLength(100);
    expect(all.data.messages.map((m: any) => m.seq)).toEqual(Array.from({ length: 100 }, (_, i) => lastSeen + 1 + i));
    expect(all.data.messages[0]).toMatchObject({ content: 'missed 1', user_id: bob.id, user_name: 'Bob', channel_id: channelId });
    expect(all.data.messages[99].content).toBe('missed 100');

    // In pages of 50: has_more, then the rest.
    aliceWs.send({ type: 'history', after_seq: lastSeen, limit: 50 });
    const page1 = await aliceWs.next('history');
    expect(page1.data.has_more).toBe(true);
    expect(page1.data.messages.map((m: any) => m.content)).toEqual(Array.from({ length: 50 }, (_, i) => `missed ${i + 1}`));
    aliceWs.send({ type: 'history', after_seq: page1.data.messages[49].seq, limit: 50 });
    const page2 = await aliceWs.next('history');
    expect(page2.data.has_more).toBe(false);
    expect(page2.data.messages.map((m: any) => m.content)).toEqual(Array.from({ length: 50 }, (_, i) => `missed ${i + 51}`));

    // Paging backwards: the newest 50 by default, then before_seq, oldest first within a page.
    aliceWs.send({ type: 'history' });
    const newest = await aliceWs.next('history');
    expect(newest.data.has_more).toBe(true);
    expect(newest.data.messages.map((m: any) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 52 + i));
    aliceWs.send({ type: 'history', before_seq: 52, limit: 100 });
    const older = await aliceWs.next('history');
    expect(older.data.has_more).toBe(false);
    expect(older.data.messages.map((m: any) => m.seq)).toEqual(Array.from({ length: 51 }, (_, i) => 1 + i));
    await aliceWs.close();
  });

  it('a history page stays well under the send buffer: big messages come in smaller pages with has_more', async () => {
    // 100 KB of send buffer: a page may use half of it.
    const small = await startServer({ databaseUrl: await databaseUrl(dialect), maxBufferedBytes: 100_000 });
    try {
      const alice = await api(small).register('alice');
      const workspaceId = await createWorkspace(small, alice, { name: 'Big' });
      const channelId = await createChannel(small, alice, workspaceId, { name: 'big' });
      // 4000 two-byte characters: about 8 KB of JSON per message, 160 KB for all 20.
      for (let i = 1; i <= 20; i++) {
        const posted = await api(small).call('POST', `/api/channels/${channelId}/messages`, alice.token, { content: 'é'.repeat(3999) + (i % 10) });
        expect(posted.status).toBe(201);
      }
      const ws = await TestClient.connect(small.wsUrl(`/ws/channels/${channelId}/`, alice.token));
      await ws.next('presence');

      const seqs: number[] = [];
      let afterSeq = 0;
      let pages = 0;
      for (;;) {
        ws.send({ type: 'history', after_seq: afterSeq, limit: 100 });
        const page = await ws.next('history');
        pages++;
        expect(page.data.messages.length).toBeGreaterThan(0);
        expect(Buffer.byteLength(JSON.stringify(page))).toBeLessThan(50_000 + 1000);
        seqs.push(...page.data.messages.map((m: any) => m.seq));
        afterSeq = seqs[seqs.length - 1]!;
        if (!page.data.has_more) break;
      }
      expect(pages).toBeGreaterThan(2);
      expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

      // Paging back keeps the newest end of the page.
      ws.send({ type: 'history', limit: 100 });
      const newest = await ws.next('history');
      expect(newest.data.has_more).toBe(true);
      expect(newest.data.messages.at(-1).seq).toBe(20);
      await ws.close();
    } finally {
      await small.stop();
    }
  });

  it('closes 4003 for users without access and for ids that are no channel, alike', async () => {
    const alice = await register('alice');
    const bob = await register('bob');
    const outsider = await register('mallory');
    const { workspaceId, channelId } = await workspaceWithChannel(server, alice, [bob]);
    const privateChannel = await call('POST', `/api/workspaces/${workspaceId}/channels`, alice.token, { name: 'secret', type: 'private' });
    const privateId: string = privateChannel.body.id;
    await workspaceWithChannel(server, outsider);

    const forbidden = { code: 4003, reason: 'Forbidden' };
    // A user of another workspace.
    expect(await closeOf(server.wsUrl(`/ws/channels/${channelId}/`, outsider.token))).toEqual(forbidden);
    // A workspace member on a private channel they are not in.
    expect(await closeOf(server.wsUrl(`/ws/channels/${privateId}/`, bob.token))).toEqual(forbidden);
    // Garbage and an unknown UUID look exactly the same.
    expect(await closeOf(server.wsUrl('/ws/channels/not-a-uuid/', alice.token))).toEqual(forbidden);
    expect(await closeOf(server.wsUrl("/ws/channels/1'%20OR%201=1/", alice.token))).toEqual(forbidden);
    expect(await closeOf(server.wsUrl(`/ws/channels/${randomUUID()}/`, alice.token))).toEqual(forbidden);
    // No token at all is 4001, not 4003.
    expect((await closeOf(server.wsUrl(`/ws/channels/${channelId}/`))).code).toBe(4001);

    // The private channel's creator gets in; so does bob once added.
    const aliceWs = await connect(privateId, alice);
    expect((await call('POST', `/api/channels/${privateId}/members`, alice.token, { user_id: bob.id })).status).toBe(201);
    const bobWs = await connect(privateId, bob);
    bobWs.send({ type: 'message', content: 'in at last', ref: 'in' });
    expect((await bobWs.next('message')).ref).toBe('in');
    await Promise.all([aliceWs.close(), bobWs.close()]);
  });

  it("a user never receives another workspace's events", async () => {
    const alice = await register('alice');
    const bob = await register('bob');
    const carol = await register('carol');
    const a = await workspaceWithChannel(server, alice, [bob]);
    const b = await workspaceWithChannel(server, carol);
    const carolWs = await connect(b.channelId, carol);
    const aliceWs = await connect(a.channelId, alice);
    const bobWs = await connect(a.channelId, bob);

    aliceWs.send({ type: 'message', content: 'internal' });
    aliceWs.send({ type: 'typing', is_typing: true });
    await bobWs.next('message');
    await bobWs.next('typing');
    bobWs.send({ type: 'read', message_id: (await aliceWs.next('message')).data.id });
    await aliceWs.next('read');
    await call('POST', `/api/channels/${a.channelId}/messages`, alice.token, { content: 'internal via REST' });
    await bobWs.next((m) => m.type === 'message' && m.data.content === 'internal via REST');
    await bobWs.close();
    await aliceWs.next(isPresence([alice.id]));

    // Everything carol got before her own round trip was about her workspace only.
    await carolWs.roundTrip();
    const foreign = carolWs.received.filter((m) => m.type !== 'pong' && !(m.type === 'presence' && sorted(m.data.online_users).join() === carol.id));
    expect(foreign).toEqual([]);
    expect(carolWs.all('presence').every((m) => !m.data.online_users.includes(alice.id))).toBe(true);

    // Nor can she read or post there through REST: the channel is simply not found.
    expect((await call('GET', `/api/channels/${a.channelId}/messages`, carol.token)).status).toBe(404);
    expect((await call('POST', `/api/channels/${a.channelId}/messages`, carol.token, { content: 'hi' })).status).toBe(404);
    await Promise.all([aliceWs.close(), carolWs.close()]);
  });

  it('typing reaches the others, never the sender, and the server turns it off 5 s after the last true', async () => {
    const alice = await register('alice');
    const bob = await register('bob');
    const { channelId } = await workspaceWithChannel(server, alice, [bob]);
    const aliceWs = await connect(channelId, alice);
    const aliceTab2 = await connect(channelId, alice);
    const bobWs = await connect(channelId, bob);

    aliceWs.send({ type: 'typing', data: { is_typing: true } });
    const on = await bobWs.next('typing');
    const onAt = Date.now();
    expect(on.data).toEqual({ user_id: alice.id, user_name: 'Alice', is_typing: true });

    // Awaiting the server's own false (no sleeping): it arrives about 5 s later.
    const off = await bobWs.next('typing', 9000);
    const elapsed = Date.now() - onAt;
    expect(off.data).toEqual({ user_id: alice.id, user_name: 'Alice', is_typing: false });
    expect(elapsed).toBeGreaterThanOrEqual(4500);
    expect(elapsed).toBeLessThan(7000);

    // An explicit false goes out at once.
    bobWs.send({ type: 'typing', is_typing: true });
    expect((await aliceWs.next('typing')).data).toMatchObject({ user_id: bob.id, is_typing: true });
    bobWs.send({ type: 'typing', is_typing: false });
    expect((await aliceWs.next('typing')).data).toMatchObject({ user_id: bob.id, is_typing: false });

    // Never echoed to any of the sender's connections.
    await aliceWs.roundTrip();
    await aliceTab2.roundTrip();
    expect([...aliceWs.all('typing'), ...aliceTab2.all('typing')].every((m) => m.data.user_id === bob.id)).toBe(true);
    await bobWs.roundTrip();
    expect(bobWs.all('typing').every((m) => m.data.user_id === alice.id)).toBe(true);
    await Promise.all([aliceWs.close(), aliceTab2.close(), bobWs.close()]);
  }, 20_000);

  it('a typer who disconnects is shown as stopped at once', async () => {
    const alice = await register('alice');
    const bob = await register('bob');
    const { channelId } = await workspaceWithChannel(server, alice, [bob]);
    const aliceWs = await connect(channelId, alice);
    const bobWs = await connect(channelId, bob);

    bobWs.send({ type: 'typing', is_typing: true });
    await aliceWs.next((m) => m.type === 'typing' && m.data.is_typing === true);
    const closedAt = Date.now();
    await bobWs.close();
    const off = await aliceWs.next('typing');
    expect(off.data).toEqual({ user_id: bob.id, user_name: 'Bob', is_typing: false });
    expect(Date.now() - closedAt).toBeLessThan(2000);
    await aliceWs.next(isPresence([alice.id]));
    await aliceWs.close();
  });

  it('read markers are stored, broadcast, and only move forward', async () => {
    const alice = await register('alice');
    const bob = await register('bob');
    const { channelId } = await workspaceWithChannel(server, alice, [bob]);
    const aliceWs = await connect(channelId, alice);
    const bobWs = await connect(channelId, bob);
    aliceWs.send({ type: 'message', content: 'one' });
    aliceWs.send({ type: 'message', content: 'two' });
    const one = (await bobWs.next('message')).data;
    const two = (await bobWs.next('message')).data;

    bobWs.send({ type: 'read', data: { message_id: two.id }, ref: 'r2' });
    const own = await bobWs.next('read');
    expect(own).toMatchObject({ ref: 'r2', data: { user_id: bob.id, message_id: two.id, seq: 2 } });
    const seen = await aliceWs.next('read');
    expect(seen.data).toEqual(own.data);
    expect(seen).not.toHaveProperty('ref');

    // An older message does not move the marker back; only the caller hears where it is.
    bobWs.send({ type: 'read', message_id: one.id, ref: 'r1' });
    expect(await bobWs.next('read')).toMatchObject({ ref: 'r1', data: { message_id: two.id, seq: 2 } });
    await aliceWs.roundTrip();
    expect(aliceWs.all('read')).toHaveLength(1);

    // Through REST: stored and broadcast the same way.
    aliceWs.send({ type: 'message', content: 'three' });
    const three = (await aliceWs.next('message')).data;
    const marked = await call('POST', `/api/channels/${channelId}/read`, bob.token, { message_id: three.id });
    expect(marked).toMatchObject({ status: 200, body: { user_id: bob.id, message_id: three.id, seq: 3, moved: true } });
    expect((await aliceWs.next('read')).data).toEqual({ user_id: bob.id, message_id: three.id, seq: 3 });

    // Messages of other channels and non-ids are refused.
    bobWs.send({ type: 'read', message_id: randomUUID(), ref: 'unknown' });
    expect(await bobWs.next('error')).toMatchObject({ code: 'not_found', ref: 'unknown' });
    bobWs.send({ type: 'read', message_id: 'nope', ref: 'garbage' });
    expect(await bobWs.next('error')).toMatchObject({ code: 'invalid_payload', ref: 'garbage' });
    await Promise.all([aliceWs.close(), bobWs.close()]);
  });

  it('presence lists the members online anywhere, on connect and on disconnect', async () => {
    const alice = await register('alice');
    const bob = await register('bob');
    const carol = await register('carol');
    const stranger = await register('stranger');
    const { channelId } = await workspaceWithChannel(server, alice, [bob, carol]);
    // Online, but not in this workspace: never listed.
    const strangerRooms = await TestClient.connect(server.wsUrl('/api/v1/ws', stranger.token));
    await strangerRooms.next('system');

    const aliceWs = await TestClient.connect(server.wsUrl(`/ws/channels/${channelId}/`, alice.token));
    expect((await aliceWs.next('presence')).data.online_users).toEqual([alice.id]);

    const bobWs = await TestClient.connect(server.wsUrl(`/ws/channels/${channelId}/`, bob.token));
    expect(sorted((await bobWs.next('presence')).data.online_users)).toEqual(sorted([alice.id, bob.id]));
    await aliceWs.next(isPresence([alice.id, bob.id]));

    // Carol is connected to another endpoint only: she still counts as online.
    const carolRooms = await TestClient.connect(server.wsUrl('/api/v1/ws', carol.token));
    await carolRooms.next('system');
    const bobTab2 = await TestClient.connect(server.wsUrl(`/ws/channels/${channelId}/`, bob.token));
    expect(sorted((await bobTab2.next('presence')).data.online_users)).toEqual(sorted([alice.id, bob.id, carol.id]));

    // Bob closing one of two tabs keeps him online; closing the last one does not.
    await bobTab2.close();
    await aliceWs.next(isPresence([alice.id, bob.id, carol.id]));
    await bobWs.close();
    await aliceWs.next(isPresence([alice.id, carol.id]));
    await Promise.all([aliceWs.close(), carolRooms.close(), strangerRooms.close()]);
  });

  it('edges: 4000 characters pass, 4001 do not; empty content needs attachments; attachment rules', async () => {
    const alice = await register('alice');
    const { channelId } = await workspaceWithChannel(server, alice);
    const ws = await connect(channelId, alice);

    ws.send({ type: 'message', content: 'x'.repeat(4000), ref: 'max' });
    const max = await ws.next('message');
    expect(max.ref).toBe('max');
    expect(max.data.content).toHaveLength(4000);

    const rejected = async (payload: Record<string, unknown>, ref: string): Promise<Message> => {
      ws.send({ type: 'message', ...payload, ref });
      const error = await ws.next((m) => m.ref === ref);
      expect(error).toMatchObject({ type: 'error', code: 'invalid_payload' });
      return error;
    };
    expect((await rejected({ content: 'x'.repeat(4001) }, 'over')).message).toMatch(/content.*4000/);
    expect((await rejected({ content: '' }, 'empty')).message).toMatch(/content/);
    await rejected({ content: '   ', attachments: [] }, 'blank');
    await rejected({}, 'nothing');
    await rejected({ content: 'x', attachments: [{ url: 'javascript:alert(1)' }] }, 'js-url');
    await rejected({ content: 'x', attachments: Array.from({ length: 101 }, () => ({ url: '/f' })) }, 'too-many');
    await rejected({ content: 'x', client_id: 'c'.repeat(65) }, 'long-id');

    // Attachments alone are a message; unknown attachment fields are not stored.
    ws.send({ type: 'message', content: '', attachments: [{ url: '/media/report.pdf', name: 'report.pdf', extra: 'dropped' }], ref: 'file' });
    const file = await ws.next((m) => m.ref === 'file');
    expect(file.data).toMatchObject({ content: '', attachments: [{ url: '/media/report.pdf', name: 'report.pdf' }] });
    expect(file.data.attachments[0]).not.toHaveProperty('extra');

    ws.send({ type: 'history', limit: 101, ref: 'big-page' });
    expect(await ws.next((m) => m.ref === 'big-page')).toMatchObject({ code: 'invalid_payload' });
    ws.send({ type: 'shout', ref: 'u' });
    expect(await ws.next((m) => m.ref === 'u')).toMatchObject({ code: 'unknown_type', message: 'Unknown message type: shout' });

    // None of these closed the connection, and nothing invalid was stored.
    ws.send({ type: 'history', ref: 'final' });
    const history = await ws.next((m) => m.ref === 'final');
    expect(history.data.messages.map((m: any) => m.seq)).toEqual([1, 2]);
    await ws.close();
  });
});
