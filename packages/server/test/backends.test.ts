/** createBackends: memory without Redis; Redis or Redis Cluster layer + presence sharing one connection. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackends, MemoryChannelLayer, RedisChannelLayer } from '../src/layer/index.js';
import { MemoryPresence, RedisPresence } from '../src/presence/index.js';
import { FakeMember, frame, text } from './support/members.js';
import { freePort } from './support/ports.js';
import { startRedis, startRedisCluster, type RedisCluster, type RedisServer } from './support/redis.js';

describe('createBackends', () => {
  let server: RedisServer;
  let cluster: RedisCluster;
  beforeAll(async () => {
    [server, cluster] = await Promise.all([startRedis(), startRedisCluster()]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), cluster?.stop()]);
  });

  it('falls back to memory when no Redis is configured', async () => {
    const backends = await createBackends({ instanceId: 'solo' });
    expect(backends.kind).toBe('memory');
    expect(backends.layer).toBeInstanceOf(MemoryChannelLayer);
    expect(backends.presence).toBeInstanceOf(MemoryPresence);
    expect(await backends.layer.status()).toBe('ok');
    await backends.close();
  });

  it.each([
    { kind: 'redis' as const, options: () => ({ redisUrl: server.url }) },
    { kind: 'redis-cluster' as const, options: () => ({ clusterNodes: cluster.urls }) },
    { kind: 'redis-cluster' as const, options: () => ({ redisUrl: cluster.urls[1], redisCluster: true }) },
  ])('builds $kind backends whose instances share fan-out and presence', async ({ kind, options }) => {
    const [east, west] = await Promise.all([
      createBackends({ ...options(), instanceId: 'east', keyPrefix: 'sbf:' }),
      createBackends({ ...options(), instanceId: 'west', keyPrefix: 'sbf:' }),
    ]);
    try {
      expect(east.kind).toBe(kind);
      expect(east.layer).toBeInstanceOf(RedisChannelLayer);
      expect(east.presence).toBeInstanceOf(RedisPresence);
      expect(await east.layer.status()).toBe('ok');

      const group = `room:${randomUUID()}`;
      const member = new FakeMember('u1');
      await west.layer.groupAdd(group, member);
      await east.layer.sendToUser('nobody', frame('ignored'));
      await east.layer.groupSend(group, frame('hello west'));
      expect(text(await member.next())).toBe('hello west');

      const topic = `room:${randomUUID()}`;
      expect(await east.presence.join(topic, { userId: 'u1', userName: 'One' }, 1)).toEqual({ changed: true });
      expect(await west.presence.join(topic, { userId: 'u1', userName: 'One' }, 1)).toEqual({ changed: false });
      expect(await west.presence.connectionCount(topic)).toBe(2);

      // Closing an instance removes its presence entries and stops its fan-out.
      await east.close();
      expect(await west.presence.connectionCount(topic)).toBe(1);
      expect(await east.layer.status()).toBe('down');
      await expect(east.layer.groupSend(group, frame('after close'))).rejects.toThrow();
    } finally {
      await Promise.all([east.close(), west.close()]);
    }
  });

  it('fails fast with a clear error when Redis does not answer', async () => {
    const port = await freePort();
    const started = Date.now();
    await expect(createBackends({ redisUrl: `redis://127.0.0.1:${port}`, redisConnectTimeoutMs: 500 })).rejects.toThrow(
      /Redis did not answer within 500 ms/,
    );
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
