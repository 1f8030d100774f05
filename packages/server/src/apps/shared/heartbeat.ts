/**
 * Seed 002 endpoints (blog, analytics dashboard) push `{"type":"heartbeat"}` every
 * `heartbeatIntervalMs`. One timer per owner for all of its connections on this
 * instance, one encoded frame per tick.
 */
import { encodeMessage } from '../../core/frame.js';
import type { LayerMember } from '../../layer/types.js';

export class Heartbeat {
  private readonly members = new Set<LayerMember>();
  private timer: NodeJS.Timeout | undefined;

  add(member: LayerMember): void {
    this.members.add(member);
  }

  delete(member: LayerMember): void {
    this.members.delete(member);
  }

  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.beat(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.members.clear();
  }

  private beat(): void {
    if (this.members.size === 0) return;
    const frame = encodeMessage({ type: 'heartbeat' });
    for (const member of this.members) member.deliver(frame);
  }
}
