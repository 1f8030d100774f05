/**
 * Seed 003 projects and tickets (PROTOCOL.md §5, §8) over real sockets and real HTTP,
 * on SQLite and PostgreSQL: the REST API and its access rules (non-members get 404),
 * validation, `ticket_update` on `/ws/projects/{id}/tickets/` to the project's members
 * and nobody else, and the persisted notifications that follow: `ticket_assigned`,
 * `status_changed` and `mention`, to the right users and never to the actor.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient, closeOf, type Message } from './support/client.js';
import { DIALECTS, databaseUrl } from './support/databases.js';
import { createProject } from './support/fixtures.js';
import { api, expectError, type RegisteredUser } from './support/http.js';
import { startServer, type TestServer } from './support/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FORBIDDEN = { code: 4003, reason: 'Forbidden' };

const isTicketUpdate = (action: string, ticketId: string) => (m: Message) =>
  m.type === 'ticket_update' && m.action === action && m.data.ticket_id === ticketId;
const isNotification = (type: string, ticketId: string) => (m: Message) =>
  m.type === 'notification' && m.data.notification_type === type && m.data.data.ticket_id === ticketId;

describe.each(DIALECTS)('projects and tickets on %s', (dialect) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ databaseUrl: await databaseUrl(dialect) });
  });
  afterAll(() => server.stop());

  const { call, register } = api(() => server);

  async function createTicket(projectId: string, who: RegisteredUser, fields: Record<string, unknown> = {}): Promise<any> {
    const created = await call('POST', `/api/projects/${projectId}/tickets`, who.token, { title: 'Login is broken', ...fields });
    expect(created.status).toBe(201);
    return created.body;
  }

  /** A tickets socket, ready once the ping round trip proves the connect (authorize, join) finished. */
  async function ticketsSocket(projectId: string, who: RegisteredUser): Promise<TestClient> {
    const client = await TestClient.connect(server.wsUrl(`/ws/projects/${projectId}/tickets/`, who.token));
    await client.roundTrip();
    return client;
  }

  async function notificationsSocket(who: RegisteredUser): Promise<TestClient> {
    const client = await TestClient.connect(server.wsUrl('/ws/notifications/', who.token));
    await client.next('unread_count');
    return client;
  }

  async function inbox(who: RegisteredUser): Promise<any[]> {
    const response = await call('GET', '/api/notifications', who.token);
    expect(response.status).toBe(200);
    return response.body.notifications;
  }

  const closeAll = (...clients: TestClient[]) => Promise.all(clients.map((client) => client.close()));

  describe('REST', () => {
    it('creates projects (the creator is owner and member), lists the caller\'s, and adds members who exist', async () => {
      const alice = await register('alice');
      const bob = await register('bob');
      const outsider = await register('outsider');

      const created = await call('POST', '/api/projects', alice.token, { name: '  Tracker  ' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.stringMatching(UUID), name: 'Tracker', owner_id: alice.id, created_at: expect.any(String) });
      const projectId = created.body.id;
      const other = await createProject(server, outsider);

      expect((await call('GET', '/api/projects', alice.token)).body).toEqual([created.body]);
      expect((await call('GET', '/api/projects', bob.token)).body).toEqual([]);

      const added = await call('POST', `/api/projects/${projectId}/members`, alice.token, { user_id: bob.id });
      expect(added).toEqual({ status: 201, body: { project_id: projectId, user_id: bob.id, added: true } });
      expect((await call('POST', `/api/projects/${projectId}/members`, alice.token, { user_id: bob.id })).body.added).toBe(false);
      expect((await call('GET', '/api/projects', bob.token)).body.map((p: any) => p.id)).toEqual([projectId]);

      const members = await call('GET', `/api/projects/${projectId}/members`, bob.token);
      expect(members.status).toBe(200);
      expect(members.body.map((m: any) => [m.user_id, m.username, m.name, m.role])).toEqual([
        [alice.id, alice.username, 'Alice', 'owner'],
        [bob.id, bob.username, 'Bob', 'member'],
      ]);

      // Members may add members; the user must exist; non-members see nothing (404, never 403).
      const carol = await register('carol');
      expect((await call('POST', `/api/projects/${projectId}/members`, bob.token, { user_id: carol.id })).status).toBe(201);
      expectError(await call('POST', `/api/projects/${projectId}/members`, alice.token, { user_id: randomUUID() }), 404, 'not_found');
      expectError(await call('POST', `/api/projects/${projectId}/members`, outsider.token, { user_id: outsider.id }), 404, 'not_found');
      expectError(await call('GET', `/api/projects/${projectId}/members`, outsider.token), 404, 'not_found');
      expectError(await call('GET', `/api/projects/${other}/tickets`, alice.token), 404, 'not_found');
      expectError(await call('GET', '/api/projects/not-a-uuid/tickets', alice.token), 404, 'not_found');
      expectError(await call('GET', `/api/projects/${randomUUID()}/tickets`, alice.token), 404, 'not_found');
    });

    it('creates, lists, reads, updates and deletes tickets; comments are listed oldest first', async () => {
      const alice = await register('alice');
      const bob = await register('bob');
      const projectId = await createProject(server, alice, { members: [bob] });

      const first = await createTicket(projectId, alice, { title: 'First', description: 'Steps: …' });
      expect(first).toEqual({
        id: expect.stringMatching(UUID),
        project_id: projectId,
        title: 'First',
        description: 'Steps: …',
        status: 'open',
        reporter_id: alice.id,
        assignee_id: null,
        created_at: expect.any(String),
        updated_at: first.created_at,
      });
      const second = await createTicket(projectId, bob, { title: 'Second', status: 'in_progress', assignee_id: alice.id });
      expect(second).toMatchObject({ status: 'in_progress', reporter_id: bob.id, assignee_id: alice.id, description: '' });

      const listed = await call('GET', `/api/projects/${projectId}/tickets`, bob.token);
      expect(listed.status).toBe(200);
      expect(listed.body.map((t: any) => t.id)).toEqual([second.id, first.id]);
      expect((await call('GET', `/api/projects/${projectId}/tickets?status=open`, bob.token)).body.map((t: any) => t.id)).toEqual([first.id]);
      expect((await call('GET', `/api/projects/${projectId}/tickets?assignee_id=${alice.id}`, bob.token)).body.map((t: any) => t.id)).toEqual([second.id]);
      expect((await call('GET', `/api/projects/${projectId}/tickets?limit=1&offset=1`, bob.token)).body.map((t: any) => t.id)).toEqual([first.id]);
      expect((await call('GET', `/api/tickets/${first.id}`, bob.token)).body).toEqual(first);

      const patched = await call('PATCH', `/api/tickets/${first.id}`, bob.token, { title: 'First (renamed)', status: 'review', assignee_id: bob.id });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ id: first.id, title: 'First (renamed)', status: 'review', assignee_id: bob.id, reporter_id: alice.id });
      expect(patched.body.updated_at > first.updated_at).toBe(true);
      const unassigned = await call('PATCH', `/api/tickets/${first.id}`, alice.token, { assignee_id: null });
      expect(unassigned.body.assignee_id).toBeNull();

      for (const content of ['one', 'two', 'three']) {
        expect((await call('POST', `/api/tickets/${first.id}/comments`, bob.token, { content })).status).toBe(201);
      }
      const comments = await call('GET', `/api/tickets/${first.id}/comments`, alice.token);
      expect(comments.status).toBe(200);
      expect(comments.body.map((c: any) => [c.content, c.author, c.author_id])).toEqual([
        ['one', bob.username, bob.id],
        ['two', bob.username, bob.id],
        ['three', bob.username, bob.id],
      ]);
      expect((await call('GET', `/api/tickets/${first.id}/comments?limit=1&offset=2`, alice.token)).body.map((c: any) => c.content)).toEqual(['three']);

      // Only the reporter or the project owner deletes: bob is neither for the first ticket.
      expectError(await call('DELETE', `/api/tickets/${first.id}`, bob.token), 403, 'forbidden');
      const deleted = await fetch(`${server.httpUrl}/api/tickets/${first.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${alice.token}` } });
      expect(deleted.status).toBe(204);
      expectError(await call('GET', `/api/tickets/${first.id}`, alice.token), 404, 'not_found');
      expectError(await call('GET', `/api/tickets/${first.id}/comments`, alice.token), 404, 'not_found');
      expectError(await call('DELETE', `/api/tickets/${first.id}`, alice.token), 404, 'not_found');
      // The owner may delete a ticket someone else reported.
      expect((await call('DELETE', `/api/tickets/${second.id}`, alice.token)).status).toBe(204);
      expect((await call('GET', `/api/projects/${projectId}/tickets`, alice.token)).body).toEqual([]);
    });

    it('answers 404 to non-members on every ticket route, 401 without a token, 400 on invalid input', async () => {
      const alice = await register('alice');
      const bob = await register('bob');
      const outsider = await register('outsider');
      const projectId = await createProject(server, alice, { members: [bob] });
      const ticket = await createTicket(projectId, alice);

      expectError(await call('POST', `/api/projects/${projectId}/tickets`, outsider.token, { title: 'x' }), 404, 'not_found');
      expectError(await call('GET', `/api/tickets/${ticket.id}`, outsider.token), 404, 'not_found');
      expectError(await call('PATCH', `/api/tickets/${ticket.id}`, outsider.token, { status: 'done' }), 404, 'not_found');
      expectError(await call('DELETE', `/api/tickets/${ticket.id}`, outsider.token), 404, 'not_found');
      expectError(await call('POST', `/api/tickets/${ticket.id}/comments`, outsider.token, { content: 'hi' }), 404, 'not_found');
      expectError(await call('GET', `/api/tickets/${ticket.id}/comments`, outsider.token), 404, 'not_found');
      expectError(await call('GET', '/api/tickets/not-a-uuid', alice.token), 404, 'not_found');
      // The outsider's attempts changed nothing.
      expect((await call('GET', `/api/tickets/${ticket.id}`, alice.token)).body).toEqual(ticket);

      expectError(await call('GET', '/api/projects'), 401, 'unauthenticated');
      expectError(await call('POST', `/api/projects/${projectId}/tickets`, undefined, { title: '' }), 401, 'unauthenticated');
      expectError(await call('PATCH', `/api/tickets/${ticket.id}`, 'garbage', { status: 'done' }), 401, 'unauthenticated');

      const tickets = `/api/projects/${projectId}/tickets`;
      expectError(await call('POST', '/api/projects', alice.token, { name: '   ' }), 400, 'invalid_payload');
      expectError(await call('POST', '/api/projects', alice.token, {}), 400, 'invalid_payload');
      expectError(await call('POST', `/api/projects/${projectId}/members`, alice.token, { user_id: 'nobody' }), 400, 'invalid_payload');
      expectError(await call('POST', tickets, alice.token, {}), 400, 'invalid_payload');
      expectError(await call('POST', tickets, alice.token, { title: ' ' }), 400, 'invalid_payload');
      expectError(await call('POST', tickets, alice.token, { title: 'x'.repeat(201) }), 400, 'invalid_payload');
      expect((await call('POST', tickets, alice.token, { title: 'x'.repeat(200) })).status).toBe(201);
      expectError(await call('POST', tickets, alice.token, { title: 'ok', description: 'd'.repeat(10_001) }), 400, 'invalid_payload');
      expect((await call('POST', tickets, alice.token, { title: 'ok', description: 'd'.repeat(10_000) })).status).toBe(201);
      expectError(await call('POST', tickets, alice.token, { title: 'ok', status: 'wontfix' }), 400, 'invalid_payload');
      // The assignee must be a member of the project.
      expectError(await call('POST', tickets, alice.token, { title: 'ok', assignee_id: outsider.id }), 400, 'invalid_payload');
      expectError(await call('PATCH', `/api/tickets/${ticket.id}`, alice.token, { assignee_id: outsider.id }), 400, 'invalid_payload');
      expectError(await call('PATCH', `/api/tickets/${ticket.id}`, alice.token, {}), 400, 'invalid_payload');
      expectError(await call('PATCH', `/api/tickets/${ticket.id}`, alice.token, { status: 'nope' }), 400, 'invalid_payload');
      expectError(await call('PATCH', `/api/tickets/${ticket.id}`, alice.token, { title: 'y'.repeat(201) }), 400, 'invalid_payload');
      expectError(await call('PATCH', `/api/tickets/${ticket.id}`, alice.token, '{"status":'), 400, 'invalid_payload');
      expectError(await call('POST', `/api/tickets/${ticket.id}/comments`, alice.token, { content: '' }), 400, 'invalid_payload');
      expectError(await call('POST', `/api/tickets/${ticket.id}/comments`, alice.token, { content: 'c'.repeat(10_001) }), 400, 'invalid_payload');
      expectError(await call('GET', `${tickets}?limit=0`, alice.token), 400, 'invalid_payload');
      expectError(await call('GET', `${tickets}?status=wontfix`, alice.token), 400, 'invalid_payload');
      // Nothing invalid was stored.
      expect((await call('GET', `/api/tickets/${ticket.id}`, alice.token)).body).toEqual(ticket);
    });
  });

  describe('/ws/projects/{id}/tickets/', () => {
    it('closes 4003 for non-members and for ids that are no project, alike; 4001 without a token', async () => {
      const alice = await register('alice');
      const outsider = await register('outsider');
      const projectId = await createProject(server, alice);
      expect(await closeOf(server.wsUrl(`/ws/projects/${projectId}/tickets/`, outsider.token))).toEqual(FORBIDDEN);
      expect(await closeOf(server.wsUrl('/ws/projects/not-a-uuid/tickets/', alice.token))).toEqual(FORBIDDEN);
      expect(await closeOf(server.wsUrl("/ws/projects/1'%20OR%201=1/tickets/", alice.token))).toEqual(FORBIDDEN);
      expect(await closeOf(server.wsUrl(`/ws/projects/${randomUUID()}/tickets/`, alice.token))).toEqual(FORBIDDEN);
      expect((await closeOf(server.wsUrl(`/ws/projects/${projectId}/tickets/`))).code).toBe(4001);
      // A member connects, and the socket answers as every endpoint does.
      const socket = await ticketsSocket(projectId, alice);
      socket.send({ type: 'subscribe_everything' });
      expect(await socket.next('error')).toMatchObject({ code: 'unknown_type', message: 'Unknown message type: subscribe_everything' });
      await socket.close();
    });

    it('a ticket created with an assignee: ticket_update to every member socket, a persisted ticket_assigned to the assignee only', async () => {
      const alice = await register('alice');
      const bob = await register('bob');
      const carol = await register('carol');
      const dave = await register('dave');
      const projectId = await createProject(server, alice, { members: [bob, carol] });
      const otherProject = await createProject(server, dave);

      const aliceTickets = await ticketsSocket(projectId, alice);
      const bobTickets = await ticketsSocket(projectId, bob);
      const daveTickets = await ticketsSocket(otherProject, dave);
      const aliceInbox = await notificationsSocket(alice);
      const bobInbox = await notificationsSocket(bob);
      const carolInbox = await notificationsSocket(carol);

      const ticket = await createTicket(projectId, alice, { title: 'Crash on save', assignee_id: bob.id });
      const expected = {
        type: 'ticket_update',
        action: 'created',
        data: {
          ticket_id: ticket.id,
          title: 'Crash on save',
          status: 'open',
          updated_by: alice.username,
          project_id: projectId,
          assignee_id: bob.id,
          updated_at: ticket.updated_at,
        },
        timestamp: expect.any(String),
      };
      expect(await aliceTickets.next(isTicketUpdate('created', ticket.id))).toEqual(expected);
      expect(await bobTickets.next(isTicketUpdate('created', ticket.id))).toEqual(expected);

      const pushed = await bobInbox.next(isNotification('ticket_assigned', ticket.id));
      expect(pushed.data).toMatchObject({
        notification_type: 'ticket_assigned',
        title: 'Ticket Assigned',
        message: expect.stringContaining('Crash on save'),
        data: { ticket_id: ticket.id, project_id: projectId, assigned_by: alice.username },
        read_at: null,
      });
      // Persisted: the assignee's inbox has it, with the same id.
      expect((await inbox(bob)).map((n) => n.id)).toEqual([pushed.data.id]);

      // Nobody else: not the actor, not another member, not a member of another project.
      await Promise.all([daveTickets.roundTrip(), aliceInbox.roundTrip(), carolInbox.roundTrip()]);
      expect(daveTickets.all('ticket_update')).toEqual([]);
      expect(aliceInbox.all('notification')).toEqual([]);
      expect(carolInbox.all('notification')).toEqual([]);
      expect(await inbox(alice)).toEqual([]);
      expect(await inbox(carol)).toEqual([]);
      await closeAll(aliceTickets, bobTickets, daveTickets, aliceInbox, bobInbox, carolInbox);
    });

    it('assigning yourself notifies nobody; reassigning through PATCH notifies the new assignee', async () => {
      const alice = await register('alice');
      const bob = await register('bob');
      const projectId = await createProject(server, alice, { members: [bob] });
      const aliceInbox = await notificationsSocket(alice);
      const bobInbox = await notificationsSocket(bob);
      const aliceTickets = await ticketsSocket(projectId, alice);

      const ticket = await createTicket(projectId, alice, { assignee_id: alice.id });
      await aliceTickets.next(isTicketUpdate('created', ticket.id));
      await aliceInbox.roundTrip();
      expect(aliceInbox.all('notification')).toEqual([]);

      const patched = await call('PATCH', `/api/tickets/${ticket.id}`, alice.token, { assignee_id: bob.id });
      expect(patched.status).toBe(200);
      expect((await aliceTickets.next(isTicketUpdate('updated', ticket.id))).data).toMatchObject({ assignee_id: bob.id, updated_by: alice.username });
      expect(await bobInbox.next(isNotification('ticket_assigned', ticket.id))).toBeTruthy();

      // Bob takes it back to himself after alice unassigned: nobody is notified.
      await call('PATCH', `/api/tickets/${ticket.id}`, alice.token, { assignee_id: null });
      await call('PATCH', `/api/tickets/${ticket.id}`, bob.token, { assignee_id: bob.id });
      await aliceTickets.next((m) => m.type === 'ticket_update' && m.data.assignee_id === bob.id && m.data.updated_by === bob.username);
      await Promise.all([aliceInbox.roundTrip(), bobInbox.roundTrip()]);
      expect(aliceInbox.all('notification')).toEqual([]);
      expect(bobInbox.all('notification')).toHaveLength(1);
      expect((await inbox(bob)).map((n) => n.notification_type)).toEqual(['ticket_assigned']);
      await closeAll(aliceInbox, bobInbox, aliceTickets);
    });

    it('a status change notifies reporter and assignee but never the actor; an update that changes nothing broadcasts nothing', async () => {
      const alice = await register('alice');
      const bob = await register('bob');
      const carol = await register('carol');
      const projectId = await createProject(server, alice, { members: [bob, carol] });
      const ticket = await createTicket(projectId, alice, { assignee_id: bob.id });
      const aliceInbox = await notificationsSocket(alice);
      const bobInbox = await notificationsSocket(bob);
      const carolInbox = await notificationsSocket(carol);
      const carolTickets = await ticketsSocket(projectId, carol);

      // The assignee moves it: only the reporter hears of it.
      expect((await call('PATCH', `/api/tickets/${ticket.id}`, bob.token, { status: 'in_progress' })).status).toBe(200);
      const update = await carolTickets.next(isTicketUpdate('updated', ticket.id));
      expect(update.data).toMatchObject({ status: 'in_progress', updated_by: bob.username, title: ticket.title });
      const toReporter = await aliceInbox.next(isNotification('status_changed', ticket.id));
      expect(toReporter.data).toMatchObject({
        title: 'Ticket Status Changed',
        data: { ticket_id: ticket.id, old_status: 'open', new_status: 'in_progress', changed_by: bob.username },
      });
      await Promise.all([bobInbox.roundTrip(), carolInbox.roundTrip()]);
      expect(bobInbox.all('notification')).toEqual([]);
      expect(carolInbox.all('notification')).toEqual([]);

      // A third member moves it: reporter and assignee both hear, the actor does not.
      await call('PATCH', `/api/tickets/${ticket.id}`, carol.token, { status: 'review' });
      expect((await aliceInbox.next(isNotification('status_changed', ticket.id))).data.data.new_status).toBe('review');
      expect((await bobInbox.next(isNotification('status_changed', ticket.id))).data.data).toMatchObject({ old_status: 'in_progress', new_status: 'review' });
      await carolInbox.roundTrip();
      expect(carolInbox.all('notification')).toEqual([]);

      // Same status again (and the same title): no ticket_update, no notification.
      await carolTickets.next(isTicketUpdate('updated', ticket.id));
      const unchanged = await call('PATCH', `/api/tickets/${ticket.id}`, carol.token, { status: 'review', title: ticket.title });
      expect(unchanged.status).toBe(200);
      await Promise.all([carolTickets.roundTrip(), aliceInbox.roundTrip(), bobInbox.roundTrip()]);
      expect(carolTickets.all('ticket_update').filter((m) => m.action === 'updated')).toHaveLength(2);
      expect(aliceInbox.all('notification')).toHaveLength(2);
      expect(bobInbox.all('notification')).toHaveLength(1);

      // Persisted: the inboxes say the same as the sockets did.
      expect((await inbox(alice)).map((n) => n.data.new_status)).toEqual(['review', 'in_progress']);
      // Bob's older ticket_assigned (from the ticket's creation) is there too.
      expect((await inbox(bob)).map((n) => [n.notification_type, n.data.new_status])).toEqual([
        ['status_changed', 'review'],
        ['ticket_assigned', undefined],
      ]);
      expect(await inbox(carol)).toEqual([]);
      await closeAll(aliceInbox, bobInbox, carolInbox, carolTickets);
    });

    it('a deleted ticket is announced with its last title and status, by whom', async () => {
      const alice = await register('alice');
      const bob = await register('bob');
      const projectId = await createProject(server, alice, { members: [bob] });
      const ticket = await createTicket(projectId, bob, { title: 'Obsolete', status: 'done' });
      const aliceTickets = await ticketsSocket(projectId, alice);
      expect((await call('DELETE', `/api/tickets/${ticket.id}`, bob.token)).status).toBe(204);
      expect((await aliceTickets.next(isTicketUpdate('deleted', ticket.id))).data).toMatchObject({
        ticket_id: ticket.id,
        title: 'Obsolete',
        status: 'done',
        updated_by: bob.username,
      });
      await aliceTickets.close();
    });
  });

  describe('comments and mentions', () => {
    it('@username notifies each mentioned project member once, never the author nor non-members; comment_added reaches the project', async () => {
      const alice = await register('alice');
      const bob = await register('bob');
      const carol = await register('carol');
      const outsider = await register('outsider');
      const projectId = await createProject(server, alice, { members: [bob, carol] });
      const ticket = await createTicket(projectId, alice, { title: 'Flaky test' });
      const bobInbox = await notificationsSocket(bob);
      const carolInbox = await notificationsSocket(carol);
      const aliceInbox = await notificationsSocket(alice);
      const outsiderInbox = await notificationsSocket(outsider);
      const carolTickets = await ticketsSocket(projectId, carol);

      const content =
        `@${bob.username} can you look? cc @${bob.username}, @${carol.username}. ` +
        `Also @${outsider.username} and me (@${alice.username}); mail ${bob.username}@example.com and @nobody_${randomUUID().slice(0, 6)}`;
      const posted = await call('POST', `/api/tickets/${ticket.id}/comments`, alice.token, { content });
      expect(posted.status).toBe(201);
      expect(posted.body).toEqual({
        id: expect.stringMatching(UUID),
        ticket_id: ticket.id,
        author_id: alice.id,
        author: alice.username,
        content,
        created_at: expect.any(String),
        mentioned_user_ids: [bob.id, carol.id],
      });

      const toBob = await bobInbox.next(isNotification('mention', ticket.id));
      expect(toBob.data).toMatchObject({
        notification_type: 'mention',
        message: expect.stringContaining(alice.username),
        data: { ticket_id: ticket.id, project_id: projectId, comment_id: posted.body.id, mentioned_by: alice.username },
      });
      // "carol." at the end of a sentence still names carol.
      expect(await carolInbox.next(isNotification('mention', ticket.id))).toBeTruthy();
      const added = await carolTickets.next('comment_added');
      expect(added.data).toEqual({ ...posted.body, project_id: projectId, mentioned_user_ids: undefined });

      await Promise.all([bobInbox.roundTrip(), aliceInbox.roundTrip(), outsiderInbox.roundTrip()]);
      expect(bobInbox.all('notification')).toHaveLength(1);
      expect(aliceInbox.all('notification')).toEqual([]);
      expect(outsiderInbox.all('notification')).toEqual([]);
      expect((await inbox(bob)).map((n) => n.notification_type)).toEqual(['mention']);
      expect(await inbox(outsider)).toEqual([]);
      expect(await inbox(alice)).toEqual([]);

      // A comment without mentions notifies nobody.
      const plain = await call('POST', `/api/tickets/${ticket.id}/comments`, bob.token, { content: 'On it. email: a@b.c' });
      expect(plain.body.mentioned_user_ids).toEqual([]);
      await carolTickets.next((m) => m.type === 'comment_added' && m.data.id === plain.body.id);
      await Promise.all([aliceInbox.roundTrip(), carolInbox.roundTrip()]);
      expect(aliceInbox.all('notification')).toEqual([]);
      expect(carolInbox.all('notification')).toHaveLength(1);
      await closeAll(bobInbox, carolInbox, aliceInbox, outsiderInbox, carolTickets);
    });
  });
});
