/** In-process channel layer: one instance, no network. */
import { compactAdd, compactDelete, compactSize, type CompactSet } from '../core/compact-set.js';
import { userGroup, type ChannelLayer, type GroupSendOptions, type LayerMember, type LayerStatus } from './types.js';

export class MemoryChannelLayer implements ChannelLayer {
  /** A lone member is stored without a Set: most groups are one user's one connection. */
  private readonly groups = new Map<string, CompactSet<LayerMember>>();

  /** Synchronous core of groupAdd, shared with implementations that add a network hop. */
  addLocal(group: string, member: LayerMember): boolean {
    const members = this.groups.get(group);
    this.groups.set(group, compactAdd(members, member));
    return members === undefined;
  }

  /** Returns true when the group became empty locally. */
  discardLocal(group: string, member: LayerMember): boolean {
    const members = this.groups.get(group);
    if (members === undefined) return false;
    const left = compactDelete(members, member);
    if (left === undefined) {
      this.groups.delete(group);
      return true;
    }
    if (left !== members) this.groups.set(group, left);
    return false;
  }

  deliverLocal(group: string, frame: Buffer, exceptId?: number, exceptUser?: string): void {
    const members = this.groups.get(group);
    if (members === undefined) return;
    if (!(members instanceof Set)) {
      if (members.id !== exceptId && members.userId !== exceptUser) members.deliver(frame);
      return;
    }
    if (exceptId === undefined && exceptUser === undefined) {
      for (const member of members) member.deliver(frame);
      return;
    }
    for (const member of members) {
      if (member.id !== exceptId && member.userId !== exceptUser) member.deliver(frame);
    }
  }

  async groupAdd(group: string, member: LayerMember): Promise<void> {
    this.addLocal(group, member);
  }

  async groupDiscard(group: string, member: LayerMember): Promise<void> {
    this.discardLocal(group, member);
  }

  async groupSend(group: string, frame: Buffer, options?: GroupSendOptions): Promise<void> {
    this.deliverLocal(group, frame, options?.except?.id, options?.exceptUser);
  }

  async sendToUser(userId: string, frame: Buffer): Promise<void> {
    this.deliverLocal(userGroup(userId), frame);
  }

  localMemberCount(group: string): number {
    return compactSize(this.groups.get(group));
  }

  async status(): Promise<LayerStatus> {
    return 'ok';
  }

  async close(): Promise<void> {
    this.groups.clear();
  }
}
