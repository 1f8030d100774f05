/**
 * `/ws/projects/{id}/presence/` (PROTOCOL.md §5) over real sockets, on SQLite and
 * PostgreSQL: access (4003), `presence_state` on connect, `user_status` joined / left /
 * viewing to the project's members and nobody else, a user with two tabs counted once
 * (one `joined`, `left` only after the last tab), usernames from the store with the
 * token's name as fallback. Then two instances sharing Redis and PostgreSQL: presence
 * and ticket updates are cluster-wide.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisChannelLayer } from '../src/layer/redis.js';
import { RedisConnection } from '../src/layer/redis-connection.js';
import { RedisPresence } from '../src/presence/redis.js';
import { TestClient, closeOf, type Message } from './support/client.js';
import { DIALECTS, databaseUrl, postgresUrl } from './support/databases.js';
import { createProject } from './support/fixtures.js';
import { api, type RegisteredUser } from './support/http.js';
import { startRedis, type RedisServer } from './support/redis.js';
import { startServer, type TestServer } from './support/server.js';

const FORBIDDEN = { code: 4003, reason: 'Forbidden' };

const isStatus = (action: string, userId: string) => (m: Message) =>
  m.type === 'user_status' && m.action === action && m.user_id === userId;

/** REST against one server; `user` registers a user whose display name differs from the username. */
function restClient(server: () => TestServer) {
  const { call, register } = api(server);
  return {
    call,
    user: (label: string) => register(label, { name: `${label} display` }),
    project: (owner: RegisteredUser, members: RegisteredUser[] = []) => createProject(server(), owner, { name: 'Presence', members }),
  };
}

/** Connects to a project's presence and returns once its `presence_state` arrived. */
async function presenceSocket(server: TestServer, projectId: string, token: string): Promise<{ client: TestClient; state: Message }> {
  const client = await TestClient.connect(server.wsUrl(`/ws/projects/${projectId}/presence/`, token));
  const state = await client.next('presence_state');
  return { client, state };
}

const usersOf = (state: Message) => [...state.users].sort((a: any, b: any) => a.user_id.localeCompare(b.user_id));
const sortedUsers = (...users: RegisteredUser[]) =>
  users.map((u) => ({ user_id: u.id, username: u.username })).sort((a, b) => a.user_id.localeCompare(b.user_id));

describe.each(DIALECTS)('project presence on %s', (dialect) => {
  let server: TestServer;
  const { call, user, project } = restClient(() => server);

  beforeAll(async () => {
    server = await startServer({ databaseUrl: await databaseUrl(dialect) });
  });
  afterAll(() => server.stop());

  const connect = async (projectId: string, who: RegisteredUser) => presenceSocket(server, projectId, who.token);

  it('closes 4003 for non-members and for ids that are no project, alike', async () => {
    const alice = await user('alice');
    const outsider = await user('outsider');
    const projectId = await project(alice);
    expect(await closeOf(server.wsUrl(`/ws/projects/${projectId}/presence/`, outsider.token))).toEqual(FORBIDDEN);
    expect(await closeOf(server.wsUrl('/ws/projects/42/presence/', alice.token))).toEqual(FORBIDDEN);
    expect(await closeOf(server.wsUrl(`/ws/projects/${randomUUID()}/presence/`, alice.token))).toEqual(FORBIDDEN);
    expect((await closeOf(server.wsUrl(`/ws/projects/${projectId}/presence/`))).code).toBe(4001);
  });

  it('presence_state lists who is online; joined and left reach the members of the project and nobody else', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    const dave = await user('dave');
    const projectId = await project(alice, [bob]);
    const otherProject = await project(dave);

    const { client: aliceWs, state: aliceState } = await connect(projectId, alice);
    // Flat, as the seed: the username from the store, not the display name.
    expect(aliceState).toEqual({ type: 'presence_state', users: [{ user_id: alice.id, username: alice.username }], timestamp: expect.any(String) });
    // The joiner is told of its own arrival too (the seed's group_send includes it).
    expect(await aliceWs.next(isStatus('joined', alice.id))).toEqual({
      type: 'user_status',
      action: 'joined',
      user_id: alice.id,
      username: alice.username,
      timestamp: expect.any(String),
    });
    const { client: daveWs } = await connect(otherProject, dave);

    const { client: bobWs, state: bobState } = await connect(projectId, bob);
    expect(usersOf(bobState)).toEqual(sortedUsers(alice, bob));
    expect(await aliceWs.next(isStatus('joined', bob.id))).toMatchObject({ username: bob.username });

    await bobWs.close();
    expect(await aliceWs.next(isStatus('left', bob.id))).toMatchObject({ type: 'user_status', action: 'left', user_id: bob.id, username: bob.username });
    const { client: again, state } = await connect(projectId, alice);
    expect(usersOf(state)).toEqual(sortedUsers(alice));

    // A member of another project heard none of it.
    await daveWs.roundTrip();
    expect(daveWs.all('user_status').filter((m) => m.user_id !== dave.id)).toEqual([]);
    await Promise.all([aliceWs.close(), again.close(), daveWs.close()]);
  });

  it('a user with two tabs is one user: one joined, left only after the second tab closes', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    const projectId = await project(alice, [bob]);
    const { client: aliceWs } = await connect(projectId, alice);

    const { client: tab1 } = await connect(projectId, bob);
    await aliceWs.next(isStatus('joined', bob.id));
    const { client: tab2, state } = await connect(projectId, bob);
    expect(usersOf(state)).toEqual(sortedUsers(alice, bob));
    await aliceWs.roundTrip();
    expect(aliceWs.all('user_status').filter((m) => m.user_id === bob.id && m.action === 'joined')).toHaveLength(1);
    // The second tab got no `joined` of its own either: bob was already there.
    await tab2.roundTrip();
    expect(tab2.all('user_status')).toEqual([]);

    await tab1.close();
    await aliceWs.roundTrip();
    expect(aliceWs.all('user_status').filter((m) => m.action === 'left')).toEqual([]);
    // Bob is still online for anyone who looks now.
    const { client: probe, state: probeState } = await connect(projectId, alice);
    expect(usersOf(probeState)).toEqual(sortedUsers(alice, bob));

    await tab2.close();
    await aliceWs.next(isStatus('left', bob.id));
    await aliceWs.roundTrip();
    expect(aliceWs.all('user_status').filter((m) => m.action === 'left')).toHaveLength(1);
    await Promise.all([aliceWs.close(), probe.close()]);
  });

  it('view_ticket reaches every member (the sender with its ref), nobody outside the project; bad ids are invalid_payload', async () => {
    const alice = await user('alice');
    const bob = await user('bob');
    const carol = await user('carol');
    const dave = await user('dave');
    const projectId = await project(alice, [bob, carol]);
    const otherProject = await project(dave);
    const ticket = await call('POST', `/api/projects/${projectId}/tickets`, alice.token, { title: 'Look at me' });
    const { client: aliceWs } = await connect(projectId, alice);
    const { client: bobWs } = await connect(projectId, bob);
    const { client: carolWs } = await connect(projectId, carol);
    const { client: daveWs } = await connect(otherProject, dave);

    // Seed style (top-level field) and seed-000 style (nested in data) both work.
    bobWs.send({ type: 'view_ticket', ticket_id: ticket.body.id, ref: 'v1' });
    const expected = {
      type: 'user_status',
      action: 'viewing',
      user_id: bob.id,
      username: bob.username,
      ticket_id: ticket.body.id,
      timestamp: expect.any(String),
    };
    expect(await aliceWs.next(isStatus('viewing', bob.id))).toEqual(expected);
    expect(await carolWs.next(isStatus('viewing', bob.id))).toEqual(expected);
    expect(await bobWs.next(isStatus('viewing', bob.id))).toEqual({ ...expected, ref: 'v1' });
    carolWs.send({ type: 'view_ticket', data: { ticket_id: ticket.body.id } });
    expect((await aliceWs.next(isStatus('viewing', carol.id))).ticket_id).toBe(ticket.body.id);

    await daveWs.roundTrip();
    expect(daveWs.all('user_status').filter((m) => m.user_id !== dave.id)).toEqual([]);

    bobWs.send({ type: 'view_ticket', ticket_id: 'not-a-uuid', ref: 'bad' });
    expect(await bobWs.next('error')).toMatchObject({ code: 'invalid_payload', ref: 'bad' });
    bobWs.send({ type: 'view_ticket', ref: 'missing' });
    expect(await bobWs.next('error')).toMatchObject({ code: 'invalid_payload', ref: 'missing' });
    await aliceWs.roundTrip();
    expect(aliceWs.all('user_status').filter((m) => m.action === 'viewing')).toHaveLength(2);
    await Promise.all([aliceWs, bobWs, carolWs, daveWs].map((c) => c.close()));
  });

  it("falls back to the token's name for users this server has not stored (external issuers)", async () => {
    const externalId = `ext-${randomUUID().slice(0, 8)}`;
    const token = await server.token(externalId, { name: 'Eve External' });
    const created = await call('POST', '/api/projects', token, { name: 'External' });
    expect(created.status).toBe(201);
    const { client, state } = await presenceSocket(server, created.body.id, token);
    expect(state.users).toEqual([{ user_id: externalId, username: 'Eve External' }]);
    expect(await client.next(isStatus('joined', externalId))).toMatchObject({ username: 'Eve External' });
    await client.close();
  });
});

describe('projects across two instances (Redis + PostgreSQL)', () => {
  let redis: RedisServer;
  let serverA: TestServer;
  let serverB: TestServer;
  const restA = restClient(() => serverA);
  const restB = restClient(() => serverB);

  async function clusteredServer(databaseUrl: string): Promise<TestServer> {
    const connection = await RedisConnection.connect({ url: redis.url });
    const layer = await RedisChannelLayer.create(connection);
    const presence = new RedisPresence(connection);
    return startServer({ databaseUrl }, { layer, presence });
  }

  beforeAll(async () => {
    redis = await startRedis();
    const databaseUrl = await postgresUrl();
    serverA = await clusteredServer(databaseUrl);
    serverB = await clusteredServer(databaseUrl);
  });
  afterAll(async () => {
    await serverA?.stop();
    await serverB?.stop();
    await redis?.stop();
  });

  it('one user with a tab on each instance is one user: one joined, left after the last tab anywhere', async () => {
    const alice = await restA.user('alice');
    const bob = await restA.user('bob');
    const projectId = await restA.project(alice, [bob]);
    const { client: aliceOnA } = await presenceSocket(serverA, projectId, alice.token);

    const { client: bobOnB } = await presenceSocket(serverB, projectId, bob.token);
    expect(await aliceOnA.next(isStatus('joined', bob.id))).toMatchObject({ username: bob.username });
    const { client: bobOnA, state } = await presenceSocket(serverA, projectId, bob.token);
    expect(usersOf(state)).toEqual(sortedUsers(alice, bob));

    await bobOnB.close();
    // Bob is still online: a new connection on B sees him (his tab on A counts cluster-wide).
    const { client: probe, state: probeState } = await presenceSocket(serverB, projectId, alice.token);
    expect(usersOf(probeState)).toEqual(sortedUsers(alice, bob));

    await bobOnA.close();
    await aliceOnA.next(isStatus('left', bob.id));
    expect(await probe.next(isStatus('left', bob.id))).toMatchObject({ username: bob.username });
    await aliceOnA.roundTrip();
    expect(aliceOnA.all('user_status').filter((m) => m.user_id === bob.id).map((m) => m.action)).toEqual(['joined', 'left']);
    await Promise.all([aliceOnA.close(), probe.close()]);
  });

  it('a ticket assigned through one instance reaches the tickets and notification sockets on the other', async () => {
    const alice = await restA.user('alice');
    const bob = await restA.user('bob');
    const projectId = await restA.project(alice, [bob]);
    const ticketsOnA = await TestClient.connect(serverA.wsUrl(`/ws/projects/${projectId}/tickets/`, alice.token));
    await ticketsOnA.roundTrip();
    const bobInboxOnA = await TestClient.connect(serverA.wsUrl('/ws/notifications/', bob.token));
    await bobInboxOnA.next('unread_count');

    const created = await restB.call('POST', `/api/projects/${projectId}/tickets`, alice.token, { title: 'Cross-instance', assignee_id: bob.id });
    expect(created.status).toBe(201);
    expect(await ticketsOnA.next('ticket_update')).toMatchObject({ action: 'created', data: { ticket_id: created.body.id, updated_by: alice.username } });
    expect((await bobInboxOnA.next('notification')).data).toMatchObject({ notification_type: 'ticket_assigned', data: { ticket_id: created.body.id } });
    await Promise.all([ticketsOnA.close(), bobInboxOnA.close()]);
  });
});
