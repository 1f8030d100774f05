/**
 * The users a channel's presence list is drawn from (its workspace's members, or a
 * private channel's members), cached for a few seconds per channel: a reconnect storm
 * into one channel then costs one membership query, not one per connection. Member
 * changes made through this instance drop the affected entries at once; changes made
 * elsewhere show up within the TTL (presence is best-effort by design).
 */
import type { Store } from '../../store/store.js';
import type { Channel } from '../../store/workspaces.js';

const AUDIENCE_TTL_MS = 5000;
/** Past this many cached channels, expired entries are pruned before adding another. */
const PRUNE_ABOVE = 1000;

interface Entry {
  workspaceId: string;
  expiresAt: number;
  userIds: Promise<string[]>;
}

export class AudienceCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly store: Store) {}

  get(channel: Channel): Promise<string[]> {
    const now = Date.now();
    const cached = this.entries.get(channel.id);
    if (cached && cached.expiresAt > now) return cached.userIds;
    if (this.entries.size >= PRUNE_ABOVE) this.prune(now);
    const entry: Entry = {
      workspaceId: channel.workspaceId,
      expiresAt: now + AUDIENCE_TTL_MS,
      userIds: this.store.workspaces.channelAudience(channel),
    };
    this.entries.set(channel.id, entry);
    // A failed query must not be served from the cache.
    entry.userIds.catch(() => {
      if (this.entries.get(channel.id) === entry) this.entries.delete(channel.id);
    });
    return entry.userIds;
  }

  /** Workspace membership changed: every channel of it may have a new audience. */
  forgetWorkspace(workspaceId: string): void {
    for (const [channelId, entry] of this.entries) if (entry.workspaceId === workspaceId) this.entries.delete(channelId);
  }

  forgetChannel(channelId: string): void {
    this.entries.delete(channelId);
  }

  private prune(now: number): void {
    for (const [channelId, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(channelId);
  }
}
