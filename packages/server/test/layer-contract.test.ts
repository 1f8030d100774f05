/**
 * One ChannelLayer contract, run against every implementation: MemoryChannelLayer,
 * RedisChannelLayer on a standalone redis-server, and on a 3-master Redis Cluster
 * (sharded pub/sub). Cases marked distributed run two or three layer instances — as
 * separate servers would — on the same Redis. Members are real LayerMembers that record
 * frames; Redis is real.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createClient, createCluster } from '@redis/client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MemoryChannelLayer } from '../src/layer/memory.js';
import { groupChannel, RedisChannelLayer } from '../src/layer/redis.js';
import { RedisConnection, type RedisConnectionOptions } from '../src/layer/redis-connection.js';
import { userGroup, type ChannelLayer, type LayerStatus } from '../src/layer/types.js';
import { eventually } from './support/eventually.js';
import { FakeMember, frame, text } from './support/members.js';
import { startRedis, startRedisCluster, type RedisCluster, type RedisServer } from './support/redis.js';

const PREFIX = 'sbtest:';

interface LayerBackend {
  name: string;
  /** Instances share a bus: a send on one reaches members on the others. */
  distributed: boolean;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  /** One more layer instance, as another server would have. */
  instance(): Promise<ChannelLayer>;
  /** How many Redis subscriptions exist for the group's channel (distributed only). */
  subscribers(group: string): Promise<number>;
}

function memoryBackend(): LayerBackend {
  return {
    name: 'memory',
    distributed: false,
    setup: async () => {},
    teardown: async () => {},
    instance: async () => new MemoryChannelLayer(),
    subscribers: async () => 0,
  };
}

function redisBackend(): LayerBackend {
  let server: RedisServer;
  let admin: ReturnType<typeof createClient>;
  return {
    name: 'redis',
    distributed: true,
    setup: async () => {
      server = await startRedis();
      admin = createClient({ url: server.url });
      admin.on('error', () => {});
      await admin.connect();
    },
    teardown: async () => {
      admin?.destroy();
      await server?.stop();
    },
    instance: async () => RedisChannelLayer.create(await RedisConnection.connect({ url: server.url, reconnectMaxDelayMs: 200 }), { prefix: PREFIX }),
    subscribers: async (group) => {
      const channel = groupChannel(PREFIX, group);
      const reply = (await admin.sendCommand(['PUBSUB', 'NUMSUB', channel])) as [string, number];
      return Number(reply[1]);
    },
  };
}

function redisClusterBackend(): LayerBackend {
  let urls: string[];
  let stop: () => Promise<void>;
  let admin: ReturnType<typeof createCluster>;
  return {
    name: 'redis cluster',
    distributed: true,
    setup: async () => {
      ({ urls, stop } = await startRedisCluster());
      admin = createCluster({ rootNodes: urls.map((url) => ({ url })) });
      admin.on('error', () => {});
      await admin.connect();
    },
    teardown: async () => {
      admin?.destroy();
      await stop?.();
    },
    instance: async () => RedisChannelLayer.create(await RedisConnection.connect({ clusterNodes: urls }), { prefix: PREFIX }),
    subscribers: async (group) => {
      const channel = groupChannel(PREFIX, group);
      // Only the master owning the channel's slot has subscribers; sum them all rather than route.
      let total = 0;
      for (const master of admin.masters) {
        const reply = (await (await admin.nodeClient(master)).sendCommand(['PUBSUB', 'SHARDNUMSUB', channel])) as [string, number];
        total += Number(reply[1]);
      }
      return total;
    },
  };
}

/** Waits for a layer's health (no event announces it). */
function statusBecomes(layer: ChannelLayer, status: LayerStatus, timeoutMs = 5_000): Promise<LayerStatus> {
  return eventually(() => layer.status(), (current) => current === status, `status '${status}'`, timeoutMs);
}

/** A sender and a receiver on connections of their own that reconnect quickly (the cases below restart Redis). */
async function reconnectingPair(redis: RedisConnectionOptions): Promise<[RedisChannelLayer, RedisChannelLayer]> {
  const connect = async (): Promise<RedisChannelLayer> =>
    RedisChannelLayer.create(await RedisConnection.connect({ ...redis, reconnectMaxDelayMs: 200 }), { prefix: PREFIX });
  return [await connect(), await connect()];
}

describe.each([memoryBackend(), redisBackend(), redisClusterBackend()])('ChannelLayer contract: $name', (backend) => {
  const open: ChannelLayer[] = [];
  const instance = async (): Promise<ChannelLayer> => {
    const layer = await backend.instance();
    open.push(layer);
    return layer;
  };
  const group = (): string => `room:${randomUUID()}`;
  const itDistributed = it.runIf(backend.distributed);

  beforeAll(() => backend.setup());
  afterAll(() => backend.teardown());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((layer) => layer.close()));
  });

  it('delivers a send to every member of the group, and stops after groupDiscard', async () => {
    const layer = await instance();
    const g = group();
    const [a, b, outsider] = [new FakeMember('u1'), new FakeMember('u2'), new FakeMember('u3')];
    await layer.groupAdd(g, a);
    await layer.groupAdd(g, b);
    await layer.groupAdd(group(), outsider);
    expect(layer.localMemberCount(g)).toBe(2);

    await layer.groupSend(g, frame('one'));
    expect(text(await a.next())).toBe('one');
    expect(text(await b.next())).toBe('one');

    await layer.groupDiscard(g, b);
    expect(layer.localMemberCount(g)).toBe(1);
    await layer.groupSend(g, frame('two'));
    expect(text(await a.next())).toBe('two');
    // Local delivery happens within groupSend: nothing more can arrive for b or outsider.
    expect(b.unread).toEqual([]);
    expect(outsider.frames).toEqual([]);
    expect(a.unread).toEqual([]);
  });

  it('skips the excepted connection, and only on its own instance', async () => {
    const layer = await instance();
    const g = group();
    const [sender, other] = [new FakeMember('u1'), new FakeMember('u2')];
    await layer.groupAdd(g, sender);
    await layer.groupAdd(g, other);
    await layer.groupSend(g, frame('typing'), { except: sender });
    expect(text(await other.next())).toBe('typing');
    expect(sender.frames).toEqual([]);

    if (!backend.distributed) return;
    // Connection ids are per process: another instance's member with the same number still gets it.
    const remote = await instance();
    const twin = new FakeMember('u9', sender.id);
    await remote.groupAdd(g, twin);
    await layer.groupSend(g, frame('typing again'), { except: sender });
    expect(text(await twin.next())).toBe('typing again');
    expect(text(await other.next())).toBe('typing again');
    expect(sender.frames).toEqual([]);
  });

  it('skips every connection of exceptUser, on every instance', async () => {
    const layer = await instance();
    const g = group();
    const [aliceHere, bobHere] = [new FakeMember('alice'), new FakeMember('bob')];
    await layer.groupAdd(g, aliceHere);
    await layer.groupAdd(g, bobHere);
    const remote = backend.distributed ? await instance() : layer;
    const [aliceThere, carolThere] = [new FakeMember('alice'), new FakeMember('carol')];
    await remote.groupAdd(g, aliceThere);
    await remote.groupAdd(g, carolThere);

    await layer.groupSend(g, frame('alice is typing'), { exceptUser: 'alice' });
    await layer.groupSend(g, frame('marker'));
    expect(text(await bobHere.next())).toBe('alice is typing');
    expect(text(await carolThere.next())).toBe('alice is typing');
    // Same publisher, same group: had the first reached alice, it would come before the marker.
    expect(text(await aliceHere.next())).toBe('marker');
    expect(text(await aliceThere.next())).toBe('marker');
  });

  it('sendToUser reaches every connection of the user and nobody else', async () => {
    const layer = await instance();
    const remote = backend.distributed ? await instance() : layer;
    const sender = backend.distributed ? await instance() : layer; // has no connection of dana
    const [danaHere, danaThere, erin] = [new FakeMember('dana'), new FakeMember('dana'), new FakeMember('erin')];
    await layer.groupAdd(userGroup('dana'), danaHere);
    await remote.groupAdd(userGroup('dana'), danaThere);
    await remote.groupAdd(userGroup('erin'), erin);

    await sender.sendToUser('dana', frame('for dana'));
    await sender.sendToUser('erin', frame('for erin'));
    expect(text(await danaHere.next())).toBe('for dana');
    expect(text(await danaThere.next())).toBe('for dana');
    expect(text(await erin.next())).toBe('for erin');
    expect(danaHere.unread).toEqual([]);
  });

  itDistributed("two instances see each other's sends", async () => {
    const [first, second] = [await instance(), await instance()];
    const g = group();
    const [a, b] = [new FakeMember('u1'), new FakeMember('u2')];
    await first.groupAdd(g, a);
    await second.groupAdd(g, b);

    await first.groupSend(g, frame('from first'));
    expect(text(await a.next())).toBe('from first');
    expect(text(await b.next())).toBe('from first');
    await second.groupSend(g, frame('from second'));
    expect(text(await a.next())).toBe('from second');
    expect(text(await b.next())).toBe('from second');
    // Each instance served its own member once: no echo delivered twice.
    await first.groupSend(g, frame('marker'));
    expect(text(await b.next())).toBe('marker');
    expect(text(await a.next())).toBe('marker');
    expect(a.unread).toEqual([]);
  });

  itDistributed('unsubscribes when the last local member leaves: a send to an empty group reaches nobody', async () => {
    const [sender, receiver] = [await instance(), await instance()];
    const g = group();
    const [m1, m2] = [new FakeMember('u1'), new FakeMember('u2')];
    await receiver.groupAdd(g, m1);
    await receiver.groupAdd(g, m2);
    expect(await backend.subscribers(g)).toBe(1); // one subscription per instance, not per member

    await receiver.groupDiscard(g, m1);
    expect(await backend.subscribers(g)).toBe(1);
    await receiver.groupDiscard(g, m2);
    expect(await backend.subscribers(g)).toBe(0);
    await sender.groupSend(g, frame('into the void'));

    await receiver.groupAdd(g, m1);
    await sender.groupSend(g, frame('after rejoin'));
    expect(text(await m1.next())).toBe('after rejoin');
    expect(m2.frames).toEqual([]);
  });

  itDistributed('settles on the last add/discard when they race with subscribe in flight', async () => {
    const [sender, receiver] = [await instance(), await instance()];
    const g = group();
    const member = new FakeMember('u1');
    const operations: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      operations.push(receiver.groupAdd(g, member), receiver.groupDiscard(g, member));
    }
    operations.push(receiver.groupAdd(g, member));
    await Promise.all(operations);
    expect(await backend.subscribers(g)).toBe(1);
    await sender.groupSend(g, frame('after the race'));
    expect(text(await member.next())).toBe('after the race');

    await Promise.all([receiver.groupDiscard(g, member), receiver.groupAdd(g, member), receiver.groupDiscard(g, member)]);
    expect(await backend.subscribers(g)).toBe(0);
  });

  it('carries binary frames byte for byte', async () => {
    const layer = await instance();
    const remote = backend.distributed ? await instance() : layer;
    const g = group();
    const [here, there] = [new FakeMember('u1'), new FakeMember('u2')];
    await layer.groupAdd(g, here);
    await remote.groupAdd(g, there);
    const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const large = randomBytes(256 * 1024);
    const invalidUtf8 = Buffer.from([0xc3, 0x28, 0xff, 0xfe, 0x00, 0xed, 0xa0, 0x80]);

    await layer.groupSend(g, allBytes);
    await layer.groupSend(g, large, { exceptUser: 'ünïcødé-👤' });
    await layer.groupSend(g, invalidUtf8, { except: new FakeMember('nobody') });
    await layer.groupSend(g, Buffer.alloc(0));
    for (const member of [here, there]) {
      expect((await member.next()).equals(allBytes)).toBe(true);
      expect((await member.next()).equals(large)).toBe(true);
      expect((await member.next()).equals(invalidUtf8)).toBe(true);
      expect((await member.next()).length).toBe(0);
    }
  });

  it('preserves the order of messages from one publisher', async () => {
    const layer = await instance();
    const remote = backend.distributed ? await instance() : layer;
    const g = group();
    const [here, there] = [new FakeMember('u1'), new FakeMember('u2')];
    await layer.groupAdd(g, here);
    await remote.groupAdd(g, there);
    const count = 300;
    // Not awaited one by one: all publishes are in flight together.
    await Promise.all(Array.from({ length: count }, (_, i) => layer.groupSend(g, frame(`#${i}`))));
    for (const member of [here, there]) {
      const received: string[] = [];
      for (let i = 0; i < count; i++) received.push(text(await member.next()));
      expect(received).toEqual(Array.from({ length: count }, (_, i) => `#${i}`));
    }
  });

  it("reports status 'ok' when healthy", async () => {
    const layer = await instance();
    expect(await layer.status()).toBe('ok');
  });
});

describe('RedisChannelLayer on a restarted redis-server', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server?.stop());

  it("goes 'down', rejects sends, then reconnects and re-subscribes by itself", async () => {
    const [sender, receiver] = await reconnectingPair({ url: server.url });
    try {
      const g = `room:${randomUUID()}`;
      const [local, remote] = [new FakeMember('u1'), new FakeMember('u2')];
      await sender.groupAdd(g, local);
      await receiver.groupAdd(g, remote);
      await sender.groupSend(g, frame('before'));
      expect(text(await remote.next())).toBe('before');

      await server.kill();
      await statusBecomes(sender, 'down');
      await statusBecomes(receiver, 'down');
      // Fan-out over Redis fails loudly; the local member was still served.
      await expect(sender.groupSend(g, frame('during'))).rejects.toThrow(/publishing to group/);
      expect(text(await local.next())).toBe('before');
      expect(text(await local.next())).toBe('during');
      expect((sender.stats()).publishFailures).toBe(1);

      await server.start();
      await statusBecomes(sender, 'ok', 10_000);
      await statusBecomes(receiver, 'ok', 10_000);
      await sender.groupSend(g, frame('after'));
      expect(text(await remote.next())).toBe('after');
      expect(text(await local.next())).toBe('after');

      // A group joined while Redis was away is subscribed once it is back.
      await server.kill();
      await statusBecomes(receiver, 'down');
      const g2 = `room:${randomUUID()}`;
      const late = new FakeMember('u3');
      await receiver.groupAdd(g2, late);
      await server.start();
      await statusBecomes(receiver, 'ok', 10_000);
      await statusBecomes(sender, 'ok', 10_000);
      await sender.groupSend(g2, frame('to the late joiner'));
      expect(text(await late.next())).toBe('to the late joiner');
    } finally {
      await Promise.all([sender.close(), receiver.close()]);
    }
  });
});

describe('RedisChannelLayer on a restarted Redis Cluster', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterAll(() => cluster?.stop());

  it("is 'degraded' with a master down and re-subscribes its sharded channels after restarts", async () => {
    const [sender, receiver] = await reconnectingPair({ clusterNodes: cluster.urls });
    try {
      // Enough groups that every shard holds some of them.
      const groups = Array.from({ length: 12 }, () => `room:${randomUUID()}`);
      const members = groups.map(() => new FakeMember('u1'));
      for (const [i, g] of groups.entries()) await receiver.groupAdd(g, members[i]!);
      for (const g of groups) await sender.groupSend(g, frame(`before ${g}`));
      for (const [i, g] of groups.entries()) expect(text(await members[i]!.next())).toBe(`before ${g}`);

      // One master down: the rest of the cluster is reachable, so 'degraded', not 'down'.
      await cluster.killNode(0);
      await statusBecomes(receiver, 'degraded');
      await cluster.startNode(0);
      await statusBecomes(receiver, 'ok', 15_000);
      await statusBecomes(sender, 'ok', 15_000);
      for (const g of groups) await sender.groupSend(g, frame(`back ${g}`));
      for (const [i, g] of groups.entries()) expect(text(await members[i]!.next())).toBe(`back ${g}`);

      await cluster.restart();
      await statusBecomes(receiver, 'ok', 15_000);
      await statusBecomes(sender, 'ok', 15_000);
      // 'ok' means every master's subscriber connection is back: fan-out resumes on every shard.
      for (const g of groups) await sender.groupSend(g, frame(`after ${g}`));
      for (const [i, g] of groups.entries()) expect(text(await members[i]!.next())).toBe(`after ${g}`);
    } finally {
      await Promise.all([sender.close(), receiver.close()]);
    }
  }, 60_000);
});
