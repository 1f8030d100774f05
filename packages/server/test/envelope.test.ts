/**
 * The envelope every endpoint shares (PROTOCOL.md §1): parsing, payload merging,
 * `ref` echo, error codes and texts, forbidden keys, schema limits at their edges.
 * Errors never close the connection by themselves.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestClient } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;
let client: TestClient;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

// A fresh connection per test: most cases here are malformed, and 11 of them close 4002.
beforeEach(async () => {
  client = await TestClient.connect(server.wsUrl('/api/v1/ws', await server.token('envelope')));
  await client.next('system');
});
afterEach(() => client.close());

async function errorFor(message: unknown): Promise<Record<string, unknown>> {
  client.send(message);
  return client.next('error');
}

describe('errors', () => {
  it('invalid JSON', async () => {
    expect(await errorFor('{"type": "ping"')).toMatchObject({ code: 'invalid_json', message: 'Invalid JSON' });
  });

  it('JSON that is not an object', async () => {
    for (const value of ['[1,2]', '42', '"ping"', 'null']) {
      expect(await errorFor(value)).toMatchObject({ code: 'invalid_payload' });
    }
  });

  it('a missing or non-string type', async () => {
    expect(await errorFor({ room: 'x' })).toMatchObject({ code: 'invalid_payload', message: 'type must be a non-empty string' });
    expect(await errorFor({ type: 7 })).toMatchObject({ code: 'invalid_payload' });
  });

  it('an unknown type, with the seed text and the ref echoed', async () => {
    const error = await errorFor({ type: 'teleport', ref: 'abc' });
    expect(error).toMatchObject({ type: 'error', code: 'unknown_type', message: 'Unknown message type: teleport', ref: 'abc' });
    expect(typeof error.timestamp).toBe('string');
  });

  it('a type named like an Object.prototype member is unknown, not a crash', async () => {
    for (const type of ['toString', 'hasOwnProperty', '__proto__', 'constructor']) {
      expect(await errorFor({ type })).toMatchObject({ code: expect.stringMatching(/unknown_type|invalid_payload/) });
    }
  });

  it('prototype-pollution keys anywhere in the message', async () => {
    expect(await errorFor('{"type":"join_room","room":"r","__proto__":{"polluted":1}}')).toMatchObject({
      code: 'invalid_payload',
      message: 'Forbidden key: __proto__',
    });
    expect(await errorFor({ type: 'join_room', data: { room: 'r', nested: [{ constructor: { prototype: 1 } }] } })).toMatchObject({
      code: 'invalid_payload',
      message: 'Forbidden key: constructor',
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('forbidden keys spelled with JSON escapes, and nested deeper than any fixed limit', async () => {
    const escaped = '{"type":"message","\\u005f_proto__":{"room":"x","text":"injected"}}';
    expect(await errorFor(escaped)).toMatchObject({ code: 'invalid_payload', message: 'Forbidden key: __proto__' });
    let deep: unknown = { prototype: true };
    for (let i = 0; i < 500; i++) deep = { next: deep };
    expect(await errorFor({ type: 'join_room', room: 'r', deep })).toMatchObject({ message: 'Forbidden key: prototype' });
  });

  it('ref longer than 64 characters is refused; 64 is echoed', async () => {
    expect(await errorFor({ type: 'ping', ref: 'r'.repeat(65) })).toMatchObject({ code: 'invalid_payload' });
    client.send({ type: 'ping', ref: 'r'.repeat(64) });
    expect((await client.next('pong')).ref).toBe('r'.repeat(64));
  });

  it('a binary frame on a JSON endpoint', async () => {
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.next('error')).toMatchObject({ code: 'invalid_json' });
  });

  it('schema violations name the field', async () => {
    expect(await errorFor({ type: 'join_room' })).toMatchObject({ code: 'invalid_payload', message: 'room: is required' });
    expect(await errorFor({ type: 'join_room', room: 'bad room!' })).toMatchObject({ code: 'invalid_payload' });
    expect(await errorFor({ type: 'typing', room: 'r', is_typing: 'yes' })).toMatchObject({
      message: 'is_typing: must be true or false',
    });
  });

  it('errors do not close the connection', async () => {
    for (let i = 0; i < 5; i++) await errorFor({ type: 'teleport' });
    await errorFor({ type: 'join_room' });
    await client.roundTrip();
  });
});

describe('field limits at their edges', () => {
  it('room names: 100 characters pass, 101 fail', async () => {
    const room = 'a'.repeat(100);
    client.send({ type: 'join_room', room, ref: 'edge' });
    expect(await client.next((m) => m.ref === 'edge')).toMatchObject({ type: 'system', room });
    expect(await errorFor({ type: 'join_room', room: 'a'.repeat(101) })).toMatchObject({
      code: 'invalid_payload',
      message: 'room: must be at most 100 characters',
    });
  });

  it('chat text: 4000 characters pass, 4001 fail', async () => {
    client.send({ type: 'join_room', room: 'limits' });
    await client.next((m) => m.type === 'system' && m.room === 'limits');
    client.send({ type: 'message', room: 'limits', text: 'x'.repeat(4000) });
    expect((await client.next('message')).text).toHaveLength(4000);
    expect(await errorFor({ type: 'message', room: 'limits', text: 'x'.repeat(4001) })).toMatchObject({
      code: 'invalid_payload',
      message: 'text: must be at most 4000 characters',
    });
  });
});

describe('payload shape', () => {
  it('fields nested in data (seed 000 style) work like top-level fields (seed 001 style)', async () => {
    client.send({ type: 'join_room', data: { room: 'nested' }, ref: 'n1' });
    expect(await client.next((m) => m.ref === 'n1')).toMatchObject({ type: 'system', room: 'nested', message: 'envelope joined' });
    client.send({ type: 'message', data: { room: 'nested', text: 'from data' } });
    expect(await client.next('message')).toMatchObject({ room: 'nested', text: 'from data' });
  });

  it('the ref goes to the sender only; other members get the broadcast without it', async () => {
    const other = await TestClient.connect(server.wsUrl('/api/v1/ws', await server.token('other')));
    await other.next('system');
    other.send({ type: 'join_room', room: 'refs' });
    await other.next((m) => m.message === 'other joined');
    client.send({ type: 'join_room', room: 'refs' });
    await client.next((m) => m.message === 'envelope joined' && m.room === 'refs');
    client.send({ type: 'message', room: 'refs', text: 'hello', ref: 'mine' });
    expect(await client.next('message')).toMatchObject({ text: 'hello', ref: 'mine' });
    const seen = await other.next('message');
    expect(seen.text).toBe('hello');
    expect(seen).not.toHaveProperty('ref');
    await other.close();
  });

  it('handles messages in order', async () => {
    for (let i = 0; i < 20; i++) client.send({ type: 'ping', ref: `order-${i}` });
    const refs: string[] = [];
    for (let i = 0; i < 20; i++) refs.push((await client.next('pong')).ref as string);
    expect(refs).toEqual(Array.from({ length: 20 }, (_, i) => `order-${i}`));
  });
});

describe('/ws/health/', () => {
  it('is anonymous and reports on connect and on every interval', async () => {
    const quick = await startServer({ healthIntervalMs: 100 });
    try {
      const watcher = await TestClient.connect(quick.wsUrl('/ws/health/'));
      const first = await watcher.next('health');
      expect(first.data).toEqual({
        status: 'healthy',
        message: 'All systems operational',
        checks: { database: 'ok', channel_layer: 'ok' },
      });
      const second = await watcher.next('health');
      expect(second.timestamp >= first.timestamp).toBe(true);
      watcher.send({ type: 'ping' });
      await watcher.next('pong');
      await watcher.close();
    } finally {
      await quick.stop();
    }
  });
});
