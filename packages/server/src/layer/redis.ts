/**
 * Channel layer across instances over Redis pub/sub (sharded pub/sub on Redis Cluster).
 *
 * - One Redis channel per group (`<prefix>g:<group>`), subscribed while this instance
 *   has at least one local member of the group (see ChannelSubscriptions for the races).
 * - groupSend delivers to local members at once, then publishes ONE message: an
 *   envelope (origin, except connection, except user) + the encoded frame. Every other
 *   instance delivers the frame bytes verbatim to its members; the origin ignores its
 *   own echo. Local delivery therefore never waits for, or depends on, Redis.
 * - `except` (a connection) only exists on the origin, which applies it locally;
 *   `exceptUser` is applied by every instance.
 * - A publish that fails is logged, counted and rethrown: callers persist first, and
 *   clients backfill from the database after a reconnect. Redis carries fan-out only.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { decodeEnvelope, encodeEnvelope, encodeOrigin, isFromOrigin } from './envelope.js';
import { MemoryChannelLayer } from './memory.js';
import type { RedisConnection } from './redis-connection.js';
import { ChannelSubscriptions } from './subscriptions.js';
import { userGroup, type ChannelLayer, type GroupSendOptions, type LayerMember, type LayerStatus } from './types.js';

export interface RedisChannelLayerOptions {
  /** Unique per running instance (default: a random UUID). At most 255 bytes. */
  instanceId?: string;
  /** Prefix of every Redis channel (default `sb:`); instances that talk share it. */
  prefix?: string;
  /** How long status() waits for its probe to come back (default 1000 ms). */
  probeTimeoutMs?: number;
}

export interface RedisLayerStats {
  published: number;
  publishFailures: number;
  /** Messages from other instances delivered locally. */
  received: number;
  /** Messages that could not be decoded (another version, corruption). */
  malformed: number;
  /** Redis channels subscribed or being changed. */
  subscribedChannels: number;
}

/** Raised by groupSend/sendToUser when the message could not be handed to Redis. */
export class LayerPublishError extends Error {
  constructor(group: string, options: { cause: unknown }) {
    super(`publishing to group ${JSON.stringify(group)} failed`, options);
  }
}

/** The Redis channel carrying a group's messages. */
export function groupChannel(prefix: string, group: string): string {
  return `${prefix}g:${group}`;
}

export class RedisChannelLayer implements ChannelLayer {
  readonly instanceId: string;
  private readonly local = new MemoryChannelLayer();
  private readonly origin: Buffer;
  private readonly groupPrefix: string;
  private readonly probeChannel: string;
  /** The same name as bytes: channel names arrive as Buffers, compared without decoding. */
  private readonly probeChannelBytes: Buffer;
  private readonly probeTimeoutMs: number;
  private readonly subscriptions: ChannelSubscriptions;
  private readonly logger: Logger;
  private readonly listener = (message: Buffer, channel: Buffer): void => this.onMessage(message, channel);
  private readonly probes = new Map<string, () => void>();
  private probing: Promise<boolean> | undefined;
  private closed = false;
  private readonly counters = { published: 0, publishFailures: 0, received: 0, malformed: 0 };

  /** Creates the layer and subscribes its probe channel. The layer retains `connection`. */
  static async create(connection: RedisConnection, options: RedisChannelLayerOptions = {}): Promise<RedisChannelLayer> {
    const layer = new RedisChannelLayer(connection, options);
    await layer.subscriptions.sync(layer.probeChannel);
    return layer;
  }

  private constructor(
    private readonly connection: RedisConnection,
    options: RedisChannelLayerOptions,
  ) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.origin = encodeOrigin(this.instanceId);
    const prefix = options.prefix ?? 'sb:';
    this.groupPrefix = groupChannel(prefix, '');
    this.probeChannel = `${prefix}probe:${this.instanceId}`;
    this.probeChannelBytes = Buffer.from(this.probeChannel, 'utf8');
    this.probeTimeoutMs = options.probeTimeoutMs ?? 1_000;
    this.logger = connection.logger.child({ component: 'redis-layer' });
    this.subscriptions = new ChannelSubscriptions(
      {
        subscribe: (channel) => connection.subscribe(channel, this.listener),
        unsubscribe: (channel) => connection.unsubscribe(channel, this.listener),
      },
      (channel) => this.wanted(channel),
      this.logger,
    );
    connection.retain();
    connection.onReady(() => this.subscriptions.resync());
  }

  async groupAdd(group: string, member: LayerMember): Promise<void> {
    this.local.addLocal(group, member);
    const synced = this.subscriptions.sync(this.groupPrefix + group);
    // While Redis is away the subscription completes on reconnect; joining must not hang.
    if (this.connection.connected) await synced;
  }

  async groupDiscard(group: string, member: LayerMember): Promise<void> {
    if (!this.local.discardLocal(group, member)) return;
    const synced = this.subscriptions.sync(this.groupPrefix + group);
    if (this.connection.connected) await synced;
  }

  async groupSend(group: string, frame: Buffer, options?: GroupSendOptions): Promise<void> {
    const exceptUser = options?.exceptUser;
    this.local.deliverLocal(group, frame, options?.except?.id, exceptUser);
    // A connection id means nothing on other instances: only the excepted user travels.
    await this.publish(group, encodeEnvelope(this.origin, frame, exceptUser));
  }

  sendToUser(userId: string, frame: Buffer): Promise<void> {
    return this.groupSend(userGroup(userId), frame);
  }

  localMemberCount(group: string): number {
    return this.local.localMemberCount(group);
  }

  /**
   * 'down' when Redis cannot be reached (closed, disconnected, every cluster master down);
   * 'degraded' when part of a cluster is down; otherwise a probe is published to this
   * instance's private channel: 'ok' if it comes back within probeTimeoutMs, else
   * 'degraded' (connected but pub/sub not flowing). Concurrent calls share one probe.
   */
  async status(): Promise<LayerStatus> {
    if (this.closed || this.connection.unreachable) return 'down';
    if (!this.connection.connected) return 'degraded';
    this.probing ??= this.probe().finally(() => {
      this.probing = undefined;
    });
    return (await this.probing) ? 'ok' : 'degraded';
  }

  stats(): RedisLayerStats {
    return { ...this.counters, subscribedChannels: this.subscriptions.size };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscriptions.close();
    await this.local.close();
    await this.connection.release();
  }

  private wanted(channel: string): boolean {
    if (this.closed) return false;
    if (channel === this.probeChannel) return true;
    return this.local.localMemberCount(channel.slice(this.groupPrefix.length)) > 0;
  }

  private async publish(group: string, payload: Buffer): Promise<void> {
    if (this.closed) throw new LayerPublishError(group, { cause: new Error('layer closed') });
    try {
      await this.connection.publish(this.groupPrefix + group, payload);
      this.counters.published++;
    } catch (error) {
      // Counted and rethrown; the caller decides how to report it (the server's
      // TolerantLayer logs it at most once a second).
      this.counters.publishFailures++;
      throw new LayerPublishError(group, { cause: error });
    }
  }

  private onMessage(message: Buffer, channel: Buffer): void {
    if (isFromOrigin(message, this.origin)) {
      // Our own echo: local members were served at send time. Probes come back here too.
      if (channel.equals(this.probeChannelBytes)) this.onProbe(message);
      return;
    }
    let envelope;
    try {
      envelope = decodeEnvelope(message);
    } catch (error) {
      this.counters.malformed++;
      this.logger.warn({ err: error, channel: channel.toString() }, 'dropped a malformed layer message');
      return;
    }
    const name = channel.toString('utf8');
    if (!name.startsWith(this.groupPrefix)) return;
    this.counters.received++;
    this.local.deliverLocal(name.slice(this.groupPrefix.length), envelope.frame, undefined, envelope.exceptUser);
  }

  private onProbe(message: Buffer): void {
    const token = decodeEnvelope(message).frame.toString('hex');
    this.probes.get(token)?.();
  }

  private async probe(): Promise<boolean> {
    const tokenBytes = randomBytes(8);
    const token = tokenBytes.toString('hex');
    let timer: NodeJS.Timeout | undefined;
    const received = new Promise<boolean>((resolve) => {
      this.probes.set(token, () => resolve(true));
      timer = setTimeout(() => resolve(false), this.probeTimeoutMs);
    });
    try {
      await this.connection.publish(this.probeChannel, encodeEnvelope(this.origin, tokenBytes));
      return await received;
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
      this.probes.delete(token);
    }
  }
}
