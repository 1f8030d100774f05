/**
 * The channel layer fans encoded frames out to group members, locally (memory) or
 * across instances (Redis). It carries fan-out only: the database is the log.
 */

/** A local connection that can receive frames. */
export interface LayerMember {
  /** Process-unique connection id. */
  readonly id: number;
  readonly userId: string;
  /** Queues a complete WebSocket frame for this connection. */
  deliver(frame: Buffer): void;
}

export interface GroupSendOptions {
  /** A local connection that must not receive this message (e.g. the sender of a typing event). */
  except?: LayerMember;
  /** A user none of whose connections may receive this message. */
  exceptUser?: string;
}

export type LayerStatus = 'ok' | 'degraded' | 'down';

export interface ChannelLayer {
  groupAdd(group: string, member: LayerMember): Promise<void>;
  groupDiscard(group: string, member: LayerMember): Promise<void>;
  /** Delivers `frame` to every member of `group` (on every instance). */
  groupSend(group: string, frame: Buffer, options?: GroupSendOptions): Promise<void>;
  /** Delivers `frame` to every connection of `userId` (on every instance). */
  sendToUser(userId: string, frame: Buffer): Promise<void>;
  /** Members of `group` connected to this instance. */
  localMemberCount(group: string): number;
  status(): Promise<LayerStatus>;
  close(): Promise<void>;
}

/** The group every connection of a user joins, so sendToUser is one groupSend. */
export function userGroup(userId: string): string {
  return `user:${userId}`;
}
