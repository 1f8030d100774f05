/**
 * The Redis connections of one instance, shared by RedisChannelLayer and RedisPresence:
 * standalone (one command/publish connection + one subscriber connection) or Redis
 * Cluster (node-redis keeps a command connection per master and, for sharded pub/sub,
 * one subscriber connection per master that owns a subscribed channel).
 *
 * The command side never queues while disconnected (`disableOfflineQueue`): a publish or
 * a presence write during an outage fails at once instead of hanging, and the caller
 * (who persisted first) decides. Subscriptions are re-established by node-redis on
 * reconnect; `onReady` lets the layer reconcile anything that failed in between.
 */
import { createHash } from 'node:crypto';
import { createClient, createCluster, type RedisClientType, type RedisClusterType } from '@redis/client';
import pino, { type Logger } from 'pino';

export interface RedisConnectionOptions {
  /** `redis://host:port` of a standalone server, or a seed node when `cluster` is set. */
  url?: string;
  /** Seed node URLs of a Redis Cluster (at least one; three recommended). Implies `cluster`. */
  clusterNodes?: readonly string[];
  /** Use Redis Cluster (sharded pub/sub) with `url` as the seed node. */
  cluster?: boolean;
  /** Upper bound of the reconnect backoff. */
  reconnectMaxDelayMs?: number;
  /** How long `connect()` waits for Redis before giving up. */
  connectTimeoutMs?: number;
  logger?: Logger;
}

/** Called with each pub/sub message: the raw payload and the channel it arrived on. */
export type MessageListener = (message: Buffer, channel: Buffer) => void;

/** A Lua script run by EVALSHA, falling back to EVAL once per server that lacks it. */
export class LuaScript {
  readonly sha1: string;
  constructor(readonly source: string) {
    this.sha1 = createHash('sha1').update(source).digest('hex');
  }
}

type Client = RedisClientType;
type Cluster = RedisClusterType;

/** Full-jitter exponential backoff, never below 20 ms so a dead server is not hammered. */
function reconnectDelay(retries: number, maxDelayMs: number): number {
  return Math.max(20, Math.floor(Math.random() * Math.min(maxDelayMs, 50 * 2 ** Math.min(retries, 16))));
}

export class RedisConnection {
  readonly sharded: boolean;
  readonly logger: Logger;
  private readonly client: Client | undefined;
  private readonly subscriber: Client | undefined;
  private readonly cluster: Cluster | undefined;
  private readonly readyListeners: Array<() => void> = [];
  private references = 0;
  private closing: Promise<void> | undefined;
  /** The last connection error was logged; the next one waits for a recovery. */
  private errorLogged = false;

  private constructor(options: RedisConnectionOptions) {
    this.logger = options.logger ?? pino({ level: 'silent' });
    const maxDelayMs = options.reconnectMaxDelayMs ?? 2_000;
    const socket = { reconnectStrategy: (retries: number) => reconnectDelay(retries, maxDelayMs) };
    const seeds = options.clusterNodes?.length ? options.clusterNodes : undefined;
    this.sharded = seeds !== undefined || options.cluster === true;
    if (this.sharded) {
      const rootNodes = (seeds ?? [options.url ?? 'redis://127.0.0.1:6379']).map((url) => ({ url }));
      this.cluster = createCluster({ rootNodes, defaults: { disableOfflineQueue: true, socket } });
      this.cluster.on('error', (error: Error) => this.connectionError(error));
      this.cluster.on('node-error', (error: Error, node: NodeInfo) => this.connectionError(error, node));
      // Also fired by the per-master subscriber connections, after they re-subscribed.
      this.cluster.on('node-ready', () => this.recovered());
    } else {
      this.client = createClient({ url: options.url, disableOfflineQueue: true, socket });
      // Pub/sub commands are queued while offline (node-redis replays them in order on
      // reconnect, after re-subscribing what was acknowledged), so the subscriber keeps its queue.
      this.subscriber = this.client.duplicate({ disableOfflineQueue: false });
      for (const client of [this.client, this.subscriber]) {
        client.on('error', (error: Error) => this.connectionError(error));
        client.on('ready', () => this.recovered());
      }
    }
  }

  /** Connects (or throws after `connectTimeoutMs`, default 10 s). */
  static async connect(options: RedisConnectionOptions): Promise<RedisConnection> {
    const connection = new RedisConnection(options);
    const timeoutMs = options.connectTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([connection.open(), timeout]);
    } catch (error) {
      connection.destroy();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return connection;
  }

  private async open(): Promise<void> {
    if (this.cluster) {
      await this.cluster.connect();
      return;
    }
    await Promise.all([this.client!.connect(), this.subscriber!.connect()]);
  }

  /**
   * True when commands can be sent and subscriptions receive: on a cluster, every
   * master's command connection and (where one exists) its subscriber connection.
   */
  get connected(): boolean {
    if (this.closing) return false;
    if (this.cluster) {
      return (
        this.cluster.isReady &&
        this.cluster.masters.every((master) => master.client?.isReady !== false && master.pubSub?.client.isReady !== false)
      );
    }
    return this.client!.isReady && this.subscriber!.isReady;
  }

  /** True when nothing at all is reachable (on a cluster: no master's command connection is up). */
  get unreachable(): boolean {
    if (this.closing) return true;
    if (this.cluster) return !this.cluster.isReady || !this.cluster.masters.some((master) => master.client?.isReady === true);
    return !this.client!.isReady || !this.subscriber!.isReady;
  }

  /** Registers a callback for every (re)connection of any underlying connection. */
  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
  }

  publish(channel: string, message: Buffer): Promise<number> {
    if (this.cluster) return this.cluster.sPublish(channel, message);
    return this.client!.publish(channel, message);
  }

  subscribe(channel: string, listener: MessageListener): Promise<void> {
    if (this.cluster) return this.cluster.sSubscribe(channel, listener, true);
    return this.subscriber!.subscribe(channel, listener, true);
  }

  unsubscribe(channel: string, listener: MessageListener): Promise<void> {
    if (this.cluster) return this.cluster.sUnsubscribe(channel, listener, true);
    return this.subscriber!.unsubscribe(channel, listener, true);
  }

  /**
   * Runs a script. All `keys` must share a hash slot (callers use one hash tag), which
   * also routes the call to the right cluster node.
   */
  async evalScript<T>(script: LuaScript, keys: readonly string[], args: readonly (string | Buffer)[]): Promise<T> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.send<T>(keys[0], ['EVALSHA', script.sha1, ...tail]);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.send<T>(keys[0], ['EVAL', script.source, ...tail]);
    }
  }

  private send<T>(firstKey: string | undefined, args: (string | Buffer)[]): Promise<T> {
    if (this.cluster) return this.cluster.sendCommand<T>(firstKey, false, args);
    return this.client!.sendCommand<T>(args);
  }

  /** Each user (layer, presence) retains the connection; the last release closes it. */
  retain(): void {
    this.references++;
  }

  async release(): Promise<void> {
    if (--this.references <= 0) await this.close();
  }

  /** Closes gracefully: replies in flight are awaited, then the sockets are closed. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const results = await Promise.allSettled(
        this.cluster ? [this.cluster.close()] : [this.client!.close(), this.subscriber!.close()],
      );
      for (const result of results) {
        if (result.status === 'rejected') this.logger.warn({ err: result.reason }, 'redis close failed');
      }
    })();
    return this.closing;
  }

  private destroy(): void {
    this.closing ??= Promise.resolve();
    if (this.cluster) this.cluster.destroy();
    else {
      this.client!.destroy();
      this.subscriber!.destroy();
    }
  }

  private connectionError(error: Error, node?: NodeInfo): void {
    if (this.closing || this.errorLogged) return;
    // One line per outage: a reconnect loop would otherwise log every attempt.
    this.errorLogged = true;
    this.logger.error({ err: error, node: node ? nodeKey(node) : undefined }, 'redis connection lost; reconnecting');
  }

  private recovered(): void {
    if (this.closing) return;
    if (this.errorLogged) this.logger.info('redis connection restored');
    this.errorLogged = false;
    for (const listener of this.readyListeners) listener();
  }
}

interface NodeInfo {
  host?: string;
  port?: number;
}

function nodeKey(node: NodeInfo): string {
  return `${node.host}:${node.port}`;
}
