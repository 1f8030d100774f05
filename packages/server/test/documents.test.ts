/**
 * Seed 000 collaborative documents `/ws/documents/<uuid>/` (PROTOCOL.md §2) and the
 * document REST routes (§8), over real sockets against SQLite and PostgreSQL: the
 * seed's scenario, stale updates merged or refused, version history, access (4003),
 * cursors, presence, limits, and the store's compare-and-set, also across two
 * server instances sharing one database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store/store.js';
import { TestClient, closeOf, type Message } from './support/client.js';
import { DIALECTS, databaseUrl } from './support/databases.js';
import { createDocument } from './support/fixtures.js';
import { api, tokenUser, type TestUser } from './support/http.js';
import { startServer, type TestServer } from './support/server.js';

const THREE_PARAGRAPHS = 'First paragraph.\n\nSecond paragraph.\n\nThird paragraph.';

describe.each(DIALECTS)('documents on %s', (dialect) => {
  let url: string;
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let workspaceId: string;

  beforeAll(async () => {
    url = await databaseUrl(dialect);
    server = await startServer({ databaseUrl: url });
    alice = await tokenUser(server, 'Alice');
    bob = await tokenUser(server, 'Bob');
    carol = await tokenUser(server, 'Carol');
    const { store } = server.server;
    workspaceId = (await store.workspaces.create('Acme', alice.id)).id;
    await store.workspaces.addMember(workspaceId, bob.id);
    // carol belongs to another workspace only
    await store.workspaces.create('Elsewhere', carol.id);
  });
  afterAll(() => server.stop());

  const { call } = api(() => server);

  /** A document of alice's in the shared workspace. */
  const createAlicesDocument = (content: string): Promise<string> => createDocument(server, alice, workspaceId, { content });

  async function open(documentId: string, who: TestUser, target = server): Promise<{ client: TestClient; state: Message }> {
    const client = await TestClient.connect(target.wsUrl(`/ws/documents/${documentId}/`, who.token));
    const state = await client.next('document_state');
    // The seed sends user_joined to the joiner too.
    await client.next((m) => m.type === 'user_joined' && m.data.user_id === who.id);
    return { client, state };
  }

  async function currentContent(documentId: string): Promise<{ content: string; version: number }> {
    const response = await call('GET', `/api/documents/${documentId}`, alice.token);
    expect(response.status).toBe(200);
    return { content: response.body.content, version: response.body.version };
  }

  it("runs the seed's scenario: document_state on connect, update, another member gets document_updated", async () => {
    const documentId = await createAlicesDocument('Initial content');
    const a = await open(documentId, alice);
    expect(a.state.data).toEqual({ content: 'Initial content', version: 1, users: [{ user_id: alice.id, user_name: 'Alice' }] });
    expect(new Date(a.state.timestamp).toISOString()).toBe(a.state.timestamp);

    const b = await open(documentId, bob);
    expect(b.state.data.users).toHaveLength(2);
    expect(b.state.data.users).toContainEqual({ user_id: bob.id, user_name: 'Bob' });
    expect(await a.client.next('user_joined')).toMatchObject({ data: { user_id: bob.id, user_name: 'Bob' } });

    // The seed's test message, fields nested in `data`.
    a.client.send({ type: 'update', data: { content: 'New content', version: 1 }, ref: 'u1' });
    expect(await a.client.next('update_ack')).toMatchObject({ data: { version: 2 }, ref: 'u1' });
    expect(await b.client.next('document_updated')).toMatchObject({ data: { content: 'New content', version: 2, user_id: alice.id } });
    // The sender is not sent its own edit back.
    await a.client.roundTrip();
    expect(a.client.all('document_updated')).toEqual([]);
    expect(await currentContent(documentId)).toEqual({ content: 'New content', version: 2 });

    // Flat fields (seeds 001/002 style) work too; bob's edit is based on version 2.
    b.client.send({ type: 'update', content: 'Bob was here', version: 2 });
    expect(await b.client.next('update_ack')).toMatchObject({ data: { version: 3 } });
    expect(await a.client.next('document_updated')).toMatchObject({ data: { content: 'Bob was here', version: 3, user_id: bob.id } });
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it('merges two concurrent stale updates to different paragraphs: both survive', async () => {
    const documentId = await createAlicesDocument(THREE_PARAGRAPHS);
    const a = await open(documentId, alice);
    const b = await open(documentId, bob);
    const aliceEdit = 'First paragraph, by Alice.\n\nSecond paragraph.\n\nThird paragraph.';
    const bobEdit = 'First paragraph.\n\nSecond paragraph.\n\nThird paragraph, by Bob.';
    const merged = 'First paragraph, by Alice.\n\nSecond paragraph.\n\nThird paragraph, by Bob.';
    // Both based on version 1, sent at once: one is stored as is, the other is merged onto it.
    a.client.send({ type: 'update', data: { content: aliceEdit, version: 1 }, ref: 'a' });
    b.client.send({ type: 'update', data: { content: bobEdit, version: 1 }, ref: 'b' });
    const acks = [await a.client.next('update_ack'), await b.client.next('update_ack')];
    expect(acks.map((ack) => ack.data.version).sort()).toEqual([2, 3]);
    const [first, second] = acks[0]!.data.version === 2 ? [a, b] : [b, a];

    // The merged sender also gets the merged content, with its ref, before its ack.
    const ownMergeAt = second.client.received.findIndex((m) => m.type === 'document_updated' && m.data.version === 3);
    const ownAckAt = second.client.received.findIndex((m) => m.type === 'update_ack');
    expect(ownMergeAt).toBeGreaterThanOrEqual(0);
    expect(ownMergeAt).toBeLessThan(ownAckAt);
    const ownMerge = second.client.received[ownMergeAt]!;
    expect(ownMerge.data.content).toBe(merged);
    expect(ownMerge.ref).toBe(second === a ? 'a' : 'b');
    // The other one is told about both versions; the last is the merge.
    expect((await first.client.next((m) => m.type === 'document_updated' && m.data.version === 3)).data.content).toBe(merged);
    expect(await currentContent(documentId)).toEqual({ content: merged, version: 3 });

    // `join` re-sends the state, echoing ref.
    a.client.send({ type: 'join', ref: 'j' });
    expect(await a.client.next((m) => m.type === 'document_state' && m.ref === 'j')).toMatchObject({ data: { content: merged, version: 3 } });
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it('answers an unmergeable stale update with conflict and the current document_state, storing nothing', async () => {
    const documentId = await createAlicesDocument(THREE_PARAGRAPHS);
    const a = await open(documentId, alice);
    const b = await open(documentId, bob);
    a.client.send({ type: 'update', data: { content: 'Alice rewrote the first.\n\nSecond paragraph.\n\nThird paragraph.', version: 1 } });
    await a.client.next('update_ack');
    await b.client.next('document_updated');

    b.client.send({ type: 'update', data: { content: 'Bob rewrote the first.\n\nSecond paragraph.\n\nThird paragraph.', version: 1 }, ref: 'c1' });
    const error = await b.client.next('error');
    expect(error).toMatchObject({ code: 'conflict', ref: 'c1' });
    const state = await b.client.next('document_state');
    expect(state).toMatchObject({ ref: 'c1', data: { version: 2, content: 'Alice rewrote the first.\n\nSecond paragraph.\n\nThird paragraph.' } });
    await a.client.roundTrip();
    expect(a.client.all('document_updated')).toEqual([]);
    const versions = await call('GET', `/api/documents/${documentId}/versions`, bob.token);
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    await Promise.all([a.client.close(), b.client.close()]);
  });

  it('refuses a base version newer than the current one and content over the size limit', async () => {
    const documentId = await createAlicesDocument('Short');
    const a = await open(documentId, alice);
    a.client.send({ type: 'update', data: { content: 'From the future', version: 7 }, ref: 'f' });
    expect(await a.client.next('error')).toMatchObject({ code: 'invalid_payload', ref: 'f' });
    expect(await a.client.next('document_state')).toMatchObject({ data: { version: 1, content: 'Short' } });

    a.client.send({ type: 'update', data: { content: 'x', version: 0 }, ref: 'z' });
    expect(await a.client.next('error')).toMatchObject({ code: 'invalid_payload', ref: 'z' });
    a.client.send({ type: 'update', data: { content: 42, version: 1 } });
    expect(await a.client.next('error')).toMatchObject({ code: 'invalid_payload' });

    // 63 KiB of content is the limit with 64 KiB frames; one byte more is too large.
    a.client.send({ type: 'update', data: { content: 'y'.repeat(63 * 1024 + 1), version: 1 }, ref: 'big' });
    expect(await a.client.next('error')).toMatchObject({ code: 'too_large', ref: 'big' });
    a.client.send({ type: 'update', data: { content: 'y'.repeat(63 * 1024), version: 1 }, ref: 'max' });
    expect(await a.client.next('update_ack')).toMatchObject({ data: { version: 2 }, ref: 'max' });
    expect((await currentContent(documentId)).content).toHaveLength(63 * 1024);
    await a.client.close();
  });

  it('keeps a history row per saved version, readable through REST', async () => {
    const documentId = await createAlicesDocument('v1');
    const a = await open(documentId, alice);
    for (let version = 1; version <= 3; version++) {
      a.client.send({ type: 'update', data: { content: `v${version + 1}`, version } });
      expect(await a.client.next('update_ack')).toMatchObject({ data: { version: version + 1 } });
    }
    const list = await call('GET', `/api/documents/${documentId}/versions`, bob.token);
    expect(list.status).toBe(200);
    expect(list.body.has_more).toBe(false);
    expect(list.body.versions.map((v: { version: number; user_id: string }) => [v.version, v.user_id])).toEqual([
      [4, alice.id],
      [3, alice.id],
      [2, alice.id],
      [1, alice.id],
    ]);
    const page = await call('GET', `/api/documents/${documentId}/versions?limit=2&before_version=4`, bob.token);
    expect(page.body).toMatchObject({ has_more: true, versions: [{ version: 3 }, { version: 2 }] });
    for (let version = 1; version <= 4; version++) {
      const row = await call('GET', `/api/documents/${documentId}/versions/${version}`, bob.token);
      expect(row.body).toMatchObject({ version, content: `v${version}`, user_id: alice.id });
    }
    expect((await call('GET', `/api/documents/${documentId}/versions/5`, bob.token)).status).toBe(404);
    await a.client.close();
  });

  it('closes 4003 for non-members, unknown documents and ids that are not UUIDs', async () => {
    const documentId = await createAlicesDocument('Secret plans');
    for (const path of [`/ws/documents/${documentId}/`, `/ws/documents/${documentId}/yjs`]) {
      expect(await closeOf(server.wsUrl(path, carol.token))).toEqual({ code: 4003, reason: 'Forbidden' });
    }
    for (const id of [randomUUID(), 'not-a-uuid', "1' or '1'='1"]) {
      expect((await closeOf(server.wsUrl(`/ws/documents/${encodeURIComponent(id)}/`, alice.token))).code).toBe(4003);
    }
    expect((await closeOf(server.wsUrl(`/ws/documents/${documentId}/`))).code).toBe(4001);
  });

  it('sends cursors to the other users only, never stored, and refuses oversized positions', async () => {
    const documentId = await createAlicesDocument('Cursor test');
    const a = await open(documentId, alice);
    const aliceSecondTab = await open(documentId, alice);
    const b = await open(documentId, bob);
    a.client.send({ type: 'cursor', data: { position: { line: 1, ch: 4 } } });
    expect(await b.client.next('cursor_moved')).toMatchObject({ data: { user_id: alice.id, user_name: 'Alice', position: { line: 1, ch: 4 } } });
    await a.client.roundTrip();
    await aliceSecondTab.client.roundTrip();
    expect(a.client.all('cursor_moved')).toEqual([]);
    expect(aliceSecondTab.client.all('cursor_moved')).toEqual([]);

    b.client.send({ type: 'cursor', position: 17 });
    expect((await a.client.next('cursor_moved')).data).toEqual({ user_id: bob.id, user_name: 'Bob', position: 17 });
    b.client.send({ type: 'cursor', data: { position: 'x'.repeat(1100) }, ref: 'big' });
    expect(await b.client.next('error')).toMatchObject({ code: 'invalid_payload', ref: 'big' });
    expect((await currentContent(documentId)).version).toBe(1);
    await Promise.all([a.client.close(), aliceSecondTab.client.close(), b.client.close()]);
  });

  it('leave sends user_left then closes 1000; a user with two tabs leaves when the last one goes', async () => {
    const documentId = await createAlicesDocument('Presence');
    const a1 = await open(documentId, alice);
    const a2 = await open(documentId, alice);
    const b = await open(documentId, bob);
    expect(b.state.data.users).toHaveLength(2);

    await a1.client.close();
    await b.client.roundTrip();
    expect(b.client.all('user_left')).toEqual([]);

    a2.client.send({ type: 'leave', ref: 'bye' });
    expect(await a2.client.next('user_left')).toMatchObject({ data: { user_id: alice.id }, ref: 'bye' });
    expect(await a2.client.closed).toEqual({ code: 1000, reason: 'Left' });
    expect(await b.client.next('user_left')).toMatchObject({ data: { user_id: alice.id } });
    // The first tab's close is handled asynchronously, so the round trip above cannot
    // rule out a late wrong user_left: count them once the real one has arrived.
    await b.client.roundTrip();
    expect(b.client.all('user_left')).toHaveLength(1);

    b.client.send({ type: 'join' });
    expect((await b.client.next('document_state')).data.users).toEqual([{ user_id: bob.id, user_name: 'Bob' }]);
    const c = await open(documentId, alice);
    await b.client.next((m) => m.type === 'user_joined' && m.data.user_id === alice.id);
    await c.client.close();
    expect(await b.client.next('user_left')).toMatchObject({ data: { user_id: alice.id } });
    await b.client.close();
  });

  it('REST: members create and read documents; everyone else gets 404, anonymous callers 401', async () => {
    const created = await call('POST', `/api/workspaces/${workspaceId}/documents`, bob.token, { title: '  Roadmap ', content: 'Q1' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ workspace_id: workspaceId, title: 'Roadmap', content: 'Q1', version: 1, created_by: bob.id });
    const documentId = created.body.id;

    const read = await call('GET', `/api/documents/${documentId}`, alice.token);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    for (const path of [`/api/documents/${documentId}`, `/api/documents/${documentId}/versions`, `/api/documents/${documentId}/versions/1`]) {
      const hidden = await call('GET', path, carol.token);
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.code).toBe('not_found');
      expect((await call('GET', path)).status).toBe(401);
    }
    expect((await call('GET', `/api/documents/${randomUUID()}`, alice.token)).status).toBe(404);
    expect((await call('GET', '/api/documents/not-a-uuid', alice.token)).status).toBe(404);
    expect((await call('POST', `/api/workspaces/${workspaceId}/documents`, carol.token, { title: 'Mine', content: '' })).status).toBe(404);
    expect((await call('POST', `/api/workspaces/${workspaceId}/documents`, undefined, { title: 'Anon', content: '' })).status).toBe(401);
    const invalid = await call('POST', `/api/workspaces/${workspaceId}/documents`, alice.token, { title: '   ', content: '' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('invalid_payload');
    const big = await call('POST', `/api/workspaces/${workspaceId}/documents`, alice.token, { title: 'Big', content: 'z'.repeat(63 * 1024 + 1) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('too_large');
  });

  it('store: of two writes on the same version exactly one wins, and the loser wrote nothing', async () => {
    const store = new Store(url);
    try {
      const document = await store.documents.create({ workspaceId, title: 'CAS', content: 'base', userId: alice.id });
      const results = await Promise.all([
        store.documents.saveIfVersion(document.id, 1, 'from alice', alice.id),
        store.documents.saveIfVersion(document.id, 1, 'from bob', bob.id),
      ]);
      expect(results.filter((version) => version === 2)).toHaveLength(1);
      expect(results.filter((version) => version === undefined)).toHaveLength(1);
      const winner = results[0] === 2 ? 'from alice' : 'from bob';
      expect(await store.documents.find(document.id)).toMatchObject({ content: winner, version: 2 });
      expect(await store.documents.contentAt(document.id, 1)).toBe('base');
      expect(await store.documents.contentAt(document.id, 2)).toBe(winner);
      expect((await store.documents.versions(document.id, { limit: 10 })).versions.map((v) => v.version)).toEqual([2, 1]);
      // A save that insists on "no Yjs state" fails once one was stored.
      expect(await store.documents.initYjsState(document.id, 2, 'AAA=')).toBe(true);
      expect(await store.documents.initYjsState(document.id, 2, 'AAA=')).toBe(false);
      expect(await store.documents.saveIfVersion(document.id, 2, 'x', alice.id, { yjsState: null })).toBeUndefined();
      expect(await store.documents.find('not-a-uuid')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('two instances on one database: racing stale updates both survive through compare-and-set', async () => {
    const other = await startServer({ databaseUrl: url });
    try {
      const documentId = await createAlicesDocument(THREE_PARAGRAPHS);
      // Each instance has its own lock and no shared channel layer: only the store's
      // compare-and-set keeps the two writers from overwriting each other.
      const a = new Editor(await open(documentId, alice));
      const b = new Editor(await open(documentId, bob, other));
      const rounds = 5;
      for (let round = 1; round <= rounds; round++) {
        await Promise.all([
          a.edit((text) => text.replace(/^First[^\n]*/, `First paragraph, alice ${round}.`)),
          b.edit((text) => text.replace(/Third[^\n]*$/, `Third paragraph, bob ${round}.`)),
        ]);
      }
      const final = await currentContent(documentId);
      expect(final.content).toBe(`First paragraph, alice ${rounds}.\n\nSecond paragraph.\n\nThird paragraph, bob ${rounds}.`);
      expect(final.version).toBe(1 + 2 * rounds);
      const versions = await call('GET', `/api/documents/${documentId}/versions?limit=100`, alice.token);
      expect(versions.body.versions).toHaveLength(1 + 2 * rounds);
      await Promise.all([a.client.close(), b.client.close()]);
    } finally {
      await other.stop();
    }
  });
});

/** A JSON client that edits the text it last saw, like an editor would. */
class Editor {
  readonly client: TestClient;
  private content: string;
  private version: number;
  private edits = 0;

  constructor(opened: { client: TestClient; state: Message }) {
    this.client = opened.client;
    this.content = opened.state.data.content;
    this.version = opened.state.data.version;
  }

  async edit(change: (text: string) => string): Promise<void> {
    const ref = `edit-${++this.edits}`;
    const content = change(this.content);
    this.client.send({ type: 'update', data: { content, version: this.version }, ref });
    const ack = await this.client.next((m) => m.type === 'update_ack' && m.ref === ref);
    // A merged edit is answered with the merged text first.
    const merged = this.client.received.find((m) => m.type === 'document_updated' && m.ref === ref);
    this.content = merged ? merged.data.content : content;
    this.version = ack.data.version;
  }
}
