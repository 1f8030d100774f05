/**
 * One Presence contract, run against MemoryPresence, RedisPresence on a standalone
 * redis-server and on a 3-master Redis Cluster. Distributed cases run several presence
 * instances — as separate servers would — on the same Redis, including one that stops
 * heartbeating (a crash) and must vanish from every query within its TTL.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisConnection } from '../src/layer/redis-connection.js';
import { MemoryPresence } from '../src/presence/memory.js';
import { RedisPresence } from '../src/presence/redis.js';
import type { Presence } from '../src/presence/types.js';
import { eventually } from './support/eventually.js';
import { startRedis, startRedisCluster, type RedisServer } from './support/redis.js';

const PREFIX = 'sbtest:';
/** Short so the expiry case stays quick; the heartbeat runs every TTL/3. */
const TTL_MS = 1_500;

interface PresenceInstance {
  presence: Presence;
  /** Stops heartbeating and drops the connection, leaving the entries (a crash). */
  crash(): Promise<void>;
}

interface PresenceBackend {
  name: string;
  distributed: boolean;
  setup(): Promise<void>;
  teardown(): Promise<void>;
  instance(): Promise<PresenceInstance>;
}

function memoryBackend(): PresenceBackend {
  return {
    name: 'memory',
    distributed: false,
    setup: async () => {},
    teardown: async () => {},
    instance: async () => {
      const presence = new MemoryPresence();
      return { presence, crash: () => presence.close() };
    },
  };
}

function redisInstance(connection: Promise<RedisConnection>): Promise<PresenceInstance> {
  return connection.then((conn) => {
    const presence = new RedisPresence(conn, { prefix: PREFIX, instanceTtlMs: TTL_MS });
    return { presence, crash: () => presence.close({ keepEntries: true }) };
  });
}

function redisBackend(): PresenceBackend {
  let url: string;
  let stop: () => Promise<void>;
  return {
    name: 'redis',
    distributed: true,
    setup: async () => {
      ({ url, stop } = await startRedis());
    },
    teardown: async () => stop?.(),
    instance: () => redisInstance(RedisConnection.connect({ url })),
  };
}

function redisClusterBackend(): PresenceBackend {
  let urls: string[];
  let stop: () => Promise<void>;
  return {
    name: 'redis cluster',
    distributed: true,
    setup: async () => {
      ({ urls, stop } = await startRedisCluster());
    },
    teardown: async () => stop?.(),
    instance: () => redisInstance(RedisConnection.connect({ clusterNodes: urls })),
  };
}

const member = (userId: string) => ({ userId, userName: `name of ${userId}` });

describe.each([memoryBackend(), redisBackend(), redisClusterBackend()])('Presence contract: $name', (backend) => {
  const open: PresenceInstance[] = [];
  const instance = async (): Promise<Presence> => (await crashable()).presence;
  const crashable = async (): Promise<PresenceInstance> => {
    const created = await backend.instance();
    open.push(created);
    return created;
  };
  const itDistributed = it.runIf(backend.distributed);

  beforeAll(() => backend.setup());
  afterAll(() => backend.teardown());
  afterEach(async () => {
    await Promise.all(open.splice(0).map((created) => created.presence.close()));
  });

  it("join is 'changed' for a user's first connection only; leave for the last only", async () => {
    const presence = await instance();
    const t = topic();
    expect(await presence.join(t, member('alice'), 1)).toEqual({ changed: true });
    expect(await presence.join(t, member('alice'), 2)).toEqual({ changed: false });
    expect(await presence.join(t, member('bob'), 3)).toEqual({ changed: true });
    expect(await presence.userCount(t)).toBe(2);
    expect(await presence.connectionCount(t)).toBe(3);
    expect(await presence.userConnectionCount(t, 'alice')).toBe(2);

    expect(await presence.leave(t, 'alice', 1)).toEqual({ changed: false });
    expect(await presence.userCount(t)).toBe(2);
    expect(await presence.leave(t, 'alice', 2)).toEqual({ changed: true });
    expect(await presence.userCount(t)).toBe(1);
    expect(await presence.connectionCount(t)).toBe(1);
    expect(await presence.userConnectionCount(t, 'alice')).toBe(0);
    expect(await presence.members(t)).toEqual([member('bob')]);
  });

  it('joining the same connection twice and leaving an unknown one change nothing', async () => {
    const presence = await instance();
    const t = topic();
    await presence.join(t, member('alice'), 7);
    expect(await presence.join(t, member('alice'), 7)).toEqual({ changed: false });
    expect(await presence.connectionCount(t)).toBe(1);
    expect(await presence.leave(t, 'alice', 8)).toEqual({ changed: false });
    expect(await presence.leave(t, 'zoe', 7)).toEqual({ changed: false });
    expect(await presence.userConnectionCount(t, 'alice')).toBe(1);
    expect(await presence.leave(t, 'alice', 7)).toEqual({ changed: true });
    expect(await presence.leave(t, 'alice', 7)).toEqual({ changed: false });
    expect(await presence.userCount(t)).toBe(0);
    expect(await presence.members(t)).toEqual([]);
  });

  it('keeps topics apart and answers empty topics with zeros', async () => {
    const presence = await instance();
    const [t1, t2] = [topic(), topic()];
    await presence.join(t1, member('alice'), 1);
    expect(await presence.userCount(t2)).toBe(0);
    expect(await presence.connectionCount(t2)).toBe(0);
    expect(await presence.members(t2)).toEqual([]);
    expect(await presence.filterPresent(t2, ['alice'])).toEqual([]);
    expect(await presence.userConnectionCount(t2, 'alice')).toBe(0);
  });

  it('lists members with names, at most `limit` of them', async () => {
    const presence = await instance();
    const t = topic();
    const ids = Array.from({ length: 30 }, (_, i) => `user-${i}`);
    for (const [i, id] of ids.entries()) await presence.join(t, member(id), 100 + i);
    await presence.join(t, member('user-0'), 999);

    const all = await presence.members(t);
    expect(all.map((m) => m.userId).sort()).toEqual([...ids].sort());
    expect(all.every((m) => m.userName === `name of ${m.userId}`)).toBe(true);
    const some = await presence.members(t, 5);
    expect(some).toHaveLength(5);
    expect(new Set(some.map((m) => m.userId)).size).toBe(5);
    expect(some.every((m) => ids.includes(m.userId))).toBe(true);
    expect(await presence.members(t, 0)).toEqual([]);
  });

  it('filterPresent returns the present subset in the given order', async () => {
    const presence = await instance();
    const t = topic();
    await presence.join(t, member('carol'), 1);
    await presence.join(t, member('alice'), 2);
    await presence.join(t, member('alice'), 3);
    expect(await presence.filterPresent(t, ['bob', 'alice', 'dave', 'carol', 'alice'])).toEqual(['alice', 'carol', 'alice']);
    expect(await presence.filterPresent(t, [])).toEqual([]);
    await presence.leave(t, 'carol', 1);
    expect(await presence.filterPresent(t, ['carol', 'alice'])).toEqual(['alice']);
  });

  itDistributed("counts users cluster-wide; 'changed' follows the first/last connection anywhere", async () => {
    const [east, west] = [await instance(), await instance()];
    const t = topic();
    // The same connection number on two instances is two connections.
    expect(await east.join(t, member('alice'), 1)).toEqual({ changed: true });
    expect(await west.join(t, member('alice'), 1)).toEqual({ changed: false });
    expect(await west.join(t, member('bob'), 2)).toEqual({ changed: true });

    for (const presence of [east, west]) {
      expect(await presence.userCount(t)).toBe(2);
      expect(await presence.connectionCount(t)).toBe(3);
      expect(await presence.userConnectionCount(t, 'alice')).toBe(2);
      expect(await presence.filterPresent(t, ['bob', 'alice'])).toEqual(['bob', 'alice']);
      expect((await presence.members(t)).map((m) => m.userId).sort()).toEqual(['alice', 'bob']);
    }

    // Leaving on one instance does not remove the user another instance still has.
    expect(await east.leave(t, 'alice', 1)).toEqual({ changed: false });
    expect(await east.userConnectionCount(t, 'alice')).toBe(1);
    expect(await west.leave(t, 'alice', 1)).toEqual({ changed: true });
    expect(await east.filterPresent(t, ['alice', 'bob'])).toEqual(['bob']);
  });

  itDistributed("drops a crashed instance's users from every query within the TTL", async () => {
    const [survivor, doomed] = [await instance(), await crashable()];
    const t = topic();
    await survivor.join(t, member('alice'), 1);
    await doomed.presence.join(t, member('alice'), 1);
    await doomed.presence.join(t, member('bob'), 2);
    await doomed.presence.join(t, member('bob'), 3);

    await doomed.crash();
    const crashedAt = Date.now();
    // Still counted right after the crash: it is the TTL, not the close, that removes them.
    expect(await survivor.userCount(t)).toBe(2);
    expect(await survivor.connectionCount(t)).toBe(4);

    await eventually(() => survivor.userCount(t), (count) => count === 1, 'crashed entries dropped', TTL_MS + 2_000);
    const vanishedAfterMs = Date.now() - crashedAt;
    console.log(`[${backend.name}] crashed instance's users vanished after ${vanishedAfterMs} ms (TTL ${TTL_MS} ms)`);
    // Its last refresh was before the crash, so the TTL bounds it (plus one poll and query).
    expect(vanishedAfterMs).toBeLessThanOrEqual(TTL_MS + 500);

    expect(await survivor.connectionCount(t)).toBe(1);
    expect(await survivor.userConnectionCount(t, 'alice')).toBe(1);
    expect(await survivor.userConnectionCount(t, 'bob')).toBe(0);
    expect(await survivor.filterPresent(t, ['alice', 'bob'])).toEqual(['alice']);
    expect(await survivor.members(t)).toEqual([member('alice')]);
    // The survivor heartbeats: a TTL later its own user is still there, and bob's return is news again.
    expect(await survivor.join(t, member('bob'), 5)).toEqual({ changed: true });
    expect(await survivor.leave(t, 'alice', 1)).toEqual({ changed: true });
  });

  itDistributed("reports a crashed instance's departed users once, cluster-wide, through onDeparted", async () => {
    const [first, second, doomed, doomedLater] = [await instance(), await instance(), await crashable(), await crashable()];
    const t = topic();
    const events: { topic: string; userIds: string[]; userNames: string[] }[] = [];
    let reported: () => void = () => {};
    // Every live instance listens (doomedLater too, while it lives): "once" is cluster-wide.
    for (const survivor of [first, second, doomedLater.presence]) {
      survivor.onDeparted((topic, userIds, userNames) => {
        events.push({ topic, userIds, userNames });
        reported();
      });
    }
    const nextReport = (what: string): Promise<void> =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${what} not reported`)), TTL_MS * 2 + 2_000);
        reported = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    // Both survivors hold the topic, so both heartbeat it; alice stays through the first.
    await first.join(t, member('alice'), 1);
    await second.join(t, member('carol'), 1);
    await doomed.presence.join(t, member('alice'), 1);
    await doomed.presence.join(t, member('bob'), 2);
    await doomed.presence.join(t, member('bob'), 3);
    await doomedLater.presence.join(t, member('dave'), 4);
    let report = nextReport("bob's departure");
    await doomed.crash();
    await report;
    expect(events).toEqual([{ topic: t, userIds: ['bob'], userNames: ['name of bob'] }]);
    // A second crash is reported only after a TTL of heartbeats by both survivors: had
    // either reported bob again in those rounds, it would show before dave.
    report = nextReport("dave's departure");
    await doomedLater.crash();
    await report;
    expect(events).toEqual([
      { topic: t, userIds: ['bob'], userNames: ['name of bob'] },
      { topic: t, userIds: ['dave'], userNames: ['name of dave'] },
    ]);
  });

  itDistributed('a live instance outlives several TTLs on heartbeats alone', async () => {
    const [watcher, live] = [await instance(), await instance()];
    const t = topic();
    await live.join(t, member('carol'), 1);
    const until = Date.now() + TTL_MS * 2;
    while (Date.now() < until) {
      expect(await watcher.userCount(t)).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await watcher.filterPresent(t, ['carol'])).toEqual(['carol']);
  });

  itDistributed("a graceful close removes the instance's users at once", async () => {
    const [watcher, leaving] = [await instance(), await crashable()];
    const t = topic();
    await watcher.join(t, member('dave'), 1);
    await leaving.presence.join(t, member('erin'), 1);
    await leaving.presence.join(t, member('dave'), 2);
    expect(await watcher.userCount(t)).toBe(2);
    await leaving.presence.close();
    expect(await watcher.userCount(t)).toBe(1);
    expect(await watcher.userConnectionCount(t, 'dave')).toBe(1);
    expect(await watcher.members(t)).toEqual([member('dave')]);
  });
});

describe('RedisPresence on a restarted redis-server', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedis();
  });
  afterAll(() => server?.stop());

  const connect = async (): Promise<RedisPresence> =>
    new RedisPresence(await RedisConnection.connect({ url: server.url, reconnectMaxDelayMs: 200 }), {
      prefix: PREFIX,
      instanceTtlMs: TTL_MS,
    });

  it('re-registers its connections by heartbeat after Redis lost everything', async () => {
    const [holder, watcher] = [await connect(), await connect()];
    try {
      const t = topic();
      await holder.join(t, member('alice'), 1);
      await holder.join(t, member('bob'), 2);
      await holder.join(t, member('bob'), 3);

      await server.restart(); // no persistence: every key is gone
      // -1 while reconnecting.
      await eventually(() => watcher.connectionCount(t).catch(() => -1), (count) => count === 3, 'connections re-registered', TTL_MS + 5_000);
      expect(await watcher.userCount(t)).toBe(2);
      expect(await watcher.members(t, 10)).toHaveLength(2);
      expect(await watcher.filterPresent(t, ['bob', 'alice', 'zoe'])).toEqual(['bob', 'alice']);
      expect(await holder.leave(t, 'bob', 2)).toEqual({ changed: false });
      expect(await holder.leave(t, 'bob', 3)).toEqual({ changed: true });
    } finally {
      await Promise.all([holder.close(), watcher.close()]);
    }
  });

  it('while Redis is down, answers from its own connections; the reconnect registers what changed', async () => {
    const [holder, watcher] = [await connect(), await connect()];
    try {
      const t = topic();
      await holder.join(t, member('alice'), 1);
      expect(await watcher.members(t)).toEqual([member('alice')]);

      await server.kill();
      // Joins and leaves keep working, answered from the holder's own connections.
      expect(await holder.join(t, member('bob'), 2)).toEqual({ changed: true });
      expect(await holder.join(t, member('bob'), 3)).toEqual({ changed: false });
      expect(await holder.leave(t, 'alice', 1)).toEqual({ changed: true });
      expect(await holder.userCount(t)).toBe(1);
      expect(await holder.connectionCount(t)).toBe(2);
      expect(await holder.userConnectionCount(t, 'bob')).toBe(2);
      expect(await holder.members(t)).toEqual([member('bob')]);
      expect(await holder.filterPresent(t, ['alice', 'bob'])).toEqual(['bob']);
      // The watcher has no connections on the topic: its own view is empty.
      expect(await watcher.userCount(t)).toBe(0);

      await server.start(); // no persistence: Redis comes back empty
      await eventually(() => watcher.members(t), (members) => members.length === 1 && members[0]!.userId === 'bob', 'outage changes reconciled', TTL_MS + 5_000);
      expect(await watcher.connectionCount(t)).toBe(2);
      expect(await watcher.filterPresent(t, ['alice', 'bob'])).toEqual(['bob']);
    } finally {
      await Promise.all([holder.close(), watcher.close()]);
    }
  });
});

function topic(): string {
  return `room:${randomUUID()}`;
}
