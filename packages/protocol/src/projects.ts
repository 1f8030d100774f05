/**
 * Seed 003 projects and tickets (PROTOCOL.md §5, §8): the `/ws/projects/{id}/tickets/`
 * and `/ws/projects/{id}/presence/` endpoints and the shapes the project, ticket and
 * comment REST routes return.
 */
import type { ServerEnvelope } from './common.js';
import { object, string, type Infer } from './schema.js';

/** Route patterns; a client connects to `projectTicketsPath(id)` / `projectPresencePath(id)`. */
export const PROJECT_TICKETS_PATH = '/ws/projects/:project_id/tickets/';
export const PROJECT_PRESENCE_PATH = '/ws/projects/:project_id/presence/';

export function projectTicketsPath(projectId: string): string {
  return `/ws/projects/${encodeURIComponent(projectId)}/tickets/`;
}

export function projectPresencePath(projectId: string): string {
  return `/ws/projects/${encodeURIComponent(projectId)}/presence/`;
}

/** Ticket workflow states; new tickets start `open`. */
export const TICKET_STATUSES = ['open', 'in_progress', 'review', 'done', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const DEFAULT_TICKET_STATUS: TicketStatus = 'open';

export const MAX_PROJECT_NAME_LENGTH = 100;
export const MAX_TICKET_TITLE_LENGTH = 200;
export const MAX_TICKET_DESCRIPTION_LENGTH = 10_000;
export const MAX_TICKET_COMMENT_LENGTH = 10_000;
/** Distinct `@username` mentions resolved per comment; more are ignored. */
export const MAX_COMMENT_MENTIONS = 50;
/** Page size of ticket and comment listings: at most 200, default 100. */
export const MAX_PROJECT_LIST_LIMIT = 200;
export const DEFAULT_PROJECT_LIST_LIMIT = 100;
/** `presence_state` lists at most this many users. */
export const MAX_PROJECT_PRESENCE_USERS = 1000;

export const PROJECT_UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuid = string({ min: 36, max: 36, pattern: PROJECT_UUID_PATTERN, patternText: 'a UUID' });

/** Client messages of `/ws/projects/{id}/presence/` (the tickets endpoint only answers `ping`). */
export const projectPresenceClientSchemas = {
  view_ticket: object({ ticket_id: uuid }),
};

export type ViewTicket = Infer<typeof projectPresenceClientSchemas.view_ticket>;

// ---- REST shapes (§8) ----

export interface ProjectInfo {
  id: string;
  name: string;
  owner_id: string;
  created_at: string;
}

export interface ProjectMemberInfo {
  user_id: string;
  username: string;
  name: string;
  /** 'owner' | 'member' */
  role: string;
  joined_at: string;
}

export interface TicketInfo {
  id: string;
  project_id: string;
  title: string;
  description: string;
  status: TicketStatus;
  reporter_id: string;
  assignee_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface TicketCommentInfo {
  id: string;
  ticket_id: string;
  author_id: string;
  /** The author's username. */
  author: string;
  content: string;
  created_at: string;
  /** Users notified of a mention by this comment (returned when it is created). */
  mentioned_user_ids?: string[];
}

// ---- server → client ----

export type TicketAction = 'created' | 'updated' | 'deleted';

/** Seed 003's `ticket_update` data, plus `project_id`, `assignee_id` and `updated_at`. */
export interface TicketUpdateData {
  ticket_id: string;
  title: string;
  status: TicketStatus;
  /** The acting user's username. */
  updated_by: string;
  project_id: string;
  assignee_id: string | null;
  updated_at: string;
}

export interface TicketUpdateMessage extends ServerEnvelope {
  type: 'ticket_update';
  action: TicketAction;
  data: TicketUpdateData;
}

/** A comment was added to a ticket of the project (an addition: the seed broadcasts comments without naming the message). */
export interface TicketCommentAddedMessage extends ServerEnvelope {
  type: 'comment_added';
  data: Omit<TicketCommentInfo, 'mentioned_user_ids'> & { project_id: string };
}

export type ProjectTicketsServerMessage = TicketUpdateMessage | TicketCommentAddedMessage;

export interface ProjectPresenceUser {
  user_id: string;
  username: string;
}

export interface PresenceStateMessage extends ServerEnvelope {
  type: 'presence_state';
  users: ProjectPresenceUser[];
}

export interface UserStatusMessage extends ServerEnvelope {
  type: 'user_status';
  action: 'joined' | 'left' | 'viewing';
  user_id: string;
  username: string;
  /** Only with `viewing`. */
  ticket_id?: string;
}

export type ProjectPresenceServerMessage = PresenceStateMessage | UserStatusMessage;
