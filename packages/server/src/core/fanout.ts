/**
 * The channel layer as the server hands it to apps: a failed cross-instance publish
 * (Redis down) is logged and counted instead of failing the caller. By the time an app
 * publishes, anything durable is committed and local members already have the frame;
 * clients on other instances backfill from the database, and /health reports the
 * layer as degraded meanwhile. Turning that into a 500 or an `internal_error` would
 * tell a client its committed write failed.
 */
import type { Logger } from 'pino';
import type { ChannelLayer, GroupSendOptions, LayerMember, LayerStatus } from '../layer/types.js';

const LOG_EVERY_MS = 1000;

export class TolerantLayer implements ChannelLayer {
  /** Cross-instance publishes that failed since start. */
  failedPublishes = 0;
  private lastLoggedAt = 0;

  constructor(
    readonly inner: ChannelLayer,
    private readonly logger: Logger,
  ) {}

  private failed(error: unknown, group: string): void {
    this.failedPublishes++;
    const now = Date.now();
    if (now - this.lastLoggedAt < LOG_EVERY_MS) return;
    this.lastLoggedAt = now;
    this.logger.warn({ err: error, group, failedPublishes: this.failedPublishes }, 'fan-out to other instances failed');
  }

  groupAdd(group: string, member: LayerMember): Promise<void> {
    return this.inner.groupAdd(group, member);
  }

  groupDiscard(group: string, member: LayerMember): Promise<void> {
    return this.inner.groupDiscard(group, member);
  }

  groupSend(group: string, frame: Buffer, options?: GroupSendOptions): Promise<void> {
    return this.inner.groupSend(group, frame, options).catch((error: unknown) => this.failed(error, group));
  }

  sendToUser(userId: string, frame: Buffer): Promise<void> {
    return this.inner.sendToUser(userId, frame).catch((error: unknown) => this.failed(error, `user:${userId}`));
  }

  localMemberCount(group: string): number {
    return this.inner.localMemberCount(group);
  }

  status(): Promise<LayerStatus> {
    return this.inner.status();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
