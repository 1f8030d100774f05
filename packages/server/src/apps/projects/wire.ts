/** Store records → the snake_case shapes of PROTOCOL.md §5/§8. */
import type { ProjectInfo, ProjectMemberInfo, TicketCommentInfo, TicketInfo, TicketUpdateData } from '@switchboard/protocol';
import type { Project, ProjectMember, Ticket, TicketComment } from '../../store/projects.js';

export function wireProject(project: Project): ProjectInfo {
  return { id: project.id, name: project.name, owner_id: project.ownerId, created_at: project.createdAt };
}

export function wireMember(member: ProjectMember): ProjectMemberInfo {
  return { user_id: member.userId, username: member.username, name: member.name, role: member.role, joined_at: member.joinedAt };
}

export function wireTicket(ticket: Ticket): TicketInfo {
  return {
    id: ticket.id,
    project_id: ticket.projectId,
    title: ticket.title,
    description: ticket.description,
    status: ticket.status,
    reporter_id: ticket.reporterId,
    assignee_id: ticket.assigneeId,
    created_at: ticket.createdAt,
    updated_at: ticket.updatedAt,
  };
}

export function wireComment(comment: TicketComment): TicketCommentInfo {
  return {
    id: comment.id,
    ticket_id: comment.ticketId,
    author_id: comment.authorId,
    author: comment.authorUsername,
    content: comment.content,
    created_at: comment.createdAt,
  };
}

/** The `data` of `ticket_update`: seed 003's four fields plus project, assignee and time. */
export function ticketUpdateData(ticket: Ticket, updatedBy: string): TicketUpdateData {
  return {
    ticket_id: ticket.id,
    title: ticket.title,
    status: ticket.status,
    updated_by: updatedBy,
    project_id: ticket.projectId,
    assignee_id: ticket.assigneeId,
    updated_at: ticket.updatedAt,
  };
}
