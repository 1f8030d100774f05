/**
 * Three `switchboard serve` processes on a 3-master Redis Cluster (REDIS_CLUSTER_NODES:
 * sharded pub/sub, presence topics in one slot each) and one PostgreSQL database:
 * fan-out, cluster-wide counts and the control group work as on a single Redis, and a
 * master that dies and comes back degrades health and then recovers without restarts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TestClient } from './support/client.js';
import {
  call,
  connectAndGreet,
  healthStatus,
  pollUntil,
  register,
  startShardedCluster,
  workspaceWithChannel,
  type Account,
  type ClusterInstance,
  type ShardedCluster,
} from './support/cluster.js';

const ROOMS = '/api/v1/ws';
const sorted = (ids: string[]): string[] => [...ids].sort();

describe('three instances on a Redis Cluster', { timeout: 60_000 }, () => {
  let cluster: ShardedCluster;
  let a: ClusterInstance;
  let b: ClusterInstance;
  let c: ClusterInstance;
  const clients: TestClient[] = [];

  beforeAll(async () => {
    cluster = await startShardedCluster();
    [a, b, c] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
  }, 120_000);

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  it('fans out rooms and channels over sharded pub/sub; online_count, the per-user limit and logout are cluster-wide', async () => {
    const [ann, ben, cat] = [await register(a, b, 'ann'), await register(b, c, 'ben'), await register(c, a, 'cat')] as [Account, Account, Account];
    const onA = await connectAndGreet(a.wsUrl(ROOMS, ann.token), 'system', clients);
    const onB = await connectAndGreet(b.wsUrl(ROOMS, ben.token), 'system', clients);
    const onC = await connectAndGreet(c.wsUrl(ROOMS, cat.token), 'system', clients);
    expect([onA, onB, onC].map((side) => side.greeting.online_count)).toEqual([1, 2, 3]);

    const room = `shard-${randomUUID().slice(0, 8)}`;
    for (const side of [onA, onB, onC]) {
      side.client.send({ type: 'join_room', room, ref: 'join' });
      await side.client.next((m) => m.ref === 'join');
    }
    onB.client.send({ type: 'message', room, text: 'over SPUBLISH' });
    for (const side of [onA, onC]) expect(await side.client.next('message')).toMatchObject({ from: ben.id, room, text: 'over SPUBLISH' });

    const { channelId } = await workspaceWithChannel(a, ann, [ben, cat]);
    const path = `/ws/channels/${channelId}/`;
    const chA = await connectAndGreet(a.wsUrl(path, ann.token), 'presence', clients);
    // Everyone is online somewhere (their rooms sockets), so presence lists all three.
    expect(sorted(chA.greeting.data.online_users)).toEqual(sorted([ann.id, ben.id, cat.id]));
    const chC = await connectAndGreet(c.wsUrl(path, cat.token), 'presence', clients);
    chA.client.send({ type: 'message', data: { content: 'hello shards' } });
    expect((await chC.client.next('message')).data).toMatchObject({ seq: 1, content: 'hello shards', user_id: ann.id });

    // The connections topic lives in one slot: the limit counts across instances.
    const [limited] = [await register(a, c, 'limited')] as [Account];
    for (const instance of [a, b, c, a, b, c, a, b, c, a]) await connectAndGreet(instance.wsUrl(ROOMS, limited.token), 'system', clients);
    const eleventh = new TestClient(c.wsUrl(ROOMS, limited.token));
    clients.push(eleventh);
    expect(await eleventh.closed).toEqual({ code: 4008, reason: 'Too many connections' });

    // Logout on B reaches the control group on every instance.
    expect((await call(b, 'POST', '/api/auth/logout', { token: cat.token })).status).toBe(200);
    expect(await onC.client.closed).toEqual({ code: 4001, reason: 'Logged out' });
    expect(await chC.client.closed).toEqual({ code: 4001, reason: 'Logged out' });
    await onA.client.roundTrip();
    expect(onA.client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('a master that dies and returns: degraded, then healthy and fanning out again without restarting instances', async () => {
    const [dan, eve] = [await register(a, b, 'dan'), await register(b, c, 'eve')] as [Account, Account];
    const room = `failover-${randomUUID().slice(0, 8)}`;
    const onA = await connectAndGreet(a.wsUrl(ROOMS, dan.token), 'system', clients);
    const onC = await connectAndGreet(c.wsUrl(ROOMS, eve.token), 'system', clients);
    for (const side of [onA, onC]) {
      side.client.send({ type: 'join_room', room, ref: 'join' });
      await side.client.next((m) => m.ref === 'join');
    }

    const killedAt = Date.now();
    await cluster.redisCluster.killNode(0);
    await Promise.all(
      [a, b, c].map((instance) =>
        pollUntil(`instance ${instance.name} reports degraded`, async () => ((await healthStatus(instance)) === 'degraded' ? true : undefined)),
      ),
    );
    console.log(`[cluster] Redis Cluster master killed → every instance degraded after ${Date.now() - killedAt} ms`);

    const restartedAt = Date.now();
    await cluster.redisCluster.startNode(0);
    await Promise.all(
      [a, b, c].map((instance) =>
        pollUntil(`instance ${instance.name} reports healthy`, async () => ((await healthStatus(instance)) === 'healthy' ? true : undefined), {
          timeoutMs: 30_000,
        }),
      ),
    );
    console.log(`[cluster] Redis Cluster master back → every instance healthy after ${Date.now() - restartedAt} ms`);

    // Whichever shard the room's channel hashes to, messages flow again.
    onA.client.send({ type: 'message', room, text: 'after the failover' });
    expect(await onC.client.next('message', 10_000)).toMatchObject({ from: dan.id, text: 'after the failover' });
  });
});
