/**
 * `/ws/documents/<uuid>/yjs` (PROTOCOL.md §2) against SQLite and PostgreSQL, driven by
 * the stock y-websocket WebsocketProvider (run in Node with `ws`) next to seed-protocol
 * JSON clients: sync, concurrent edits from both protocols converging, minimal
 * splices, awareness, limits, and the text surviving a server restart.
 * Everything awaits events (provider `sync`, Y.Text `observe`, messages); nothing sleeps.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { MemoryChannelLayer } from '../src/layer/memory.js';
import { MemoryPresence } from '../src/presence/memory.js';
import { Store } from '../src/store/store.js';
import { textBecomes } from './support/yjs.js';
import { TestClient, type Message } from './support/client.js';
import { DIALECTS, databaseUrl } from './support/databases.js';
import { tokenUser, type TestUser } from './support/http.js';
import { startServer, type TestServer } from './support/server.js';

const WAIT_MS = 5000;

/** Every provider a test created, destroyed after it (they run reconnect timers). */
const providers = new Set<WebsocketProvider>();

afterEach(() => {
  for (const provider of providers) provider.destroy();
  providers.clear();
});

interface YjsPeer {
  doc: Y.Doc;
  text: Y.Text;
  provider: WebsocketProvider;
}

/** A stock WebsocketProvider on the document's Yjs endpoint; resolves once synced. */
async function connectYjs(server: TestServer, documentId: string, token: string): Promise<YjsPeer> {
  const doc = new Y.Doc();
  // serverUrl + '/' + roomname is the endpoint: /ws/documents/<id> + /yjs
  const provider = new WebsocketProvider(server.wsUrl(`/ws/documents/${documentId}`), 'yjs', doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    // Same-process providers would otherwise sync through BroadcastChannel, not the server.
    disableBc: true,
  });
  providers.add(provider);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('provider did not sync')), WAIT_MS);
    provider.on('sync', (synced: boolean) => {
      if (!synced) return;
      clearTimeout(timer);
      resolve();
    });
  });
  return { doc, text: doc.getText('content'), provider };
}


/** A raw WebSocket on the Yjs endpoint, for what a well-behaved provider never sends. */
async function rawYjs(server: TestServer, documentId: string, token: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(server.wsUrl(`/ws/documents/${documentId}/yjs`, token));
  ws.on('error', () => {});
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  // The server greets with its state vector once the connection is set up (listen
  // before open: the greeting can arrive in the same read as the handshake).
  await new Promise<void>((resolve, reject) => {
    ws.once('message', () => resolve());
    ws.once('close', () => reject(new Error('closed before the greeting')));
  });
  return { ws, closed };
}

function syncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // sync
  encoding.writeVarUint(encoder, 2); // update
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

describe.each(DIALECTS)('documents over Yjs on %s', (dialect) => {
  let url: string;
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let workspaceId: string;

  beforeAll(async () => {
    url = await databaseUrl(dialect);
    server = await startServer({ databaseUrl: url });
    alice = await tokenUser(server, 'Alice');
    bob = await tokenUser(server, 'Bob');
    workspaceId = (await server.server.store.workspaces.create('Acme', alice.id)).id;
    await server.server.store.workspaces.addMember(workspaceId, bob.id);
  });
  afterAll(() => server.stop());

  async function createDocument(content: string): Promise<string> {
    return (await server.server.store.documents.create({ workspaceId, title: 'Doc', content, userId: alice.id })).id;
  }

  async function openJson(target: TestServer, documentId: string, who: TestUser): Promise<{ client: TestClient; state: Message }> {
    const client = await TestClient.connect(target.wsUrl(`/ws/documents/${documentId}/`, who.token));
    const state = await client.next('document_state');
    return { client, state };
  }

  it('a WebsocketProvider and a seed client edit concurrently, converge, and the text survives a restart', async () => {
    const documentId = await createDocument('Alpha\n\nBeta\n\nGamma');
    const json = await openJson(server, documentId, alice);
    expect(json.state.data).toMatchObject({ content: 'Alpha\n\nBeta\n\nGamma', version: 1 });

    const yjs = await connectYjs(server, documentId, bob.token);
    expect(yjs.text.toString()).toBe('Alpha\n\nBeta\n\nGamma');
    // A Yjs user is present on the document like any other.
    expect(await json.client.next((m) => m.type === 'user_joined' && m.data.user_id === bob.id)).toMatchObject({ data: { user_name: 'Bob' } });

    // Concurrently: a Yjs edit at the start, a seed `update` (based on version 1) at the end.
    const expected = 'Yjs: Alpha\n\nBeta\n\nGamma (json)';
    yjs.text.insert(0, 'Yjs: ');
    json.client.send({ type: 'update', data: { content: 'Alpha\n\nBeta\n\nGamma (json)', version: 1 }, ref: 'j1' });

    await textBecomes(yjs.text, expected, WAIT_MS);
    const converged = await json.client.next((m) => m.type === 'document_updated' && m.data.content === expected);
    expect(converged.data.version).toBeGreaterThanOrEqual(3);
    expect(json.client.received.filter((m) => m.type === 'update_ack' && m.ref === 'j1')).toHaveLength(1);
    expect(await server.server.store.documents.find(documentId)).toMatchObject({ content: expected, version: converged.data.version });

    // An edit the server has applied (a second client saw it) but not stored yet: the
    // stop must store it.
    const watcher = await connectYjs(server, documentId, alice.token);
    yjs.text.insert(yjs.text.length, '!');
    await textBecomes(watcher.text, `${expected}!`, WAIT_MS);
    const disconnected = new Promise<void>((resolve) => yjs.provider.once('connection-close', () => resolve()));
    const port = server.port;
    await server.stop();
    await disconnected;
    const store = new Store(url);
    try {
      expect(await store.documents.find(documentId)).toMatchObject({ content: `${expected}!` });
    } finally {
      await store.close();
    }

    // Offline edit, then a new server on the same database and port: the provider
    // reconnects with its own Y.Doc, which shares the stored Yjs history, so the text
    // merges without doubling and the offline edit is stored and reaches JSON clients.
    yjs.text.insert(0, 'Offline ');
    const final = `Offline ${expected}!`;
    const resynced = new Promise<void>((resolve) => yjs.provider.on('sync', (synced: boolean) => synced && resolve()));
    server = await startServer({ databaseUrl: url, port });
    alice.token = await server.token(alice.id, { name: alice.name });
    bob.token = await server.token(bob.id, { name: bob.name });
    await resynced;
    expect(yjs.text.toString()).toBe(final);
    const reloaded = await openJson(server, documentId, alice);
    if (reloaded.state.data.content !== final) {
      await reloaded.client.next((m) => m.type === 'document_updated' && m.data.content === final);
    }
    const fresh = await connectYjs(server, documentId, bob.token);
    expect(fresh.text.toString()).toBe(final);
    const stored = (await server.server.store.documents.find(documentId))!;
    expect(stored.content).toBe(final);
    // Every stored version has its history row.
    const history = await server.server.store.documents.versions(documentId, { limit: 100 });
    expect(history.versions.map((v) => v.version)).toEqual(Array.from({ length: stored.version }, (_, i) => stored.version - i));
    await reloaded.client.close();
  });

  it('sends a JSON update to Yjs clients as one minimal splice, and a Yjs edit to JSON clients as document_updated', async () => {
    const documentId = await createDocument('Hello world');
    const json = await openJson(server, documentId, alice);
    const yjs = await connectYjs(server, documentId, bob.token);

    const delta = new Promise<unknown>((resolve) => yjs.text.observe((event) => resolve(event.delta)));
    json.client.send({ type: 'update', data: { content: 'Hello brave world', version: 1 } });
    expect(await delta).toEqual([{ retain: 6 }, { insert: 'brave ' }]);
    expect(yjs.text.toString()).toBe('Hello brave world');

    yjs.text.delete(0, 'Hello '.length);
    const updated = await json.client.next('document_updated');
    expect(updated.data).toEqual({ content: 'brave world', version: 3, user_id: bob.id });

    // The JSON client edits on top of what the Yjs client wrote; it arrives as a splice again.
    const second = new Promise<unknown>((resolve) => yjs.text.observe((event) => resolve(event.delta)));
    json.client.send({ type: 'update', data: { content: 'brave new world', version: 3 } });
    expect(await second).toEqual([{ retain: 6 }, { insert: 'new ' }]);
    await json.client.close();
  });

  it('two instances sharing one channel layer: edits from either protocol cross instances and converge', async () => {
    // One in-process layer and presence shared by two servers stand in for Redis.
    const layer = new MemoryChannelLayer();
    const presence = new MemoryPresence();
    const one = await startServer({ databaseUrl: url }, { layer, presence });
    const two = await startServer({ databaseUrl: url }, { layer, presence });
    try {
      const documentId = await createDocument('Start');
      const jsonOne = await openJson(one, documentId, alice);
      const jsonTwo = await openJson(two, documentId, bob);
      const yjsOne = await connectYjs(one, documentId, alice.token);
      const yjsTwo = await connectYjs(two, documentId, bob.token);

      yjsOne.text.insert(5, ' one');
      await textBecomes(yjsTwo.text, 'Start one', WAIT_MS);
      const stored = await jsonTwo.client.next((m) => m.type === 'document_updated' && m.data.content === 'Start one');
      expect(stored.data.user_id).toBe(alice.id);

      jsonTwo.client.send({ type: 'update', data: { content: 'Start one, two', version: stored.data.version } });
      await textBecomes(yjsOne.text, 'Start one, two', WAIT_MS);
      await textBecomes(yjsTwo.text, 'Start one, two', WAIT_MS);
      expect(await jsonOne.client.next((m) => m.type === 'document_updated' && m.data.content === 'Start one, two')).toMatchObject({
        data: { user_id: bob.id, version: stored.data.version + 1 },
      });

      // Presence is shared too: each JSON client sees both users.
      jsonOne.client.send({ type: 'join', ref: 'who' });
      const users = (await jsonOne.client.next((m) => m.type === 'document_state' && m.ref === 'who')).data.users;
      expect(users.map((u: { user_id: string }) => u.user_id).sort()).toEqual([alice.id, bob.id].sort());
      await Promise.all([jsonOne.client.close(), jsonTwo.client.close()]);
    } finally {
      for (const provider of providers) provider.destroy();
      providers.clear();
      await two.stop();
      await one.stop();
    }
  });

  it('relays updates and awareness between Yjs clients and removes the awareness of a client that left', async () => {
    const documentId = await createDocument('');
    const first = await connectYjs(server, documentId, alice.token);
    const second = await connectYjs(server, documentId, bob.token);

    first.text.insert(0, 'typed by alice');
    await textBecomes(second.text, 'typed by alice', WAIT_MS);

    first.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if ((second.provider.awareness.getStates().get(first.doc.clientID) as any)?.user?.name === 'Alice') resolve();
      };
      second.provider.awareness.on('change', check);
      check();
    });

    // A raw client announces an awareness state, then vanishes without removing it:
    // the server removes it for everyone.
    const raw = await rawYjs(server, documentId, alice.token);
    const ghost = new awarenessProtocol.Awareness(new Y.Doc());
    try {
      ghost.setLocalState({ user: { name: 'Ghost' } });
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 1); // awareness
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(ghost, [ghost.clientID]));
      const seen = new Promise<void>((resolve) => {
        const check = (): void => {
          if (second.provider.awareness.getStates().has(ghost.clientID)) {
            second.provider.awareness.off('change', check);
            resolve();
          }
        };
        second.provider.awareness.on('change', check);
      });
      // The sender hears its own change back (y-websocket clients that hear nothing for 30 s reconnect).
      const echoed = new Promise<void>((resolve) => {
        raw.ws.on('message', (data: Buffer) => {
          const decoder = decoding.createDecoder(new Uint8Array(data));
          if (decoding.readVarUint(decoder) !== 1) return;
          const update = decoding.readVarUint8Array(decoder);
          const states = new awarenessProtocol.Awareness(new Y.Doc());
          awarenessProtocol.applyAwarenessUpdate(states, update, 'server');
          if (states.getStates().has(ghost.clientID)) resolve();
          states.destroy();
        });
      });
      raw.ws.send(encoding.toUint8Array(encoder));
      await Promise.all([seen, echoed]);
      const gone = new Promise<void>((resolve) => {
        const check = (): void => {
          if (!second.provider.awareness.getStates().has(ghost.clientID)) resolve();
        };
        second.provider.awareness.on('change', check);
      });
      raw.ws.terminate();
      await gone;
    } finally {
      ghost.destroy();
    }
  });

  it('merges content written around Yjs instead of overwriting it, while live and on load', async () => {
    const documentId = await createDocument('before');
    const documents = server.server.store.documents;
    const first = await startServer({ databaseUrl: url });
    try {
      const yjs = await connectYjs(first, documentId, alice.token);
      const json = await openJson(first, documentId, alice);
      yjs.text.insert(0, 'yjs ');
      const stored = await json.client.next((m) => m.type === 'document_updated' && m.data.content === 'yjs before');
      // A writer that does not speak Yjs (another tool on the same database) changes the content only.
      expect(await documents.saveIfVersion(documentId, stored.data.version, 'rewritten elsewhere', alice.id)).toBe(stored.data.version + 1);
      // The next Yjs edit is stored on top of that write, not over it, and every client gets the result.
      yjs.text.insert(yjs.text.length, ' +yjs');
      await json.client.next((m) => m.type === 'document_updated' && m.data.content === 'rewritten elsewhere +yjs');
      await textBecomes(yjs.text, 'rewritten elsewhere +yjs', WAIT_MS);
    } finally {
      for (const provider of providers) provider.destroy();
      providers.clear();
      await first.stop();
    }
    // With no replica open, a write around Yjs is adopted when the document is loaded again.
    const current = (await documents.find(documentId))!;
    expect(current.content).toBe('rewritten elsewhere +yjs');
    const version = await documents.saveIfVersion(documentId, current.version, 'second rewrite', alice.id);
    const yjs = await connectYjs(server, documentId, bob.token);
    expect(yjs.text.toString()).toBe('second rewrite');
    expect(await documents.find(documentId)).toMatchObject({ content: 'second rewrite', version: version! + 1 });
  });

  it('closes 1009 for an update that would take the document past its size limit, keeping the document', async () => {
    const documentId = await createDocument('x'.repeat(10 * 1024));
    const raw = await rawYjs(server, documentId, bob.token);
    const local = new Y.Doc();
    local.getText('content').insert(0, 'y'.repeat(60 * 1024));
    raw.ws.send(syncUpdate(Y.encodeStateAsUpdate(local)));
    expect(await raw.closed).toBe(1009);
    local.destroy();
    const json = await openJson(server, documentId, alice);
    expect(json.state.data.content).toBe('x'.repeat(10 * 1024));
    const yjs = await connectYjs(server, documentId, alice.token);
    expect(yjs.text.toString()).toBe('x'.repeat(10 * 1024));
    await json.client.close();
  });

  it('admits an update that fits by its exact UTF-8 size though 3 bytes per character would not', async () => {
    // 20 KiB + 20 KiB of ASCII fits; counted at 3 bytes per UTF-16 unit it would be 80 KiB.
    const documentId = await createDocument('x'.repeat(20 * 1024));
    const yjs = await connectYjs(server, documentId, alice.token);
    const grown = new Promise<void>((resolve) => yjs.text.observe(() => yjs.text.length === 40 * 1024 && resolve()));
    const raw = await rawYjs(server, documentId, bob.token);
    const local = new Y.Doc();
    local.getText('content').insert(0, 'y'.repeat(20 * 1024));
    raw.ws.send(syncUpdate(Y.encodeStateAsUpdate(local)));
    const outcome = await Promise.race([grown.then(() => 'applied'), raw.closed.then((code) => `closed ${code}`)]);
    local.destroy();
    expect(outcome).toBe('applied');
    raw.ws.close();
  });

  it('counts undecodable binary frames as malformed and closes 4002 past the limit', async () => {
    const documentId = await createDocument('safe');
    const raw = await rawYjs(server, documentId, bob.token);
    for (let i = 0; i < 11; i++) raw.ws.send(Uint8Array.from([0, 0xff, 0xff, 0xff]));
    expect(await raw.closed).toBe(4002);
    // Nothing reached the document; the server still serves it.
    const yjs = await connectYjs(server, documentId, bob.token);
    expect(yjs.text.toString()).toBe('safe');
  });

  it('answers a Yjs client with the server state vector first (sync step 1)', async () => {
    const documentId = await createDocument('vector');
    const ws = new WebSocket(server.wsUrl(`/ws/documents/${documentId}/yjs`, bob.token));
    ws.on('error', () => {});
    const first = await new Promise<Buffer>((resolve) => ws.once('message', (data: Buffer) => resolve(data)));
    const decoder = decoding.createDecoder(new Uint8Array(first));
    expect(decoding.readVarUint(decoder)).toBe(0); // sync
    expect(decoding.readVarUint(decoder)).toBe(0); // step 1
    expect(decoding.readVarUint8Array(decoder).length).toBeGreaterThan(0);
    ws.close();
  });
});
