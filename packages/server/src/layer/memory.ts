/** In-process channel layer: one instance, no network. */
import { userGroup, type ChannelLayer, type GroupSendOptions, type LayerMember, type LayerStatus } from './types.js';

export class MemoryChannelLayer implements ChannelLayer {
  private readonly groups = new Map<string, Set<LayerMember>>();

  /** Synchronous core of groupAdd, shared with implementations that add a network hop. */
  addLocal(group: string, member: LayerMember): boolean {
    let members = this.groups.get(group);
    const created = members === undefined;
    if (!members) {
      members = new Set();
      this.groups.set(group, members);
    }
    members.add(member);
    return created;
  }

  /** Returns true when the group became empty locally. */
  discardLocal(group: string, member: LayerMember): boolean {
    const members = this.groups.get(group);
    if (!members) return false;
    members.delete(member);
    if (members.size === 0) {
      this.groups.delete(group);
      return true;
    }
    return false;
  }

  deliverLocal(group: string, frame: Buffer, exceptId?: number, exceptUser?: string): void {
    const members = this.groups.get(group);
    if (!members) return;
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
    return this.groups.get(group)?.size ?? 0;
  }

  async status(): Promise<LayerStatus> {
    return 'ok';
  }

  async close(): Promise<void> {
    this.groups.clear();
  }
}
