/**
 * Workspace, channel and message REST routes (PROTOCOL.md §8) against SQLite and
 * PostgreSQL: shapes and statuses, access (404 for what the caller cannot see, 403
 * for what it may see but not do), body validation, paging, safe retries, read
 * markers, and gap-free seq numbering under concurrent senders.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store/store.js';
import { DIALECTS, databaseUrl } from './support/databases.js';
import { createChannel, createWorkspace } from './support/fixtures.js';
import { api, expectError } from './support/http.js';
import { startServer, type TestServer } from './support/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe.each(DIALECTS)('workspace REST API on %s', (dialect) => {
  let server: TestServer;
  let url: string;

  beforeAll(async () => {
    url = await databaseUrl(dialect);
    server = await startServer({ databaseUrl: url });
  });
  afterAll(() => server.stop());

  const { call, register } = api(() => server);

  describe('workspaces', () => {
    it('creates a workspace whose creator is a member, and lists only the caller’s workspaces', async () => {
      const alice = await register('alice');
      const bob = await register('bob');
      const created = await call('POST', '/api/workspaces', alice.token, { name: '  Acme Corp  ' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({ id: expect.stringMatching(UUID), name: 'Acme Corp', created_by: alice.id, created_at: expect.any(String) });
      expect(new Date(created.body.created_at).toISOString()).toBe(created.body.created_at);
      await createWorkspace(server, bob, { name: 'Bob Inc' });

      const mine = await call('GET', '/api/workspaces', alice.token);
      expect(mine.status).toBe(200);
      expect(mine.body).toEqual([created.body]);
    });

    it('validates the name: 1–100 characters, not only spaces', async () => {
      const alice = await register('alice');
      expect((await call('POST', '/api/workspaces', alice.token, { name: 'n'.repeat(100) })).status).toBe(201);
      expectError(await call('POST', '/api/workspaces', alice.token, { name: 'n'.repeat(101) }), 400, 'invalid_payload');
      expectError(await call('POST', '/api/workspaces', alice.token, { name: '' }), 400, 'invalid_payload');
      expectError(await call('POST', '/api/workspaces', alice.token, { name: '   ' }), 400, 'invalid_payload');
      expectError(await call('POST', '/api/workspaces', alice.token, {}), 400, 'invalid_payload');
    });

    it('requires a token on every route (401 before any validation)', async () => {
      const id = randomUUID();
      for (const [method, path] of [
        ['POST', '/api/workspaces'],
        ['GET', '/api/workspaces'],
        ['POST', `/api/workspaces/${id}/members`],
        ['POST', `/api/workspaces/${id}/channels`],
        ['GET', `/api/workspaces/${id}/channels`],
        ['POST', `/api/channels/${id}/members`],
        ['GET', `/api/channels/${id}/messages`],
        ['POST', `/api/channels/${id}/messages`],
        ['POST', `/api/channels/${id}/read`],
      ] as const) {
        expectError(await call(method, path, undefined, method === 'POST' ? {} : undefined), 401, 'unauthenticated');
      }
      expectError(await call('GET', '/api/workspaces', 'not-a-token'), 401, 'unauthenticated');
    });

    it('members add registered users; outsiders see 404; repeats are 200', async () => {
      const alice = await register('alice');
      const bob = await register('bob');
      const carol = await register('carol');
      const workspaceId = await createWorkspace(server, alice);

      // Not a member yet: the workspace does not exist for bob.
      expectError(await call('POST', `/api/workspaces/${workspaceId}/members`, bob.token, { user_id: bob.id }), 404, 'not_found');
      expectError(await call('GET', `/api/workspaces/${workspaceId}/channels`, bob.token), 404, 'not_found');

      const added = await call('POST', `/api/workspaces/${workspaceId}/members`, alice.token, { user_id: bob.id });
      expect(added).toEqual({ status: 201, body: { workspace_id: workspaceId, user_id: bob.id, added: true } });
      const again = await call('POST', `/api/workspaces/${workspaceId}/members`, alice.token, { user_id: bob.id });
      expect(again).toEqual({ status: 200, body: { workspace_id: workspaceId, user_id: bob.id, added: false } });

      // Any member may add; the new member sees the workspace.
      expect((await call('POST', `/api/workspaces/${workspaceId}/members`, bob.token, { user_id: carol.id })).status).toBe(201);
      expect((await call('GET', '/api/workspaces', carol.token)).body.map((w: any) => w.id)).toEqual([workspaceId]);

      // The added user must exist; ids are validated.
      expectError(await call('POST', `/api/workspaces/${workspaceId}/members`, alice.token, { user_id: randomUUID() }), 404, 'not_found');
      expectError(await call('POST', `/api/workspaces/${workspaceId}/members`, alice.token, { user_id: 'bob' }), 400, 'invalid_payload');
      expectError(await call('POST', `/api/workspaces/${workspaceId}/members`, alice.token, {}), 400, 'invalid_payload');
      // Unknown and malformed workspace ids are 404 like foreign ones.
      expectError(await call('POST', `/api/workspaces/${randomUUID()}/members`, alice.token, { user_id: bob.id }), 404, 'not_found');
      expectError(await call('POST', '/api/workspaces/not-a-uuid/members', alice.token, { user_id: bob.id }), 404, 'not_found');
    });
  });

  describe('channels', () => {
    it('creates public (default) and private channels; lists what the caller may use', async () => {
      const alice = await register('alice');
      const bob = await register('bob');
      const workspaceId = await createWorkspace(server, alice);
      await call('POST', `/api/workspaces/${workspaceId}/members`, alice.token, { user_id: bob.id });

      const general = await call('POST', `/api/workspaces/${workspaceId}/channels`, alice.token, { name: 'general' });
      expect(general.status).toBe(201);
      expect(general.body).toEqual({
        id: expect.stringMatching(UUID),
        workspace_id: workspaceId,
        name: 'general',
        type: 'public',
        created_by: alice.id,
        created_at: expect.any(String),
        last_seq: 0,
      });
      const secret = await call('POST', `/api/workspaces/${workspaceId}/channels`, alice.token, { name: 'team.secret', type: 'private' });
      expect(secret.body.type).toBe('private');

      const forAlice = await call('GET', `/api/workspaces/${workspaceId}/channels`, alice.token);
      expect(forAlice.body.map((c: any) => c.name).sort()).toEqual(['general', 'team.secret']);
      const forBob = await call('GET', `/api/workspaces/${workspaceId}/channels`, bob.token);
      expect(forBob.body.map((c: any) => c.name)).toEqual(['general']);
    });

    it('validates channel names and types; only members create channels', async () => {
      const alice = await register('alice');
      const mallory = await register('mallory');
      const workspaceId = await createWorkspace(server, alice);
      const path = `/api/workspaces/${workspaceId}/channels`;
      expect((await call('POST', path, alice.token, { name: 'c'.repeat(100) })).status).toBe(201);
      expectError(await call('POST', path, alice.token, { name: 'c'.repeat(101) }), 400, 'invalid_payload');
      expectError(await call('POST', path, alice.token, { name: 'has space' }), 400, 'invalid_payload');
      expectError(await call('POST', path, alice.token, { name: '' }), 400, 'invalid_payload');
      expectError(await call('POST', path, alice.token, { name: 'ok', type: 'secret' }), 400, 'invalid_payload');
      expectError(await call('POST', path, mallory.token, { name: 'intruder' }), 404, 'not_found');
    });

    it('private channel members: added by channel members only, who must belong to the workspace', async () => {
      const alice = await register('alice');
      const bob = await register('bob');
      const carol = await register('carol');
      const outsider = await register('outsider');
      const workspaceId = await createWorkspace(server, alice);
      for (const member of [bob, carol]) await call('POST', `/api/workspaces/${workspaceId}/members`, alice.token, { user_id: member.id });
      const secretId = await createChannel(server, alice, workspaceId, { name: 'secret', type: 'private' });
      const generalId = await createChannel(server, alice, workspaceId);
      const members = `/api/channels/${secretId}/members`;

      // Bob is in the workspace but not in the channel: it is invisible to him.
      expectError(await call('POST', members, bob.token, { user_id: bob.id }), 404, 'not_found');
      expectError(await call('GET', `/api/channels/${secretId}/messages`, bob.token), 404, 'not_found');
      expectError(await call('POST', members, outsider.token, { user_id: outsider.id }), 404, 'not_found');

      expect(await call('POST', members, alice.token, { user_id: bob.id })).toEqual({
        status: 201,
        body: { channel_id: secretId, user_id: bob.id, added: true },
      });
      expect((await call('POST', members, alice.token, { user_id: bob.id })).body.added).toBe(false);
      // Now bob sees it, and may add carol himself.
      expect((await call('GET', `/api/workspaces/${workspaceId}/channels`, bob.token)).body.map((c: any) => c.id)).toContain(secretId);
      expect((await call('POST', members, bob.token, { user_id: carol.id })).status).toBe(201);

      // Visible but not allowed: 403.
      expectError(await call('POST', members, alice.token, { user_id: outsider.id }), 403, 'forbidden');
      expectError(await call('POST', members, alice.token, { user_id: randomUUID() }), 403, 'forbidden');
      expectError(await call('POST', `/api/channels/${generalId}/members`, alice.token, { user_id: bob.id }), 403, 'forbidden');
      expectError(await call('POST', members, alice.token, { user_id: 42 }), 400, 'invalid_payload');
      expectError(await call('POST', `/api/channels/${randomUUID()}/members`, alice.token, { user_id: bob.id }), 404, 'not_found');
    });
  });

  describe('messages', () => {
    it('posts (201) and pages history oldest first with has_more', async () => {
      const alice = await register('alice');
      const workspaceId = await createWorkspace(server, alice);
      const channelId = await createChannel(server, alice, workspaceId);
      const path = `/api/channels/${channelId}/messages`;

      const first = await call('POST', path, alice.token, { content: 'hello', attachments: [{ url: 'https://x.example/f.txt', size: 3 }] });
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        id: expect.stringMatching(UUID),
        seq: 1,
        channel_id: channelId,
        user_id: alice.id,
        user_name: 'Alice',
        content: 'hello',
        attachments: [{ url: 'https://x.example/f.txt', size: 3 }],
        client_id: null,
        created_at: expect.any(String),
      });
      for (let i = 2; i <= 7; i++) expect((await call('POST', path, alice.token, { content: `m${i}` })).body.seq).toBe(i);

      const newest = await call('GET', `${path}?limit=3`, alice.token);
      expect(newest.status).toBe(200);
      expect(newest.body.messages.map((m: any) => m.seq)).toEqual([5, 6, 7]);
      expect(newest.body.has_more).toBe(true);
      expect((await call('GET', `${path}?before_seq=5&limit=3`, alice.token)).body).toMatchObject({ has_more: true });
      expect((await call('GET', `${path}?before_seq=5&limit=4`, alice.token)).body.messages.map((m: any) => m.seq)).toEqual([1, 2, 3, 4]);
      const after = await call('GET', `${path}?after_seq=4`, alice.token);
      expect(after.body).toMatchObject({ has_more: false });
      expect(after.body.messages.map((m: any) => m.content)).toEqual(['m5', 'm6', 'm7']);
      // Both bounds: the window between them, from after_seq up.
      expect((await call('GET', `${path}?after_seq=2&before_seq=6`, alice.token)).body.messages.map((m: any) => m.seq)).toEqual([3, 4, 5]);
      expect((await call('GET', `${path}?after_seq=7`, alice.token)).body).toEqual({ messages: [], has_more: false });
      // The channel listing reports the newest seq.
      expect((await call('GET', `/api/workspaces/${workspaceId}/channels`, alice.token)).body[0].last_seq).toBe(7);

      expectError(await call('GET', `${path}?limit=101`, alice.token), 400, 'invalid_payload');
      expectError(await call('GET', `${path}?limit=0`, alice.token), 400, 'invalid_payload');
      expectError(await call('GET', `${path}?after_seq=abc`, alice.token), 400, 'invalid_payload');
      expectError(await call('GET', `${path}?before_seq=-1`, alice.token), 400, 'invalid_payload');
      expectError(await call('GET', `${path}?after_seq=99999999999`, alice.token), 400, 'invalid_payload');
    });

    it('validates message bodies: 4000 characters pass, 4001 do not; content or attachments required', async () => {
      const alice = await register('alice');
      const channelId = await createChannel(server, alice, await createWorkspace(server, alice));
      const path = `/api/channels/${channelId}/messages`;
      expect((await call('POST', path, alice.token, { content: 'y'.repeat(4000) })).status).toBe(201);
      expectError(await call('POST', path, alice.token, { content: 'y'.repeat(4001) }), 400, 'invalid_payload');
      expectError(await call('POST', path, alice.token, { content: '' }), 400, 'invalid_payload');
      expectError(await call('POST', path, alice.token, { content: ' \n ', attachments: [] }), 400, 'invalid_payload');
      expectError(await call('POST', path, alice.token, {}), 400, 'invalid_payload');
      expectError(await call('POST', path, alice.token, { content: 'x', attachments: [{ url: 'javascript:alert(1)' }] }), 400, 'invalid_payload');
      expectError(await call('POST', path, alice.token, { content: 'x', attachments: [{ name: 'no url' }] }), 400, 'invalid_payload');
      expectError(
        await call('POST', path, alice.token, { content: 'x', attachments: Array.from({ length: 101 }, () => ({ url: '/f' })) }),
        400,
        'invalid_payload',
      );
      expectError(await call('POST', path, alice.token, { content: 'x', client_id: '' }), 400, 'invalid_payload');
      const attachmentOnly = await call('POST', path, alice.token, { attachments: [{ url: '/media/a.png', type: 'image/png' }] });
      expect(attachmentOnly.status).toBe(201);
      expect(attachmentOnly.body).toMatchObject({ seq: 2, content: '', attachments: [{ url: '/media/a.png', type: 'image/png' }] });
      // Nothing invalid was stored.
      expect((await call('GET', path, alice.token)).body.messages.map((m: any) => m.seq)).toEqual([1, 2]);
    });

    it('a repeated client_id returns the stored message (200), also when both requests race', async () => {
      const alice = await register('alice');
      const workspaceId = await createWorkspace(server, alice);
      const channelId = await createChannel(server, alice, workspaceId);
      const path = `/api/channels/${channelId}/messages`;

      const first = await call('POST', path, alice.token, { content: 'pay 10€', client_id: 'k1' });
      const retry = await call('POST', path, alice.token, { content: 'pay 10€', client_id: 'k1' });
      expect([first.status, retry.status]).toEqual([201, 200]);
      expect(retry.body).toEqual(first.body);

      const raced = await Promise.all(range(1, 8).map(() => call('POST', path, alice.token, { content: 'raced', client_id: 'k2' })));
      expect(new Set(raced.map((r) => r.body.id)).size).toBe(1);
      expect(raced.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);

      // A client_id is per user: bob may use the same one.
      const bob = await register('bob');
      await call('POST', `/api/workspaces/${workspaceId}/members`, alice.token, { user_id: bob.id });
      expect((await call('POST', path, bob.token, { content: 'mine', client_id: 'k1' })).status).toBe(201);
      // The same user reusing it in another channel is a conflict.
      const otherId = await createChannel(server, alice, workspaceId, { name: 'other' });
      expectError(await call('POST', `/api/channels/${otherId}/messages`, alice.token, { content: 'x', client_id: 'k1' }), 409, 'conflict');

      const history = await call('GET', path, alice.token);
      expect(history.body.messages.map((m: any) => [m.seq, m.client_id, m.user_id])).toEqual([
        [1, 'k1', alice.id],
        [2, 'k2', alice.id],
        [3, 'k1', bob.id],
      ]);
    });

    it('50 concurrent senders get seqs 1..50: no gaps, no duplicates', async () => {
      const alice = await register('alice');
      const channelId = await createChannel(server, alice, await createWorkspace(server, alice));
      const path = `/api/channels/${channelId}/messages`;
      const posted = await Promise.all(range(1, 50).map((i) => call('POST', path, alice.token, { content: `c${i}` })));
      expect(posted.every((r) => r.status === 201)).toBe(true);
      expect(posted.map((r) => r.body.seq).sort((a, b) => a - b)).toEqual(range(1, 50));
      const history = await call('GET', `${path}?limit=100`, alice.token);
      expect(history.body.messages.map((m: any) => m.seq)).toEqual(range(1, 50));
      expect(new Set(history.body.messages.map((m: any) => m.content)).size).toBe(50);
    });

    it('the repository under concurrent calls: gap-free seqs, and one row per client_id', async () => {
      // Called directly, all the calls start before any finishes (even on SQLite).
      const { store } = server.server;
      const alice = await register('alice');
      const channelId = await createChannel(server, alice, await createWorkspace(server, alice));
      const author = { id: alice.id, name: 'Alice' };
      const sent = await Promise.all(range(1, 50).map((i) => store.messages.send(channelId, author, { content: `r${i}`, attachments: [] })));
      expect(sent.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(range(1, 50));

      const twins = await Promise.all(range(1, 2).map(() => store.messages.send(channelId, author, { content: 'twin', attachments: [], clientId: 'twin' })));
      expect(twins[1]!.message).toEqual(twins[0]!.message);
      expect(twins.map((r) => r.created).sort()).toEqual([false, true]);
      const page = await store.messages.history(channelId, { afterSeq: 50 });
      expect(page).toEqual({ messages: [twins[0]!.message], hasMore: false });
    });

    it.runIf(dialect === 'postgres')('two servers sharing one PostgreSQL number concurrent sends without gaps', async () => {
      // A second Store on the same database stands in for another instance.
      const second = new Store(url);
      try {
        const alice = await register('alice');
        const channelId = await createChannel(server, alice, await createWorkspace(server, alice));
        const author = { id: alice.id, name: 'Alice' };
        const results = await Promise.all([
          ...range(1, 25).map((i) => call('POST', `/api/channels/${channelId}/messages`, alice.token, { content: `a${i}` }).then((r) => r.body.seq as number)),
          ...range(1, 25).map((i) => second.messages.send(channelId, author, { content: `b${i}`, attachments: [] }).then((r) => r.message.seq)),
        ]);
        expect(results.sort((a, b) => a - b)).toEqual(range(1, 50));

        // And the same client_id racing across both: one row.
        const raced = await Promise.all([
          call('POST', `/api/channels/${channelId}/messages`, alice.token, { content: 'once', client_id: 'cross' }).then((r) => r.body.id as string),
          second.messages.send(channelId, author, { content: 'once', attachments: [], clientId: 'cross' }).then((r) => r.message.id),
          second.messages.send(channelId, author, { content: 'once', attachments: [], clientId: 'cross' }).then((r) => r.message.id),
        ]);
        expect(new Set(raced).size).toBe(1);
        const page = await second.messages.history(channelId, { afterSeq: 50 });
        expect(page.messages.map((m) => m.seq)).toEqual([51]);
      } finally {
        await second.close();
      }
    });

    it('read markers: 200 with the marker; only forward; messages of other channels are 404', async () => {
      const alice = await register('alice');
      const workspaceId = await createWorkspace(server, alice);
      const channelId = await createChannel(server, alice, workspaceId);
      const otherId = await createChannel(server, alice, workspaceId, { name: 'other' });
      const post = async (channel: string, content: string): Promise<string> =>
        (await call('POST', `/api/channels/${channel}/messages`, alice.token, { content })).body.id;
      const one = await post(channelId, 'one');
      const two = await post(channelId, 'two');
      const elsewhere = await post(otherId, 'elsewhere');
      const read = `/api/channels/${channelId}/read`;

      expect(await call('POST', read, alice.token, { message_id: two })).toEqual({
        status: 200,
        body: { user_id: alice.id, message_id: two, seq: 2, moved: true },
      });
      expect((await call('POST', read, alice.token, { message_id: one })).body).toEqual({ user_id: alice.id, message_id: two, seq: 2, moved: false });
      expectError(await call('POST', read, alice.token, { message_id: elsewhere }), 404, 'not_found');
      expectError(await call('POST', read, alice.token, { message_id: 'not-a-uuid' }), 400, 'invalid_payload');
      const mallory = await register('mallory');
      expectError(await call('POST', read, mallory.token, { message_id: one }), 404, 'not_found');
    });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const docs = await call('GET', '/api/docs');
    for (const path of [
      '/api/workspaces',
      '/api/workspaces/{id}/members',
      '/api/workspaces/{id}/channels',
      '/api/channels/{id}/members',
      '/api/channels/{id}/messages',
      '/api/channels/{id}/read',
    ]) {
      expect(docs.body.paths).toHaveProperty([path]);
    }
  });
});
