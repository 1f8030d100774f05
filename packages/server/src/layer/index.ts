/**
 * Builds the fan-out and presence backends of one instance: in memory when no Redis is
 * configured (a single instance), otherwise Redis (standalone) or Redis Cluster.
 */
import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { MemoryChannelLayer } from './memory.js';
import { RedisChannelLayer } from './redis.js';
import { RedisConnection } from './redis-connection.js';
import type { ChannelLayer } from './types.js';
import { MemoryPresence } from '../presence/memory.js';
import { RedisPresence } from '../presence/redis.js';
import type { Presence } from '../presence/types.js';

export { MemoryChannelLayer } from './memory.js';
export { RedisChannelLayer, LayerPublishError, groupChannel, type RedisChannelLayerOptions, type RedisLayerStats } from './redis.js';
export { RedisConnection, type RedisConnectionOptions } from './redis-connection.js';
export * from './types.js';

export interface BackendOptions {
  /** `redis://host:port`; with `redisCluster`, a seed node of the cluster. */
  redisUrl?: string;
  /** Treat `redisUrl` as a Redis Cluster seed (sharded pub/sub). */
  redisCluster?: boolean;
  /** Seed node URLs of a Redis Cluster; implies `redisCluster`. */
  clusterNodes?: readonly string[];
  /** Unique per running instance; default a random UUID. */
  instanceId?: string;
  /** Prefix of every Redis key and channel (default `sb:`). */
  keyPrefix?: string;
  /** A crashed instance's presence entries expire after this long (default 30 000 ms). */
  presenceTtlMs?: number;
  /** Heartbeat period of presence (default a third of the TTL). */
  presenceHeartbeatMs?: number;
  /** How long startup waits for Redis (default 10 000 ms). */
  redisConnectTimeoutMs?: number;
  logger?: Logger;
}

export interface Backends {
  readonly kind: 'memory' | 'redis' | 'redis-cluster';
  readonly instanceId: string;
  readonly layer: ChannelLayer;
  readonly presence: Presence;
  /** Closes layer and presence (idempotent; SwitchboardServer.stop closes them too). */
  close(): Promise<void>;
}

export async function createBackends(options: BackendOptions = {}): Promise<Backends> {
  const instanceId = options.instanceId ?? randomUUID();
  const redisCluster = options.redisCluster === true || (options.clusterNodes?.length ?? 0) > 0;
  if (!options.redisUrl && !redisCluster) {
    const layer = new MemoryChannelLayer();
    const presence = new MemoryPresence();
    return { kind: 'memory', instanceId, layer, presence, close: closeBoth(layer, presence) };
  }
  const logger = options.logger ?? pino({ level: 'silent' });
  const connection = await RedisConnection.connect({
    url: options.redisUrl,
    cluster: redisCluster,
    clusterNodes: options.clusterNodes,
    connectTimeoutMs: options.redisConnectTimeoutMs,
    logger,
  });
  try {
    const prefix = options.keyPrefix ?? 'sb:';
    const layer = await RedisChannelLayer.create(connection, { instanceId, prefix });
    const presence = new RedisPresence(connection, {
      instanceId,
      prefix,
      instanceTtlMs: options.presenceTtlMs,
      heartbeatIntervalMs: options.presenceHeartbeatMs,
    });
    logger.info({ instanceId, cluster: redisCluster }, 'redis channel layer and presence ready');
    return { kind: redisCluster ? 'redis-cluster' : 'redis', instanceId, layer, presence, close: closeBoth(layer, presence) };
  } catch (error) {
    await connection.close();
    throw error;
  }
}

function closeBoth(layer: ChannelLayer, presence: Presence): () => Promise<void> {
  return async () => {
    // Presence first: removing this instance's entries needs the shared connection.
    await presence.close();
    await layer.close();
  };
}
