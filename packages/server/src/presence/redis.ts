/**
 * Cluster-wide presence in Redis (see redis-scripts.ts for the data layout).
 *
 * Each process registers its connections per topic under its own registration id and keeps
 * a copy of them in memory. ONE timer per instance (unref'd) refreshes the instance's
 * expiry on every topic where it has connections; a crashed instance stops refreshing
 * and its users vanish from every query once `instanceTtlMs` has passed since its last
 * refresh. `changed` is decided inside the script from the cluster-wide per-user count,
 * so it is true exactly for a user's first connection anywhere (join) and last (leave).
 * Users whose last connection vanished with an expired instance are reported once,
 * cluster-wide, to the onDeparted listeners of the live instance whose heartbeat popped them.
 * While Redis (or a topic's cluster node) is unreachable, answers come from this
 * instance's own connections (local-view.ts) and the reconnect reconciles.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { RedisConnection } from '../layer/redis-connection.js';
import {
  localFilterPresent,
  localMembers,
  localUserConnectionCount,
  localUserCount,
  type LocalConnection,
} from './local-view.js';
import { DROP, JOIN, LEAVE, QUERY, RECONCILE, REFRESH } from './redis-scripts.js';
import type { DepartureListener, Presence, PresenceChange, PresenceMember } from './types.js';

export interface RedisPresenceOptions {
  /** Unique per running instance (default: a random UUID). */
  instanceId?: string;
  /** Prefix of every key (default `sb:`). */
  prefix?: string;
  /** A silent instance's entries expire after this long (default 30 000 ms). */
  instanceTtlMs?: number;
  /** How often the heartbeat runs (default a third of the TTL). */
  heartbeatIntervalMs?: number;
}

export interface RedisPresenceCloseOptions {
  /**
   * Leave this instance's entries in Redis, as a crash would: other instances stop
   * counting them after `instanceTtlMs`. By default close removes them at once.
   */
  keepEntries?: boolean;
}

const CHANGED: PresenceChange = Object.freeze({ changed: true });
const UNCHANGED: PresenceChange = Object.freeze({ changed: false });
/** Topics refreshed concurrently per heartbeat batch (node-redis pipelines them). */
const HEARTBEAT_BATCH = 500;
/** Ids per filterPresent call (Lua's unpack has a stack limit). */
const FILTER_BATCH = 1_000;

export class RedisPresence implements Presence {
  readonly instanceId: string;
  /**
   * This process's name in Redis: the instance id plus a per-process nonce. A process
   * restarted under the same INSTANCE_ID (a supervisor, within the TTL) must not refresh
   * its crashed predecessor's entries, which would keep dead connections present for good
   * and shadow new connections that reuse their ids; those entries expire by TTL instead.
   */
  readonly registrationId: string;
  readonly instanceTtlMs: number;
  private readonly prefix: string;
  private readonly keepMs: string;
  private readonly ttlArg: string;
  /** This instance's connections per topic, the source for heartbeats and re-registration. */
  private readonly topics = new Map<string, Map<string, LocalConnection>>();
  private readonly timer: NodeJS.Timeout;
  private readonly logger: Logger;
  private heartbeatRunning = false;
  /** Redis (re)connected: the next heartbeat replaces this process's entries with its local view. */
  private reconcileDue = false;
  private closed = false;
  private heartbeatFailures = 0;
  /** The local-answers warning was logged since Redis was last ready. */
  private localAnswersLogged = false;
  private readonly departureListeners = new Set<DepartureListener>();

  constructor(
    private readonly connection: RedisConnection,
    options: RedisPresenceOptions = {},
  ) {
    this.instanceId = options.instanceId ?? randomUUID();
    this.registrationId = `${this.instanceId}#${randomUUID()}`;
    this.prefix = options.prefix ?? 'sb:';
    this.instanceTtlMs = options.instanceTtlMs ?? 30_000;
    if (!(this.instanceTtlMs >= 100)) throw new RangeError('instanceTtlMs must be at least 100');
    const intervalMs = options.heartbeatIntervalMs ?? Math.floor(this.instanceTtlMs / 3);
    if (!(intervalMs > 0 && intervalMs < this.instanceTtlMs)) throw new RangeError('heartbeatIntervalMs must be between 0 and instanceTtlMs');
    this.ttlArg = String(this.instanceTtlMs);
    // A topic's keys expire together, well after the TTL: a topic nobody refreshes vanishes whole.
    this.keepMs = String(this.instanceTtlMs * 2 + intervalMs);
    this.logger = connection.logger.child({ component: 'redis-presence' });
    connection.retain();
    this.timer = setInterval(() => void this.heartbeat(), intervalMs);
    this.timer.unref();
    connection.onReady(() => {
      this.reconcileDue = true;
      this.localAnswersLogged = false;
      void this.heartbeat();
    });
  }

  async join(topic: string, member: PresenceMember, connectionId: number): Promise<PresenceChange> {
    const conn = String(connectionId);
    let local = this.topics.get(topic);
    if (!local) {
      local = new Map();
      this.topics.set(topic, local);
    }
    const hadOthers = local.size > (local.has(conn) ? 1 : 0);
    // Recorded before the round trip, so a leave() racing this join wins locally too.
    const entry = { userId: member.userId, userName: member.userName };
    const previous = local.get(conn);
    local.set(conn, entry);
    // During an outage the entry stays local only; the reconcile after the reconnect registers it.
    const firstHere = (): PresenceChange =>
      localUserConnectionCount(this.topics.get(topic), member.userId, conn) === 0 ? CHANGED : UNCHANGED;
    if (this.connection.unreachable && !this.closed) return this.answerLocally(firstHere);
    let changed: number;
    let missing: number;
    try {
      [changed, missing] = await this.run<[number, number]>(JOIN, topic, [
        this.registrationId, this.ttlArg, this.keepMs, conn, member.userId, member.userName,
      ]);
    } catch (error) {
      if (this.lostRedis() && local.get(conn) === entry) return this.answerLocally(firstHere);
      if (local.get(conn) === entry) {
        if (previous) local.set(conn, previous);
        else local.delete(conn);
      }
      if (local.size === 0 && this.topics.get(topic) === local) this.topics.delete(topic);
      throw error;
    }
    // This instance had expired on the topic (a stall): put its other connections back.
    if (missing === 1 && hadOthers) await this.refreshTopic(topic, true);
    return changed === 1 ? CHANGED : UNCHANGED;
  }

  async leave(topic: string, userId: string, connectionId: number): Promise<PresenceChange> {
    const conn = String(connectionId);
    const local = this.topics.get(topic);
    if (local?.get(conn)?.userId === userId) {
      local.delete(conn);
      if (local.size === 0) this.topics.delete(topic);
    }
    return this.orLocal(
      async () => ((await this.run<number>(LEAVE, topic, [this.registrationId, conn, userId])) === 1 ? CHANGED : UNCHANGED),
      () => (localUserConnectionCount(this.topics.get(topic), userId) === 0 ? CHANGED : UNCHANGED),
    );
  }

  members(topic: string, limit = Infinity): Promise<PresenceMember[]> {
    return this.orLocal(async () => {
      const flat = await this.run<string[]>(QUERY, topic, ['members', Number.isFinite(limit) ? String(Math.max(0, Math.floor(limit))) : '-1']);
      const result: PresenceMember[] = [];
      for (let i = 0; i + 1 < flat.length && result.length < limit; i += 2) {
        result.push({ userId: String(flat[i]), userName: String(flat[i + 1]) });
      }
      return result;
    }, () => localMembers(this.topics.get(topic), limit));
  }

  userCount(topic: string): Promise<number> {
    return this.orLocal(
      async () => Number(await this.run<number>(QUERY, topic, ['users'])),
      () => localUserCount(this.topics.get(topic)),
    );
  }

  connectionCount(topic: string): Promise<number> {
    return this.orLocal(
      async () => Number(await this.run<number>(QUERY, topic, ['connections'])),
      () => this.topics.get(topic)?.size ?? 0,
    );
  }

  filterPresent(topic: string, userIds: readonly string[]): Promise<string[]> {
    return this.orLocal(async () => {
      const present: string[] = [];
      for (let start = 0; start < userIds.length; start += FILTER_BATCH) {
        const ids = userIds.slice(start, start + FILTER_BATCH);
        const counts = await this.run<(string | null)[]>(QUERY, topic, ['filter', ...ids]);
        for (let i = 0; i < ids.length; i++) if (counts[i] !== null && counts[i] !== undefined) present.push(ids[i]!);
      }
      return present;
    }, () => localFilterPresent(this.topics.get(topic), userIds));
  }

  userConnectionCount(topic: string, userId: string): Promise<number> {
    return this.orLocal(
      async () => Number(await this.run<number>(QUERY, topic, ['user', userId])),
      () => localUserConnectionCount(this.topics.get(topic), userId),
    );
  }

  /**
   * Asks Redis; while it (or the topic's cluster node) is unreachable, answers from this
   * instance's connections instead, so connects and joins keep working in an outage.
   */
  private async orLocal<T>(query: () => Promise<T>, local: () => T): Promise<T> {
    if (this.connection.unreachable && !this.closed) return this.answerLocally(local);
    try {
      return await query();
    } catch (error) {
      if (this.lostRedis()) return this.answerLocally(local);
      throw error;
    }
  }

  /** A failed call is an outage (not a script or argument error) when Redis is not fully connected. */
  private lostRedis(): boolean {
    return !this.closed && !this.connection.connected;
  }

  private answerLocally<T>(local: () => T): T {
    // Whatever changed meanwhile is written back by the reconcile after the reconnect.
    this.reconcileDue = true;
    if (!this.localAnswersLogged) {
      this.localAnswersLogged = true;
      this.logger.warn("Redis unreachable: presence answers from this instance's connections until it is back");
    }
    return local();
  }

  onDeparted(listener: DepartureListener): () => void {
    this.departureListeners.add(listener);
    return () => this.departureListeners.delete(listener);
  }

  async close(options: RedisPresenceCloseOptions = {}): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    if (!options.keepEntries) {
      const topics = [...this.topics.keys()];
      const results = await Promise.allSettled(topics.map((topic) => this.run(DROP, topic, [this.registrationId])));
      const failed = results.filter((result) => result.status === 'rejected').length;
      if (failed > 0) this.logger.warn({ failed }, 'could not remove presence entries on close; they expire by TTL');
    }
    this.topics.clear();
    await this.connection.release();
  }

  /**
   * Refreshes every topic this instance has connections on; re-registers where it had
   * expired. After a reconnect it reconciles instead (see RECONCILE), until one succeeds.
   */
  private async heartbeat(): Promise<void> {
    if (this.heartbeatRunning || this.closed) return;
    this.heartbeatRunning = true;
    const reconcile = this.reconcileDue;
    this.reconcileDue = false;
    try {
      const topics = [...this.topics.keys()];
      for (let start = 0; start < topics.length && !this.closed; start += HEARTBEAT_BATCH) {
        const batch = topics.slice(start, start + HEARTBEAT_BATCH);
        const results = await Promise.allSettled(batch.map((topic) => (reconcile ? this.reconcileTopic(topic) : this.refreshTopic(topic, false))));
        for (const result of results) {
          if (result.status === 'fulfilled') continue;
          if (reconcile) this.reconcileDue = true;
          this.heartbeatFailures++;
          this.logger.warn({ err: result.reason, failures: this.heartbeatFailures }, 'presence heartbeat failed');
          break; // one line per round: the others failed for the same reason
        }
      }
    } finally {
      this.heartbeatRunning = false;
    }
  }

  private async refreshTopic(topic: string, withConnections: boolean): Promise<void> {
    const args = [this.registrationId, this.ttlArg, this.keepMs];
    if (withConnections) {
      for (const [conn, entry] of this.topics.get(topic) ?? []) args.push(conn, entry.userId, entry.userName);
    }
    const [missing, departed] = await this.run<[number, string[]]>(REFRESH, topic, args);
    if (departed.length > 0) this.emitDeparted(topic, departed);
    if (missing === 1 && !withConnections && this.topics.has(topic)) {
      this.logger.warn({ topic }, 'presence entries of this instance had expired; re-registering');
      await this.refreshTopic(topic, true);
    }
  }

  /** `departed` is flat [userId, userName, ...] as REFRESH returns it. */
  private emitDeparted(topic: string, departed: readonly string[]): void {
    const userIds: string[] = [];
    const userNames: string[] = [];
    for (let i = 0; i + 1 < departed.length; i += 2) {
      userIds.push(String(departed[i]));
      userNames.push(String(departed[i + 1]));
    }
    for (const listener of this.departureListeners) {
      try {
        listener(topic, userIds, userNames);
      } catch (error) {
        this.logger.error({ err: error, topic }, 'presence departure listener failed');
      }
    }
  }

  private async reconcileTopic(topic: string): Promise<void> {
    const args = [this.registrationId, this.ttlArg, this.keepMs];
    for (const [conn, entry] of this.topics.get(topic) ?? []) args.push(conn, entry.userId, entry.userName);
    await this.run<number>(RECONCILE, topic, args);
  }

  private run<T>(script: Parameters<RedisConnection['evalScript']>[0], topic: string, args: string[]): Promise<T> {
    if (this.closed && script !== DROP) return Promise.reject(new Error('presence closed'));
    if (topic.length === 0) return Promise.reject(new TypeError('presence topic must not be empty'));
    // One hash tag per topic: every key of the topic lives in one cluster slot.
    const base = `${this.prefix}p:{${topic}}:`;
    const keys = [`${base}i`, `${base}u`, `${base}n`, `${base}c:${this.registrationId}`, `${base}d`];
    return this.connection.evalScript<T>(script, keys, [`${base}c:`, ...args]);
  }
}
