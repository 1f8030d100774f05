/**
 * The client SDK on seed-000 chat channels `/ws/channels/<uuid>/` against the real
 * server, on SQLite and PostgreSQL: `client_id`s, the `after_seq` backfill after a
 * gap (paged, ordered, deduplicated; starting from live messages, history the app
 * loaded, or a seeded seq), a resend after a lost reply stored exactly once, and no
 * retry after 4003.
 */
import { randomUUID } from 'node:crypto';
import type { ChannelMessage } from '@switchboard/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../../server/test/support/client.js';
import { DIALECTS, databaseUrl } from '../../server/test/support/databases.js';
import { workspaceWithChannel } from '../../server/test/support/fixtures.js';
import { register, request, type TestUser } from '../../server/test/support/http.js';
import { startServer, type TestServer } from '../../server/test/support/server.js';
import { ConnectionClosedError, type ClientOptions, type SwitchboardClient } from '../src/index.js';
import { baseUrl, createClient } from './support/clients.js';
import { ManualTimers } from './support/manual-timers.js';
import { Counter, Gate, Recorder } from './support/recorder.js';
import { TcpProxy } from './support/tcp-proxy.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(DIALECTS)('chat channels through the client SDK on %s', (dialect) => {
  let server: TestServer;
  const clients: SwitchboardClient[] = [];
  const sockets: TestClient[] = [];
  const proxies: TcpProxy[] = [];

  beforeAll(async () => {
    server = await startServer({ databaseUrl: await databaseUrl(dialect) });
  });
  afterAll(() => server.stop());
  afterEach(async () => {
    for (const client of clients.splice(0)) client.disconnectAll();
    await Promise.all(sockets.splice(0).map((socket) => socket.close()));
    for (const proxy of proxies.splice(0)) await proxy.close();
  });

  function client(user: TestUser, options: ClientOptions = {}, port = server.port): SwitchboardClient {
    const created = createClient(baseUrl(port), { getToken: () => user.token, ...options });
    clients.push(created);
    return created;
  }

  /** A plain socket in the channel (another frontend), for posting and observing. */
  async function member(channelId: string, user: TestUser): Promise<TestClient> {
    const socket = await TestClient.connect(server.wsUrl(`/ws/channels/${channelId}/`, user.token));
    sockets.push(socket);
    await socket.next('presence');
    return socket;
  }

  /** Posts as `socket` and waits until the message is stored (its own copy came back). */
  async function post(socket: TestClient, content: string): Promise<ChannelMessage> {
    const ref = `post-${randomUUID()}`;
    socket.send({ type: 'message', content, ref });
    return (await socket.next((m) => m.type === 'message' && m.ref === ref)).data;
  }

  async function setup(): Promise<{ alice: TestUser; bob: TestUser; channelId: string }> {
    const alice = await register(server, 'alice');
    const bob = await register(server, 'bob');
    return { alice, bob, channelId: (await workspaceWithChannel(server, alice, [bob])).channelId };
  }

  it('chat messages get a UUID client_id; the reply and the broadcast carry the stored message', async () => {
    const { alice, bob, channelId } = await setup();
    const channel = client(alice).channel(channelId);
    const bobSocket = await member(channelId, bob);
    const reply = await channel.request('message', { content: 'hello' });
    expect(reply.data).toMatchObject({ seq: 1, content: 'hello', user_id: alice.id, channel_id: channelId });
    expect(reply.data.client_id).toMatch(UUID);
    expect((await bobSocket.next('message')).data).toEqual(reply.data);

    // A client_id chosen by the application is kept.
    const own = await channel.request('message', { content: 'mine', client_id: 'my-key-1' });
    expect(own.data.client_id).toBe('my-key-1');
    expect(channel.lastSeq).toBe(2);
  });

  it('backfills the gap after a reconnect: missed messages replayed in order, paged, once each', async () => {
    const { alice, bob, channelId } = await setup();
    const reconnecting = new Counter();
    const gate = new Gate();
    let calls = 0;
    const channel = client(alice, {
      backfillPageSize: 2,
      getToken: async () => {
        if (++calls > 1) {
          reconnecting.signal();
          await gate.opened;
        }
        return alice.token;
      },
    }).channel(channelId);
    const recorder = new Recorder(channel);
    const seen: ChannelMessage[] = [];
    channel.on('message', (message) => seen.push(message.data));
    await recorder.nextState('open');
    const bobSocket = await member(channelId, bob);

    await post(bobSocket, 'm1');
    await recorder.nextMessage((m) => m.type === 'message');
    expect(channel.lastSeq).toBe(1);

    // The server cuts alice (a slow consumer); bob keeps talking while she is away.
    server.server.closeUserConnections(alice.id, 4009, 'Slow consumer');
    expect(await recorder.nextState('reconnecting')).toMatchObject({ code: 4009 });
    await reconnecting.reached(1);
    for (const content of ['m2', 'm3', 'm4', 'm5', 'm6']) await post(bobSocket, content);

    // A message posted the moment she is back races her backfill: it must still come in order, once.
    channel.on('state', (change) => change.state === 'open' && bobSocket.send({ type: 'message', content: 'm7' }));
    gate.open();
    await recorder.nextState('open');
    await recorder.nextMessage((m) => m.type === 'message' && (m.data as ChannelMessage).content === 'm7');
    await post(bobSocket, 'm8');
    await recorder.nextMessage((m) => m.type === 'message' && (m.data as ChannelMessage).content === 'm8');

    expect(seen.map((m) => m.content)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8']);
    expect(seen.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(channel.lastSeq).toBe(8);
    // The backfill's own history replies are not dispatched to handlers.
    expect(recorder.messages.filter((m) => m.type === 'history')).toEqual([]);
  });

  it.each([
    ['an empty channel', []],
    ['a channel with history', ['before 1', 'before 2']],
  ])('with no live message seen, the history the app loaded is where the backfill starts (%s)', async (_, earlier) => {
    const { alice, bob, channelId } = await setup();
    const bobSocket = await member(channelId, bob);
    for (const content of earlier) await post(bobSocket, content);
    const reconnecting = new Counter();
    const gate = new Gate();
    let calls = 0;
    const channel = client(alice, {
      getToken: async () => {
        if (++calls > 1) {
          reconnecting.signal();
          await gate.opened;
        }
        return alice.token;
      },
    }).channel(channelId);
    const recorder = new Recorder(channel);
    const seen: string[] = [];
    channel.on('message', (message) => seen.push(message.data.content));
    const loaded = await channel.request('history', {});
    expect(loaded.data.messages.map((m) => m.content)).toEqual(earlier);
    expect(channel.lastSeq).toBe(earlier.length);

    server.server.closeUserConnections(alice.id, 4009, 'Slow consumer');
    await recorder.nextState('reconnecting');
    await reconnecting.reached(1);
    for (const content of ['missed 1', 'missed 2']) await post(bobSocket, content);
    gate.open();
    await recorder.nextMessage((m) => m.type === 'message' && (m.data as ChannelMessage).content === 'missed 2');
    expect(seen).toEqual(['missed 1', 'missed 2']);
    expect(channel.lastSeq).toBe(earlier.length + 2);
    // The app's own history reply was dispatched; the backfill's were not.
    expect(recorder.messages.filter((m) => m.type === 'history')).toEqual([loaded]);
  });

  it('a seeded seq is where the first connect picks up; seeding never lowers it', async () => {
    const { alice, bob, channelId } = await setup();
    const bobSocket = await member(channelId, bob);
    for (const content of ['known 1', 'known 2', 'new']) await post(bobSocket, content);
    const sb = client(alice);
    const channel = sb.channel(channelId);
    // The app has 1..2 already, e.g. from the REST history.
    channel.seedLastSeq(2);
    const seen: string[] = [];
    channel.on('message', (message) => seen.push(message.data.content));
    await new Recorder(channel).nextMessage('message');
    await channel.request('ping');
    expect(seen).toEqual(['new']);
    channel.seedLastSeq(1);
    expect(channel.lastSeq).toBe(3);
    expect(() => sb.rooms().seedLastSeq(1)).toThrow(TypeError);
  });

  it('a message whose reply was lost is resent after the reconnect and stored exactly once', async () => {
    const { alice, bob, channelId } = await setup();
    const tcp = await TcpProxy.start(server.port);
    proxies.push(tcp);
    const channel = client(alice, {}, tcp.port).channel(channelId);
    const recorder = new Recorder(channel);
    const seen: string[] = [];
    channel.on('message', (message) => seen.push(message.data.content));
    await recorder.nextState('open');
    const bobSocket = await member(channelId, bob);
    await post(bobSocket, 'first');
    await recorder.nextMessage('message');

    // The server's answers stop reaching alice; her message is stored and broadcast anyway.
    tcp.blackhole('replies');
    const reply = channel.request('message', { content: 'exactly once' });
    const storedOnce = (await bobSocket.next((m) => m.type === 'message' && m.data.content === 'exactly once')).data;
    tcp.cut();

    const answered = await reply;
    expect(answered.data.id).toBe(storedOnce.id);
    expect(answered.data.client_id).toBe(storedOnce.client_id);
    await channel.request('ping');
    expect(recorder.states).toEqual(['open', 'reconnecting', 'open']);
    // Delivered once to handlers although it came back twice (backfill and the resend's answer).
    expect(seen).toEqual(['first', 'exactly once']);
    await bobSocket.roundTrip();
    expect(bobSocket.all('message').map((m) => m.data.content)).toEqual(['first', 'exactly once']);
    const history = await request(server, 'GET', `/api/channels/${channelId}/messages?limit=100`, { token: bob.token });
    expect(history.status).toBe(200);
    expect(history.body.messages.map((m: ChannelMessage) => m.content)).toEqual(['first', 'exactly once']);
  });

  it('never retries 4003: closed at once, nothing scheduled, queued requests rejected', async () => {
    const alice = await register(server, 'alice');
    const timers = new ManualTimers();
    let calls = 0;
    const sb = client(alice, {
      timers,
      getToken: () => {
        calls++;
        return alice.token;
      },
    });
    const channel = sb.channel(randomUUID());
    const recorder = new Recorder(channel);
    const queued = channel.request('history', {});
    expect(await recorder.nextState('closed')).toMatchObject({ code: 4003, reason: 'Forbidden', gaveUp: 'not_retryable' });
    await expect(queued).rejects.toBeInstanceOf(ConnectionClosedError);
    expect(recorder.retries).toEqual([]);
    // No reconnect (nor any other timer) is pending; time passing changes nothing.
    expect(timers.pending).toBe(0);
    timers.advance(10 * 60_000);
    expect(calls).toBe(1);
    expect(channel.state).toBe('closed');
    expect(() => channel.send('message', { content: 'x' })).toThrow(/4003 Forbidden/);
  });
});
