/**
 * What the document endpoints of one server share: the per-document write lock and
 * the registry of open Y.Docs with its persistence timer. One per app instance (and
 * so per server), handed to the consumers by the app.
 */
import { KeyedLock } from './keyed-lock.js';
import { DEFAULT_PERSIST_TIMING, YDocRegistry, type PersistTiming } from './registry.js';

export class DocumentHub {
  readonly locks = new KeyedLock();
  readonly registry: YDocRegistry;

  constructor(timing: PersistTiming = DEFAULT_PERSIST_TIMING) {
    this.registry = new YDocRegistry(this.locks, timing);
  }

  start(): void {
    this.registry.start();
  }

  async stop(): Promise<void> {
    await this.registry.stop();
  }
}
