/**
 * Per-instance figures that no shared store holds (page views, message rates): every
 * instance publishes its own to one channel-layer group every tick, and every instance
 * keeps the latest report of each, dropping instances silent for longer than the
 * timeout. The layer carries opaque frames, so a report is a small JSON buffer read by
 * this LayerMember, never a WebSocket frame, and never reaches a client.
 */
import type { LayerMember } from '../../layer/types.js';
import { INTERNAL_GROUP_PREFIX } from '../../core/control.js';

export const INSTANCES_GROUP = `${INTERNAL_GROUP_PREFIX}analytics:instances`;

/** Bound on remembered instances, whatever arrives on the group. */
const MAX_INSTANCES = 1000;
const REPORT_VERSION = 1;

export interface InstanceReport {
  instanceId: string;
  pageViewsLastMinute: number;
  messagesPerSecond: number;
}

interface Received {
  report: InstanceReport;
  /** Local clock: liveness never depends on another machine's clock. */
  receivedAt: number;
}

export function encodeReport(report: InstanceReport): Buffer {
  return Buffer.from(
    JSON.stringify({
      v: REPORT_VERSION,
      instance_id: report.instanceId,
      page_views_last_minute: report.pageViewsLastMinute,
      messages_per_second: report.messagesPerSecond,
    }),
  );
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/** The report in `frame`, or undefined for anything else (it is ignored). */
export function decodeReport(frame: Buffer): InstanceReport | undefined {
  let value: unknown;
  try {
    value = JSON.parse(frame.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const fields = value as Record<string, unknown>;
  const instanceId = fields.instance_id;
  if (fields.v !== REPORT_VERSION || typeof instanceId !== 'string' || instanceId === '' || instanceId.length > 255) return undefined;
  if (!isCount(fields.page_views_last_minute) || !isCount(fields.messages_per_second)) return undefined;
  return { instanceId, pageViewsLastMinute: fields.page_views_last_minute, messagesPerSecond: fields.messages_per_second };
}

/** Negative ids: never equal to a connection id, so a layer `except` can never skip this member. */
let nextMemberId = -1;

export class InstanceReports implements LayerMember {
  readonly id = nextMemberId--;
  readonly userId = '';
  private readonly latest = new Map<string, Received>();

  /** A frame from the group: another instance's report (or this one's, echoed). */
  deliver(frame: Buffer): void {
    const report = decodeReport(frame);
    if (report) this.record(report);
  }

  record(report: InstanceReport, now = Date.now()): void {
    if (!this.latest.has(report.instanceId) && this.latest.size >= MAX_INSTANCES) return;
    this.latest.set(report.instanceId, { report, receivedAt: now });
  }

  /** Reports of instances heard from within `timeoutMs`; older ones are forgotten. */
  live(timeoutMs: number, now = Date.now()): InstanceReport[] {
    const result: InstanceReport[] = [];
    for (const [instanceId, received] of this.latest) {
      if (now - received.receivedAt > timeoutMs) this.latest.delete(instanceId);
      else result.push(received.report);
    }
    return result;
  }

  clear(): void {
    this.latest.clear();
  }
}
