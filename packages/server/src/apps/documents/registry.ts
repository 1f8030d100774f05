/**
 * The Y.Docs open on this instance: one LiveDocument per document with Yjs clients
 * here, created on the first connection and released after the last one leaves. One
 * shared timer (started with the app) persists dirty replicas, debounced; the last
 * disconnect and the app's stop persist too.
 */
import type { ServerContext } from '../../core/context.js';
import type { KeyedLock } from './keyed-lock.js';
import { LiveDocument } from './live-document.js';

export interface PersistTiming {
  /** How often the shared timer looks for replicas to store. */
  tickMs: number;
  /** Store once the replica had no edit for this long… */
  debounceMs: number;
  /** …or once its oldest unstored edit is this old, whatever the typing. */
  maxDelayMs: number;
}

export const DEFAULT_PERSIST_TIMING: PersistTiming = { tickMs: 250, debounceMs: 1000, maxDelayMs: 5000 };

export class YDocRegistry {
  private readonly live = new Map<string, LiveDocument>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private stopped = false;

  constructor(
    private readonly locks: KeyedLock,
    private readonly timing: PersistTiming,
  ) {}

  /** The replica of `documentId`, loaded on first use; pair every acquire with a release. */
  async acquire(host: ServerContext, documentId: string): Promise<LiveDocument> {
    let entry = this.live.get(documentId);
    if (!entry) {
      const created = new LiveDocument(documentId, host);
      // Join the relay group before reading the store, so no update stored after the
      // read can be missed (one that arrives before the base is applied waits as pending).
      created.ready = host.layer
        .groupAdd(created.group, created)
        .then(() => this.locks.run(documentId, () => created.load()));
      created.ready.catch(() => this.evict(created));
      this.live.set(documentId, created);
      entry = created;
    }
    entry.refs++;
    try {
      await entry.ready;
    } catch (error) {
      entry.refs--;
      throw error;
    }
    return entry;
  }

  async release(entry: LiveDocument): Promise<void> {
    entry.refs--;
    if (entry.refs > 0) return;
    if (!this.stopped) await this.persist(entry);
    // A failed store keeps the replica (and its edits) for the timer to retry.
    if (entry.refs === 0 && !entry.dirty) await this.evict(entry);
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.timing.tickMs);
    this.timer.unref();
  }

  /** Stops the timer and stores every dirty replica; later releases store nothing. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.live.values()].map((entry) => this.persist(entry)));
    await this.locks.idle();
    this.stopped = true;
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      const now = Date.now();
      for (const entry of [...this.live.values()]) {
        if (entry.isDue(now, this.timing.debounceMs, this.timing.maxDelayMs)) await this.persist(entry);
        if (entry.refs === 0 && !entry.dirty) await this.evict(entry);
      }
    } finally {
      this.ticking = false;
    }
  }

  private async persist(entry: LiveDocument): Promise<void> {
    try {
      await this.locks.run(entry.documentId, () => entry.persist());
    } catch (error) {
      entry.host.logger.error({ err: error, document: entry.documentId }, 'storing the yjs document failed');
    }
  }

  private async evict(entry: LiveDocument): Promise<void> {
    if (this.live.get(entry.documentId) !== entry) return;
    this.live.delete(entry.documentId);
    try {
      await entry.host.layer.groupDiscard(entry.group, entry);
    } catch (error) {
      entry.host.logger.warn({ err: error, document: entry.documentId }, 'leaving the yjs relay group failed');
    }
    entry.destroy();
  }
}
