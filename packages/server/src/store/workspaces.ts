/**
 * Workspaces, their members, channels and channel members: the access rules every
 * workspace endpoint shares (PROTOCOL.md §2): a public channel is open to members of
 * its workspace, a private channel only to its own members.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ChannelsTable, Database, WorkspacesTable } from './schema.js';

export type ChannelType = 'public' | 'private';

export interface Workspace {
  id: string;
  name: string;
  createdBy: string;
  createdAt: string;
}

export interface Channel {
  id: string;
  workspaceId: string;
  name: string;
  type: ChannelType;
  createdBy: string;
  createdAt: string;
  lastSeq: number;
}

function toWorkspace(row: WorkspacesTable): Workspace {
  return { id: row.id, name: row.name, createdBy: row.created_by, createdAt: row.created_at };
}

function toChannel(row: ChannelsTable): Channel {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    name: row.name,
    type: row.type as ChannelType,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastSeq: Number(row.last_seq),
  };
}

/** Ids are UUIDs; anything else can never match a row (and must not reach PostgreSQL's uuid parsing). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class WorkspaceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(name: string, creatorId: string): Promise<Workspace> {
    const now = new Date().toISOString();
    const row: WorkspacesTable = { id: randomUUID(), name, created_by: creatorId, created_at: now };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('workspaces').values(row).execute();
      await trx.insertInto('workspace_members').values({ workspace_id: row.id, user_id: creatorId, role: 'owner', joined_at: now }).execute();
    });
    return toWorkspace(row);
  }

  async find(id: string): Promise<Workspace | undefined> {
    if (!UUID_PATTERN.test(id)) return undefined;
    const row = await this.db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toWorkspace(row);
  }

  async listForUser(userId: string): Promise<Workspace[]> {
    const rows = await this.db
      .selectFrom('workspaces')
      .innerJoin('workspace_members', 'workspace_members.workspace_id', 'workspaces.id')
      .selectAll('workspaces')
      .where('workspace_members.user_id', '=', userId)
      // created_at can tie within a millisecond; the id keeps the order stable.
      .orderBy('workspaces.created_at')
      .orderBy('workspaces.id')
      .execute();
    return rows.map(toWorkspace);
  }

  /** Adds a member; false when already a member. */
  async addMember(workspaceId: string, userId: string, role = 'member'): Promise<boolean> {
    const result = await this.db
      .insertInto('workspace_members')
      .values({ workspace_id: workspaceId, user_id: userId, role, joined_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(['workspace_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async isMember(workspaceId: string, userId: string): Promise<boolean> {
    if (!UUID_PATTERN.test(workspaceId)) return false;
    const row = await this.db
      .selectFrom('workspace_members')
      .select('user_id')
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async memberIds(workspaceId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('workspace_members').select('user_id').where('workspace_id', '=', workspaceId).execute();
    return rows.map((r) => r.user_id);
  }

  async createChannel(workspaceId: string, name: string, type: ChannelType, creatorId: string): Promise<Channel> {
    const now = new Date().toISOString();
    const row: ChannelsTable = { id: randomUUID(), workspace_id: workspaceId, name, type, created_by: creatorId, created_at: now, last_seq: 0 };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('channels').values(row).execute();
      if (type === 'private') {
        await trx.insertInto('channel_members').values({ channel_id: row.id, user_id: creatorId, joined_at: now }).execute();
      }
    });
    return toChannel(row);
  }

  async findChannel(id: string): Promise<Channel | undefined> {
    if (!UUID_PATTERN.test(id)) return undefined;
    const row = await this.db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toChannel(row);
  }

  async listChannels(workspaceId: string, userId: string): Promise<Channel[]> {
    const rows = await this.db.selectFrom('channels').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
    const channels = rows.map(toChannel);
    const privateIds = channels.filter((c) => c.type === 'private').map((c) => c.id);
    if (privateIds.length === 0) return channels;
    const memberOf = new Set(
      (
        await this.db.selectFrom('channel_members').select('channel_id').where('user_id', '=', userId).where('channel_id', 'in', privateIds).execute()
      ).map((r) => r.channel_id),
    );
    return channels.filter((c) => c.type === 'public' || memberOf.has(c.id));
  }

  async addChannelMember(channelId: string, userId: string): Promise<boolean> {
    const result = await this.db
      .insertInto('channel_members')
      .values({ channel_id: channelId, user_id: userId, joined_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(['channel_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /**
   * The channel when `userId` may use it: public → member of its workspace; private →
   * member of the channel (who must also still belong to the workspace). Otherwise
   * undefined, whether or not it exists (callers answer 4003/404 alike).
   */
  async accessibleChannel(channelId: string, userId: string): Promise<Channel | undefined> {
    const channel = await this.findChannel(channelId);
    if (!channel || !(await this.isMember(channel.workspaceId, userId))) return undefined;
    if (channel.type === 'public') return channel;
    const row = await this.db
      .selectFrom('channel_members')
      .select('user_id')
      .where('channel_id', '=', channelId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? channel : undefined;
  }

  /** Users allowed in a channel: the workspace's members, or the private channel's members. */
  async channelAudience(channel: Channel): Promise<string[]> {
    if (channel.type === 'public') return this.memberIds(channel.workspaceId);
    const rows = await this.db
      .selectFrom('channel_members')
      .innerJoin('workspace_members', (join) =>
        join.onRef('workspace_members.user_id', '=', 'channel_members.user_id').on('workspace_members.workspace_id', '=', channel.workspaceId),
      )
      .select('channel_members.user_id')
      .where('channel_members.channel_id', '=', channel.id)
      .execute();
    return rows.map((r) => r.user_id);
  }
}
