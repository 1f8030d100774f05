/**
 * Writes connection records off the hot path: the connection listeners only append the
 * event to an array; one shared timer writes the buffer in a single transaction of
 * multi-row statements, and refreshes this instance's heartbeat.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ConnectionEvent, ServerContext } from '../../core/context.js';
import type { ConnectionRecordRepository, InstanceInfo, NewConnectionRecord, RecordClose } from '../../store/connections.js';
import type { ResolvedOperationsOptions } from './options.js';

export class ConnectionRecorder {
  private opens: ConnectionEvent[] = [];
  private closes: ConnectionEvent[] = [];
  private dropped = 0;
  private timer: NodeJS.Timeout | undefined;
  /** The flush in progress; flushes never overlap, so a close is written after its open. */
  private flushing: Promise<void> | undefined;
  private lastHeartbeatAt = 0;
  private readonly unsubscribe: Array<() => void> = [];
  /**
   * The first 20 hex digits of a random UUID: a record's id is this prefix plus its
   * connection id, so the id is known again at close time without a per-connection map.
   */
  private readonly idPrefix = randomUUID().slice(0, 24);

  constructor(
    private readonly records: ConnectionRecordRepository,
    private readonly instance: InstanceInfo,
    private readonly logger: Logger,
    private readonly options: ResolvedOperationsOptions,
  ) {}

  /** Subscribes to connection events (before the server listens, so none is missed). */
  listen(context: ServerContext): void {
    this.unsubscribe.push(
      context.onConnectionEvent('open', (event) => this.buffer(this.opens, event)),
      context.onConnectionEvent('close', (event) => this.buffer(this.closes, event)),
    );
  }

  /** Runs on the connect and close paths: O(1), no I/O. */
  private buffer(into: ConnectionEvent[], event: ConnectionEvent): void {
    if (this.opens.length + this.closes.length >= this.options.maxBufferedEvents) {
      this.dropped++;
      return;
    }
    into.push(event);
  }

  /**
   * Announces the instance, closes the records a crash of this instance id left open
   * (disconnected now, close code unknown), then starts the flush timer.
   */
  async start(): Promise<void> {
    const now = new Date().toISOString();
    await this.records.heartbeat(this.instance, now);
    this.lastHeartbeatAt = Date.now();
    const recovered = await this.records.closeOpenOfInstance(this.instance.instanceId, now);
    if (recovered > 0) {
      this.logger.warn({ records: recovered, instance: this.instance.instanceId }, 'closed connection records left open by an earlier run of this instance');
    }
    this.timer = setInterval(() => this.tick(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  private tick(): void {
    // A slow database: skip this tick; the next flush takes everything buffered meanwhile.
    if (this.flushing) return;
    this.flushing = this.flushAndHeartbeat().finally(() => {
      this.flushing = undefined;
    });
  }

  private async flushAndHeartbeat(): Promise<void> {
    await this.flush();
    if (Date.now() - this.lastHeartbeatAt < this.options.heartbeatIntervalMs) return;
    try {
      await this.records.heartbeat(this.instance, new Date().toISOString());
      this.lastHeartbeatAt = Date.now();
    } catch (error) {
      this.logger.error({ err: error }, 'instance heartbeat failed');
    }
  }

  private recordId(connectionId: number): string {
    return this.idPrefix + connectionId.toString(16).padStart(12, '0');
  }

  /** Writes everything buffered; on failure the events stay buffered for the next flush. */
  private async flush(): Promise<void> {
    if (this.dropped > 0) {
      this.logger.warn({ dropped: this.dropped }, 'connection events dropped: record buffer full (database unreachable?)');
      this.dropped = 0;
    }
    if (this.opens.length === 0 && this.closes.length === 0) return;
    const opens = this.opens;
    const closes = this.closes;
    this.opens = [];
    this.closes = [];
    const inserts = new Map<number, NewConnectionRecord>();
    for (const event of opens) {
      inserts.set(event.connectionId, {
        id: this.recordId(event.connectionId),
        connection_id: event.connectionId,
        user_id: event.userId,
        route: event.route,
        params: JSON.stringify(event.params),
        instance_id: this.instance.instanceId,
        connected_at: event.at.toISOString(),
        disconnected_at: null,
        close_code: null,
      });
    }
    const updates: RecordClose[] = [];
    for (const event of closes) {
      const disconnectedAt = event.at.toISOString();
      const closeCode = event.code ?? null;
      const row = inserts.get(event.connectionId);
      // Opened and closed within one batch: insert the finished record, no update.
      if (row) {
        row.disconnected_at = disconnectedAt;
        row.close_code = closeCode;
      } else {
        updates.push({ id: this.recordId(event.connectionId), disconnectedAt, closeCode });
      }
    }
    try {
      await this.records.write([...inserts.values()], updates);
    } catch (error) {
      this.logger.error({ err: error, records: inserts.size, closes: updates.length }, 'writing connection records failed; retrying with the next batch');
      this.opens = opens.concat(this.opens);
      this.closes = closes.concat(this.closes);
    }
  }

  /**
   * Writes what is left, closes the records whose close was never seen (connections cut
   * at the shutdown deadline) and removes the heartbeat row. Never throws: a failure
   * here must not stop the server from closing its other resources.
   */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    // Close events of the last connections are emitted one turn after they leave the
    // connection set; let them arrive.
    await new Promise((resolve) => setImmediate(resolve));
    for (const off of this.unsubscribe.splice(0)) off();
    try {
      await this.flushing;
      await this.flush();
      await this.records.closeOpenOfInstance(this.instance.instanceId, new Date().toISOString());
      await this.records.removeInstance(this.instance.instanceId);
    } catch (error) {
      this.logger.error({ err: error }, 'final write of connection records failed');
    }
  }
}
