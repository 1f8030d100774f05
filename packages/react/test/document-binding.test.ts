/**
 * The document binding against the real server: an update the server drops without a
 * reply that names it (over the rate limit) is recovered instead of leaving the store
 * "saving" until a reconnect, and cursor moves are throttled.
 */
import { SwitchboardClient, type WebSocketConstructor } from '@switchboard/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestClient } from '../../server/test/support/client.js';
import { createDocument, createWorkspace } from '../../server/test/support/fixtures.js';
import { register, request } from '../../server/test/support/http.js';
import { startServer, type TestServer } from '../../server/test/support/server.js';
import { DocumentBinding } from '../src/bindings/document.js';
import type { ExternalStore } from '../src/stores/store.js';

const TIMEOUT_MS = 5000;
/** Small enough that a burst of messages is refused, large enough that a retry gets through soon. */
const RATE = { rateLimitPerSecond: 10, rateLimitBurst: 5, rateLimitAbuseMs: 60_000 };

let server: TestServer;
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  server = await startServer(RATE);
});
afterAll(() => server.stop());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Frame = { type: string; [field: string]: unknown };

/** A `ws` WebSocket that records every frame the client writes. */
function recordingWebSocket(frames: Frame[]): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url);
      const send = this.send.bind(this);
      this.send = ((data: string) => {
        frames.push(JSON.parse(data) as Frame);
        send(data);
      }) as WebSocket['send'];
    }
  } as unknown as WebSocketConstructor;
}

/** Resolves once `accept(snapshot)` holds (checked on every change). */
function storeReaches<T>(store: ExternalStore<T>, accept: (snapshot: T) => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (accept(store.getSnapshot())) return resolve();
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`store never reached ${what}: ${JSON.stringify(store.getSnapshot())}`));
    }, TIMEOUT_MS);
    const unsubscribe = store.subscribe(() => {
      if (!accept(store.getSnapshot())) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

async function setUp(frames: Frame[]) {
  const alice = await register(server, 'alice');
  const bob = await register(server, 'bob');
  const workspaceId = await createWorkspace(server, alice, { members: [bob] });
  const documentId = await createDocument(server, alice, workspaceId, { content: 'hello' });
  const client = new SwitchboardClient({
    url: `ws://127.0.0.1:${server.port}`,
    WebSocket: recordingWebSocket(frames),
    token: alice.token,
    requestTimeoutMs: 300,
    heartbeat: false,
  });
  cleanups.push(() => client.disconnectAll());
  const binding = new DocumentBinding(documentId, alice.id);
  cleanups.push(binding.attach(client));
  await storeReaches(binding.store, (snapshot) => snapshot.loaded, 'loaded');
  // Confirmed, so what the test sends is written at once rather than queued.
  await storeReaches(binding.connectionStore, (snapshot) => snapshot.isConnected, 'connected');
  return { alice, bob, documentId, client, binding };
}

describe('DocumentBinding', () => {
  it('recovers an update the server dropped over the rate limit and saves it', async () => {
    const frames: Frame[] = [];
    const { alice, documentId, client, binding } = await setUp(frames);
    // Another holder of the same pooled socket spends its message budget.
    const shared = client.document(documentId);
    cleanups.push(() => shared.release());
    const limited = new Promise<void>((resolve) => {
      shared.on('error', (error) => {
        if (error.code === 'rate_limited') resolve();
      });
    });
    for (let i = 0; i < 30; i++) shared.send('cursor', { position: i });
    binding.edit('hello world');
    expect(binding.store.getSnapshot().saving).toBe(true);
    await limited;

    await storeReaches(binding.store, (snapshot) => !snapshot.saving && snapshot.version === 2, 'saved at version 2');
    expect(binding.store.getSnapshot().content).toBe('hello world');
    expect(binding.store.getSnapshot().rejected).toBeUndefined();
    // The first update was dropped: the binding asked for the state and sent it again.
    const types = frames.map((frame) => frame.type);
    expect(types.filter((type) => type === 'update')).toHaveLength(2);
    expect(types.indexOf('join')).toBeGreaterThan(types.indexOf('update'));
    const stored = await request(server, 'GET', `/api/documents/${documentId}`, { token: alice.token });
    expect(stored.body).toMatchObject({ content: 'hello world', version: 2 });
  });

  it('sends at most one cursor per interval, the latest position last', async () => {
    const frames: Frame[] = [];
    const { bob, documentId, binding } = await setUp(frames);
    const bobSocket = await TestClient.connect(server.wsUrl(`/ws/documents/${documentId}/`, bob.token));
    cleanups.push(() => bobSocket.close());
    await bobSocket.next('document_state');

    for (let index = 0; index < 50; index++) binding.moveCursor({ index });
    const last = await bobSocket.next((message) => message.type === 'cursor_moved' && message.data.position.index === 49);
    expect(last.data.user_name).toBe('Alice');
    const cursors = frames.filter((frame) => frame.type === 'cursor');
    expect(cursors.map((frame) => (frame.position as { index: number }).index)).toEqual([0, 49]);
  });
});
