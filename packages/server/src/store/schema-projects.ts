/**
 * Tables of the projects feature (seed 003: projects, members, tickets, comments).
 * Timestamps are ISO-8601 UTC text, like every other table.
 */

export interface ProjectsTable {
  id: string;
  name: string;
  owner_id: string;
  created_at: string;
}

interface ProjectMembersTable {
  project_id: string;
  user_id: string;
  /** 'owner' | 'member' */
  role: string;
  joined_at: string;
}

export interface TicketsTable {
  id: string;
  project_id: string;
  title: string;
  description: string;
  /** One of TICKET_STATUSES. */
  status: string;
  reporter_id: string;
  assignee_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface TicketCommentsTable {
  id: string;
  ticket_id: string;
  author_id: string;
  /** The author's username when the comment was written (authors of external token issuers may have no users row). */
  author_username: string;
  content: string;
  created_at: string;
}

export interface ProjectsTables {
  projects: ProjectsTable;
  project_members: ProjectMembersTable;
  tickets: TicketsTable;
  ticket_comments: TicketCommentsTable;
}
