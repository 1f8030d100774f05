/**
 * Seed 001's own JavaScript `WSClient`, copied from the seed note unchanged, works
 * against Switchboard's `/api/v1/ws` (frontends connect unchanged): connect with
 * `?token=`, the system welcome, joinRoom, sendMessage, and a clean disconnect.
 */
import { ROOMS_PATH } from '@switchboard/protocol';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TestClient } from '../../server/test/support/client.js';
import { startServer, type TestServer } from '../../server/test/support/server.js';
import { WSClient } from './fixtures/seed-001-ws-client.js';

type Data = Record<string, any>;

/** Collects what the seed client's single handler per type receives; `next()` awaits the next one. */
class Inbox {
  private readonly items: Data[] = [];
  private readonly waiting: Array<(data: Data) => void> = [];

  readonly push = (data: Data): void => {
    const waiter = this.waiting.shift();
    if (waiter) waiter(data);
    else this.items.push(data);
  };

  next(): Promise<Data> {
    const item = this.items.shift();
    if (item) return Promise.resolve(item);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for the seed client')), 5000);
      this.waiting.push((data) => {
        clearTimeout(timer);
        resolve(data);
      });
    });
  }
}

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
  // The seed client uses the browser's global WebSocket.
  vi.stubGlobal('WebSocket', WebSocket);
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterAll(async () => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  await server.stop();
});

describe('the seed-001 WSClient, unchanged', () => {
  it('connects, receives the welcome, joins a room, sends and receives messages, disconnects with 1000', async () => {
    const client = new WSClient(`ws://127.0.0.1:${server.port}${ROOMS_PATH}`, await server.token('alice'));
    const system = new Inbox();
    const messages = new Inbox();
    client.on('system', system.push);
    client.on('message', messages.push);
    client.connect();

    expect(await system.next()).toMatchObject({ type: 'system', message: 'Connected successfully', user_id: 'alice' });
    expect(console.log).toHaveBeenCalledWith('Connected');

    const bob = await TestClient.connect(server.wsUrl(ROOMS_PATH, await server.token('bob')));
    await bob.next('system');
    bob.send({ type: 'join_room', room: 'chat-general' });
    await bob.next((m) => m.message === 'bob joined');

    client.joinRoom('chat-general');
    expect(await system.next()).toMatchObject({ type: 'system', message: 'alice joined', room: 'chat-general' });
    expect((await bob.next((m) => m.message === 'alice joined')).members.sort()).toEqual(['alice', 'bob']);

    client.sendMessage('chat-general', 'Hello everyone!');
    expect(await messages.next()).toMatchObject({ type: 'message', from: 'alice', room: 'chat-general', text: 'Hello everyone!' });
    expect(await bob.next('message')).toMatchObject({ from: 'alice', text: 'Hello everyone!' });

    bob.send({ type: 'message', room: 'chat-general', text: 'Hi Alice' });
    expect(await messages.next()).toMatchObject({ from: 'bob', text: 'Hi Alice' });

    const left = bob.next((m) => m.message === 'alice left');
    client.disconnect();
    expect(await left).toMatchObject({ type: 'system', room: 'chat-general' });
    // A 1000 close does not start the seed's reconnect loop.
    expect(client.reconnectAttempts).toBe(0);
    await bob.close();
  });

  it('an invalid token is closed with 4001 after the upgrade, so the seed client sees the code', async () => {
    const client = new WSClient(`ws://127.0.0.1:${server.port}${ROOMS_PATH}`, 'not-a-jwt');
    client.maxReconnect = 0;
    client.connect();
    const code = await new Promise<number>((resolve) => {
      const seedOnClose = client.ws!.onclose!;
      client.ws!.onclose = (event) => {
        seedOnClose.call(client.ws!, event);
        resolve(event.code);
      };
    });
    expect(code).toBe(4001);
  });
});
