/**
 * Who is notified of a ticket change, and with what (seed 003, PROTOCOL.md §5):
 * - `ticket_assigned` to a new assignee, unless they assigned themselves;
 * - `status_changed` to the reporter and the assignee, never to the user who changed it;
 * - `mention` to each project member named in a comment, once, never to its author.
 * Pure functions: the service persists and pushes what they return.
 */
import type { NotificationInput } from '@switchboard/protocol';
import type { Ticket, TicketComment } from '../../store/projects.js';

export interface Actor {
  id: string;
  username: string;
}

export interface PlannedNotification {
  userId: string;
  input: NotificationInput;
}

/** Notification `message` text holds at most this much of a comment. */
const EXCERPT_LENGTH = 200;

function excerpt(text: string): string {
  return text.length <= EXCERPT_LENGTH ? text : `${text.slice(0, EXCERPT_LENGTH - 1)}…`;
}

function assigned(ticket: Ticket, actor: Actor): PlannedNotification {
  return {
    userId: ticket.assigneeId!,
    input: {
      notification_type: 'ticket_assigned',
      title: 'Ticket Assigned',
      message: `You were assigned to ticket "${ticket.title}" by ${actor.username}`,
      icon: 'ticket',
      color: 'blue',
      data: { ticket_id: ticket.id, project_id: ticket.projectId, title: ticket.title, status: ticket.status, assigned_by: actor.username },
    },
  };
}

function statusChanged(userId: string, before: Ticket, after: Ticket, actor: Actor): PlannedNotification {
  return {
    userId,
    input: {
      notification_type: 'status_changed',
      title: 'Ticket Status Changed',
      message: `${actor.username} moved ticket "${after.title}" from ${before.status} to ${after.status}`,
      icon: 'sync',
      color: 'orange',
      data: {
        ticket_id: after.id,
        project_id: after.projectId,
        title: after.title,
        old_status: before.status,
        new_status: after.status,
        changed_by: actor.username,
      },
    },
  };
}

/** For a new ticket: its assignee, when someone else assigned them. */
export function creationNotifications(ticket: Ticket, actor: Actor): PlannedNotification[] {
  return ticket.assigneeId !== null && ticket.assigneeId !== actor.id ? [assigned(ticket, actor)] : [];
}

/** For an update from `before` to `after` by `actor`. */
export function updateNotifications(before: Ticket, after: Ticket, actor: Actor): PlannedNotification[] {
  const planned: PlannedNotification[] = [];
  if (after.assigneeId !== null && after.assigneeId !== before.assigneeId && after.assigneeId !== actor.id) {
    planned.push(assigned(after, actor));
  }
  if (after.status !== before.status) {
    const recipients = new Set([after.reporterId, after.assigneeId]);
    recipients.delete(actor.id);
    for (const userId of recipients) if (userId !== null) planned.push(statusChanged(userId, before, after, actor));
  }
  return planned;
}

/** For a comment on `ticket` mentioning `userIds` (already resolved to project members). */
export function mentionNotifications(ticket: Ticket, comment: TicketComment, userIds: readonly string[], actor: Actor): PlannedNotification[] {
  return [...new Set(userIds)]
    .filter((userId) => userId !== actor.id)
    .map((userId) => ({
      userId,
      input: {
        notification_type: 'mention',
        title: 'You were mentioned',
        message: `${actor.username} mentioned you on ticket "${ticket.title}": ${excerpt(comment.content)}`,
        icon: 'message',
        color: 'purple',
        data: { ticket_id: ticket.id, project_id: ticket.projectId, comment_id: comment.id, title: ticket.title, mentioned_by: actor.username },
      },
    }));
}
