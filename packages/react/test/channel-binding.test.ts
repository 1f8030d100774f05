/**
 * The chat channel binding against the real server: its store stays gap-free across a
 * reconnect (the SDK backfills from the newest page the binding loaded), a release and
 * re-attach (the kept store seeds the new connection), and an attach to a connection
 * that stayed open meanwhile (the binding catches up itself).
 */
import { randomUUID } from 'node:crypto';
import { SwitchboardClient, type ChannelsEndpoint, type Connection } from '@switchboard/client';
import type { ChannelMessage } from '@switchboard/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Counter, Gate } from '../../client/test/support/recorder.js';
import { TestClient } from '../../server/test/support/client.js';
import { workspaceWithChannel } from '../../server/test/support/fixtures.js';
import { register } from '../../server/test/support/http.js';
import { startServer, type TestServer } from '../../server/test/support/server.js';
import { ChannelBinding } from '../src/bindings/channel.js';
import type { ChannelStore } from '../src/stores/channel-store.js';

const TIMEOUT_MS = 5000;

let server: TestServer;
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const contents = (store: ChannelStore): string[] => store.getSnapshot().messages.map((message) => message.content);

/** Resolves once the store's messages are exactly `expected` (checked on every change). */
function storeShows(store: ChannelStore, expected: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => JSON.stringify(contents(store)) === JSON.stringify(expected);
    if (check()) return resolve();
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`store shows ${JSON.stringify(contents(store))}, expected ${JSON.stringify(expected)}`));
    }, TIMEOUT_MS);
    const unsubscribe = store.subscribe(() => {
      if (!check()) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

describe('ChannelBinding', () => {
  it('keeps the store gap-free across a reconnect, a re-attach, and an attach to an open connection', async () => {
    const alice = await register(server, 'alice');
    const bob = await register(server, 'bob');
    const { channelId } = await workspaceWithChannel(server, alice, [bob]);
    const bobSocket = await TestClient.connect(server.wsUrl(`/ws/channels/${channelId}/`, bob.token));
    cleanups.push(() => bobSocket.close());
    await bobSocket.next('presence');
    const post = async (content: string): Promise<void> => {
      const ref = randomUUID();
      bobSocket.send({ type: 'message', content, ref });
      await bobSocket.next((m) => m.ref === ref);
    };

    // getToken can hold a reconnect while bob posts.
    let hold: Gate | undefined;
    const held = new Counter();
    const client = new SwitchboardClient({
      url: `ws://127.0.0.1:${server.port}`,
      WebSocket,
      reconnect: { baseMs: 20, maxMs: 200 },
      getToken: async () => {
        if (hold) {
          held.signal();
          await hold.opened;
        }
        return alice.token;
      },
    });
    cleanups.push(() => client.disconnectAll());
    const binding = new ChannelBinding(channelId, () => ({ id: alice.id, name: alice.name, isStaff: false }));

    await post('m1');
    let detach = binding.attach(client);
    await storeShows(binding.store, ['m1']);
    expect(binding.store.getSnapshot().loaded).toBe(true);

    // Dropped with no live message seen: the SDK backfills from the newest page loaded.
    const gate = (hold = new Gate());
    server.server.closeUserConnections(alice.id, 4009, 'Slow consumer');
    await held.reached(1);
    await post('m2');
    hold = undefined;
    gate.open();
    await storeShows(binding.store, ['m1', 'm2']);

    // Released (the connection closes), a message meanwhile, attached again: the kept store seeds the new connection.
    detach();
    await post('m3');
    detach = binding.attach(client);
    await storeShows(binding.store, ['m1', 'm2', 'm3']);

    // Another holder keeps the connection open while the binding is away; it delivers m4 to nobody in the store.
    const holder: Connection<ChannelsEndpoint> = client.channel(channelId);
    cleanups.push(() => holder.release());
    const delivered = new Promise<ChannelMessage>((resolve) => holder.on('message', (message) => resolve(message.data)));
    detach();
    await post('m4');
    expect((await delivered).content).toBe('m4');
    detach = binding.attach(client);
    cleanups.push(() => detach());
    await storeShows(binding.store, ['m1', 'm2', 'm3', 'm4']);
    expect(binding.store.getSnapshot().messages.map((message) => message.seq)).toEqual([1, 2, 3, 4]);
  });
});
