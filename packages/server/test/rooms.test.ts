/** Seed 001 rooms endpoint `/api/v1/ws` (PROTOCOL.md §3) with three users over real sockets. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

async function connect(userId: string): Promise<TestClient> {
  const client = await TestClient.connect(server.wsUrl('/api/v1/ws', await server.token(userId)));
  await client.next('system');
  return client;
}

describe('rooms', () => {
  it('welcomes with online_count and the user id', async () => {
    const alice = await TestClient.connect(server.wsUrl('/api/v1/ws', await server.token('alice')));
    const welcome = await alice.next('system');
    expect(welcome).toMatchObject({ type: 'system', message: 'Connected successfully', user_id: 'alice' });
    expect(welcome.online_count).toBeGreaterThanOrEqual(1);
    expect(typeof welcome.timestamp).toBe('string');
    expect(new Date(welcome.timestamp).toISOString()).toBe(welcome.timestamp);

    const bob = await TestClient.connect(server.wsUrl('/api/v1/ws', await server.token('bob')));
    const bobWelcome = await bob.next('system');
    expect(bobWelcome.online_count).toBe(welcome.online_count + 1);
    await Promise.all([alice.close(), bob.close()]);
  });

  it('join/leave notify the room with member lists; messages reach the room only', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const carol = await connect('carol');

    alice.send({ type: 'join_room', room: 'chat-general' });
    const aliceJoined = await alice.next((m) => m.type === 'system' && m.message === 'alice joined');
    expect(aliceJoined).toMatchObject({ room: 'chat-general', members: ['alice'], member_count: 1 });

    bob.send({ type: 'join_room', room: 'chat-general' });
    const seenByAlice = await alice.next((m) => m.message === 'bob joined');
    const seenByBob = await bob.next((m) => m.message === 'bob joined');
    expect(seenByAlice.members.sort()).toEqual(['alice', 'bob']);
    expect(seenByBob.member_count).toBe(2);

    alice.send({ type: 'message', room: 'chat-general', text: 'Hello everyone!' });
    const toBob = await bob.next('message');
    const toAlice = await alice.next('message');
    expect(toBob).toMatchObject({ type: 'message', from: 'alice', room: 'chat-general', text: 'Hello everyone!' });
    expect(toAlice.text).toBe('Hello everyone!');

    // carol is not in the room: nothing reached her before her own round trip.
    await carol.roundTrip();
    expect(carol.all('message')).toEqual([]);
    expect(carol.received.filter((m) => m.room === 'chat-general')).toEqual([]);

    bob.send({ type: 'leave_room', room: 'chat-general' });
    const left = await alice.next((m) => m.message === 'bob left');
    expect(left).toMatchObject({ type: 'system', room: 'chat-general' });
    await bob.next((m) => m.message === 'Left room chat-general');

    // bob no longer receives room traffic
    alice.send({ type: 'message', room: 'chat-general', text: 'after bob left' });
    await alice.next((m) => m.type === 'message' && m.text === 'after bob left');
    await bob.roundTrip();
    expect(bob.all('message').map((m) => m.text)).toEqual(['Hello everyone!']);

    await Promise.all([alice.close(), bob.close(), carol.close()]);
  });

  it('refuses a message from a non-member with forbidden, echoing ref', async () => {
    const alice = await connect('alice');
    alice.send({ type: 'message', room: 'secret-room', text: 'let me in', ref: 'm1' });
    const error = await alice.next('error');
    expect(error).toMatchObject({ code: 'forbidden', ref: 'm1' });
    await alice.close();
  });

  it('typing reaches the room but never the sender', async () => {
    const alice = await connect('alice');
    const bob = await connect('bob');
    const carol = await connect('carol');
    for (const client of [alice, bob, carol]) client.send({ type: 'join_room', room: 'typing-room' });
    await alice.next((m) => m.message === 'carol joined');

    alice.send({ type: 'typing', room: 'typing-room', is_typing: true });
    expect(await bob.next('typing')).toMatchObject({ user_id: 'alice', room: 'typing-room', is_typing: true });
    expect(await carol.next('typing')).toMatchObject({ user_id: 'alice', is_typing: true });
    await alice.roundTrip();
    expect(alice.all('typing')).toEqual([]);

    // is_typing defaults to true as in the seed
    bob.send({ type: 'typing', room: 'typing-room' });
    expect(await alice.next('typing')).toMatchObject({ user_id: 'bob', is_typing: true });
    await Promise.all([alice.close(), bob.close(), carol.close()]);
  });

  it('answers ping with pong', async () => {
    const alice = await connect('alice');
    alice.send({ type: 'ping', timestamp: 12345 });
    expect(await alice.next('pong')).toMatchObject({ type: 'pong', client_timestamp: 12345 });
    await alice.close();
  });

  it('a user with two tabs in a room is one member; left is sent when the last tab goes', async () => {
    const alice1 = await connect('alice');
    const alice2 = await connect('alice');
    const bob = await connect('bob');
    bob.send({ type: 'join_room', room: 'tabs' });
    await bob.next((m) => m.message === 'bob joined');
    alice1.send({ type: 'join_room', room: 'tabs' });
    alice2.send({ type: 'join_room', room: 'tabs' });
    const second = await bob.next((m) => m.message === 'alice joined' && m.member_count === 2);
    expect(second.members.sort()).toEqual(['alice', 'bob']);
    await bob.next((m) => m.message === 'alice joined');

    // The first tab's close is handled asynchronously, so a round trip cannot show that
    // no 'left' is coming: count them once the real one (after the last tab) arrived.
    await alice1.close();
    await alice2.close();
    await bob.next((m) => m.message === 'alice left');
    await bob.roundTrip();
    expect(bob.received.filter((m) => m.message === 'alice left')).toHaveLength(1);
    await bob.close();
  });

  it('omits members in rooms larger than roomMemberListMax', async () => {
    const small = await startServer({ roomMemberListMax: 2 });
    const clients: TestClient[] = [];
    try {
      for (const id of ['u1', 'u2', 'u3']) {
        const client = await TestClient.connect(small.wsUrl('/api/v1/ws', await small.token(id)));
        await client.next('system');
        client.send({ type: 'join_room', room: 'big' });
        clients.push(client);
      }
      const first = clients[0]!;
      expect(await first.next((m) => m.message === 'u2 joined')).toMatchObject({ member_count: 2, members: expect.any(Array) });
      const third = await first.next((m) => m.message === 'u3 joined');
      expect(third.member_count).toBe(3);
      expect(third).not.toHaveProperty('members');
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await small.stop();
    }
  });
});
