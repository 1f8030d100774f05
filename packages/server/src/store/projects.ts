/**
 * Projects, their members, tickets and ticket comments (seed 003). Access rule shared
 * by every project endpoint: only members of a project see it, its tickets and their
 * comments. Ids that are not UUIDs never reach the database.
 *
 * Ticket updates read the previous state and write the new one in one transaction,
 * with the row locked on PostgreSQL (SQLite transactions are serialized anyway), so
 * two concurrent updates each see the state the other left: every status change and
 * every assignment is reported exactly once.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { TicketStatus } from '@switchboard/protocol';
import { MonotonicClock } from './paging.js';
import type { Database } from './schema.js';
import type { ProjectsTable, TicketCommentsTable, TicketsTable } from './schema-projects.js';
import type { Dialect } from './store.js';
import { UUID_PATTERN } from './workspaces.js';

export interface Project {
  id: string;
  name: string;
  ownerId: string;
  createdAt: string;
}

export interface ProjectMember {
  userId: string;
  /** The stored username; the user id for members without a users row (external token issuers). */
  username: string;
  name: string;
  role: string;
  joinedAt: string;
}

export interface Ticket {
  id: string;
  projectId: string;
  title: string;
  description: string;
  status: TicketStatus;
  reporterId: string;
  assigneeId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TicketComment {
  id: string;
  ticketId: string;
  authorId: string;
  authorUsername: string;
  content: string;
  createdAt: string;
}

/** A ticket before the store assigns its id and timestamps. */
export type NewTicket = Omit<Ticket, 'id' | 'createdAt' | 'updatedAt'>;

export interface TicketChanges {
  title?: string;
  description?: string;
  status?: TicketStatus;
  /** null unassigns. */
  assigneeId?: string | null;
}

export interface TicketUpdate {
  before: Ticket;
  after: Ticket;
  /** False when every given field already had its value: nothing was written. */
  changed: boolean;
}

interface TicketQuery {
  status?: TicketStatus;
  assigneeId?: string;
  limit: number;
  offset: number;
}

export interface PageQuery {
  limit: number;
  offset: number;
}

function toProject(row: ProjectsTable): Project {
  return { id: row.id, name: row.name, ownerId: row.owner_id, createdAt: row.created_at };
}

function toTicket(row: TicketsTable): Ticket {
  return {
    id: row.id,
    projectId: row.project_id,
    title: row.title,
    description: row.description,
    status: row.status as TicketStatus,
    reporterId: row.reporter_id,
    assigneeId: row.assignee_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toComment(row: TicketCommentsTable): TicketComment {
  return {
    id: row.id,
    ticketId: row.ticket_id,
    authorId: row.author_id,
    authorUsername: row.author_username,
    content: row.content,
    createdAt: row.created_at,
  };
}

export class ProjectRepository {
  /** Rows written within one millisecond keep their order. */
  private readonly clock = new MonotonicClock();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  // ---- projects and members ----

  /** Creates a project; the creator is its owner and first member. */
  async createProject(name: string, ownerId: string): Promise<Project> {
    const now = this.clock.now();
    const row: ProjectsTable = { id: randomUUID(), name, owner_id: ownerId, created_at: now };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('projects').values(row).execute();
      await trx.insertInto('project_members').values({ project_id: row.id, user_id: ownerId, role: 'owner', joined_at: now }).execute();
    });
    return toProject(row);
  }

  /**
   * The project when `userId` is one of its members; otherwise undefined, whether or
   * not it exists (callers answer 4003/404 alike).
   */
  async memberProject(projectId: string, userId: string): Promise<Project | undefined> {
    if (!UUID_PATTERN.test(projectId)) return undefined;
    const row = await this.db
      .selectFrom('projects')
      .innerJoin('project_members', 'project_members.project_id', 'projects.id')
      .selectAll('projects')
      .where('projects.id', '=', projectId)
      .where('project_members.user_id', '=', userId)
      .executeTakeFirst();
    return row && toProject(row);
  }

  async listForUser(userId: string): Promise<Project[]> {
    const rows = await this.db
      .selectFrom('projects')
      .innerJoin('project_members', 'project_members.project_id', 'projects.id')
      .selectAll('projects')
      .where('project_members.user_id', '=', userId)
      .orderBy('projects.created_at')
      .orderBy('projects.id')
      .execute();
    return rows.map(toProject);
  }

  /** Adds a member; false when already a member. */
  async addMember(projectId: string, userId: string, role = 'member'): Promise<boolean> {
    const result = await this.db
      .insertInto('project_members')
      .values({ project_id: projectId, user_id: userId, role, joined_at: this.clock.now() })
      .onConflict((oc) => oc.columns(['project_id', 'user_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async isMember(projectId: string, userId: string): Promise<boolean> {
    if (!UUID_PATTERN.test(projectId)) return false;
    const row = await this.db
      .selectFrom('project_members')
      .select('user_id')
      .where('project_id', '=', projectId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Members in the order they joined, with their usernames. */
  async members(projectId: string): Promise<ProjectMember[]> {
    const rows = await this.db
      .selectFrom('project_members')
      .leftJoin('users', 'users.id', 'project_members.user_id')
      .select(['project_members.user_id', 'project_members.role', 'project_members.joined_at', 'users.username', 'users.name'])
      .where('project_members.project_id', '=', projectId)
      .orderBy('project_members.joined_at')
      .orderBy('project_members.user_id')
      .execute();
    return rows.map((row) => ({
      userId: row.user_id,
      username: row.username ?? row.user_id,
      name: row.name ?? row.username ?? row.user_id,
      role: row.role,
      joinedAt: row.joined_at,
    }));
  }

  /** The members of the project among the users with these usernames (exact, case-sensitive match). */
  async membersByUsername(projectId: string, usernames: readonly string[]): Promise<Array<{ id: string; username: string }>> {
    if (usernames.length === 0) return [];
    return this.db
      .selectFrom('users')
      .innerJoin('project_members', 'project_members.user_id', 'users.id')
      .select(['users.id', 'users.username'])
      .where('project_members.project_id', '=', projectId)
      .where('users.username', 'in', [...usernames])
      .execute();
  }

  // ---- tickets ----

  async createTicket(input: NewTicket): Promise<Ticket> {
    const now = this.clock.now();
    const row: TicketsTable = {
      id: randomUUID(),
      project_id: input.projectId,
      title: input.title,
      description: input.description,
      status: input.status,
      reporter_id: input.reporterId,
      assignee_id: input.assigneeId,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('tickets').values(row).execute();
    return toTicket(row);
  }

  async findTicket(id: string): Promise<Ticket | undefined> {
    if (!UUID_PATTERN.test(id)) return undefined;
    const row = await this.db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toTicket(row);
  }

  /** Newest first. */
  async listTickets(projectId: string, query: TicketQuery): Promise<Ticket[]> {
    let select = this.db.selectFrom('tickets').selectAll().where('project_id', '=', projectId);
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    if (query.assigneeId !== undefined) select = select.where('assignee_id', '=', query.assigneeId);
    const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit).offset(query.offset).execute();
    return rows.map(toTicket);
  }

  /** Applies `changes`; undefined when the ticket no longer exists. */
  async updateTicket(id: string, changes: TicketChanges): Promise<TicketUpdate | undefined> {
    if (!UUID_PATTERN.test(id)) return undefined;
    return this.db.transaction().execute(async (trx) => {
      const current = await this.lockTicket(trx, id, 'update');
      if (!current) return undefined;
      const before = toTicket(current);
      const set: Partial<TicketsTable> = {};
      if (changes.title !== undefined && changes.title !== before.title) set.title = changes.title;
      if (changes.description !== undefined && changes.description !== before.description) set.description = changes.description;
      if (changes.status !== undefined && changes.status !== before.status) set.status = changes.status;
      if (changes.assigneeId !== undefined && changes.assigneeId !== before.assigneeId) set.assignee_id = changes.assigneeId;
      if (Object.keys(set).length === 0) return { before, after: before, changed: false };
      set.updated_at = this.clock.now();
      await trx.updateTable('tickets').set(set).where('id', '=', id).execute();
      return { before, after: toTicket({ ...current, ...set }), changed: true };
    });
  }

  /** Deletes the ticket (its comments cascade); returns what was deleted, undefined when it was already gone. */
  async deleteTicket(id: string): Promise<Ticket | undefined> {
    if (!UUID_PATTERN.test(id)) return undefined;
    return this.db.transaction().execute(async (trx) => {
      const current = await this.lockTicket(trx, id, 'update');
      if (!current) return undefined;
      await trx.deleteFrom('tickets').where('id', '=', id).execute();
      return toTicket(current);
    });
  }

  // ---- comments ----

  /** Stores a comment; undefined when the ticket no longer exists. */
  async addComment(ticketId: string, author: { id: string; username: string }, content: string): Promise<TicketComment | undefined> {
    if (!UUID_PATTERN.test(ticketId)) return undefined;
    return this.db.transaction().execute(async (trx) => {
      // Locked for share: a concurrent delete waits, so the insert never hits a vanished ticket.
      if (!(await this.lockTicket(trx, ticketId, 'share'))) return undefined;
      const row: TicketCommentsTable = {
        id: randomUUID(),
        ticket_id: ticketId,
        author_id: author.id,
        author_username: author.username,
        content,
        created_at: this.clock.now(),
      };
      await trx.insertInto('ticket_comments').values(row).execute();
      return toComment(row);
    });
  }

  /** Oldest first. */
  async listComments(ticketId: string, page: PageQuery): Promise<TicketComment[]> {
    const rows = await this.db
      .selectFrom('ticket_comments')
      .selectAll()
      .where('ticket_id', '=', ticketId)
      .orderBy('created_at')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map(toComment);
  }

  private lockTicket(trx: Transaction<Database>, id: string, mode: 'update' | 'share'): Promise<TicketsTable | undefined> {
    return trx
      .selectFrom('tickets')
      .selectAll()
      .where('id', '=', id)
      // SQLite has no row locks (and no FOR UPDATE syntax): its write transactions are serialized.
      .$if(this.dialect === 'postgres' && mode === 'update', (qb) => qb.forUpdate())
      .$if(this.dialect === 'postgres' && mode === 'share', (qb) => qb.forShare())
      .executeTakeFirst();
  }
}
