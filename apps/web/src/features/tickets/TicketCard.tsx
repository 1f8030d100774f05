import type { BoardTicket, ProjectViewer } from '@switchboard/react';
import { TICKET_STATUSES, type ProjectMemberInfo, type TicketStatus } from '@switchboard/protocol';
import type { ReactNode } from 'react';
import { Avatar } from '../../ui/avatar.js';
import { formatTime } from '../../ui/format.js';
import { TicketComments } from './TicketComments.js';

/** Board columns and the status menu. */
export const STATUS_LABELS: Record<TicketStatus, string> = { open: 'Open', in_progress: 'In progress', review: 'Review', done: 'Done', closed: 'Closed' };

export function TicketCard({ ticket, members, viewers, expanded, onSelect, onSave, onDelete }: {
  ticket: BoardTicket;
  members: readonly ProjectMemberInfo[];
  viewers: readonly ProjectViewer[];
  expanded: boolean;
  onSelect: () => void;
  onSave: (change: { status?: TicketStatus; assignee_id?: string | null }) => void;
  onDelete: () => void;
}): ReactNode {
  const assignee = members.find((member) => member.user_id === ticket.assignee_id);
  return (
    <div
      className={expanded ? 'ticket-card card expanded' : 'ticket-card card'}
      data-testid="ticket-card"
      data-id={ticket.id}
      data-status={ticket.status}
      data-assignee={ticket.assignee_id ?? ''}
      draggable={!expanded}
      onDragStart={(event) => event.dataTransfer.setData('text/plain', ticket.id)}
    >
      <button type="button" className="ticket-title link-button" data-testid="ticket-title" onClick={onSelect}>
        {ticket.title}
      </button>
      {expanded && ticket.description && <p className="ticket-description">{ticket.description}</p>}
      <div className="ticket-controls">
        <select aria-label="Status" data-testid="ticket-status" value={ticket.status} onChange={(event) => onSave({ status: event.target.value as TicketStatus })}>
          {TICKET_STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
        <select
          aria-label="Assignee"
          data-testid="ticket-assign"
          value={ticket.assignee_id ?? ''}
          onChange={(event) => onSave({ assignee_id: event.target.value || null })}
        >
          <option value="">Unassigned</option>
          {members.map((member) => (
            <option key={member.user_id} value={member.user_id}>
              {member.name || member.username}
            </option>
          ))}
          {ticket.assignee_id && !assignee && <option value={ticket.assignee_id}>Someone else</option>}
        </select>
      </div>
      <div className="ticket-foot">
        <span className="muted">{formatTime(ticket.updated_at)}</span>
        <span className="ticket-viewers" data-testid="ticket-viewers" data-count={viewers.length}>
          {viewers.map((viewer) => (
            <span key={viewer.user_id} title={`${viewer.username} is viewing`}>
              <Avatar id={viewer.user_id} name={viewer.username} size={20} />
            </span>
          ))}
        </span>
      </div>
      {expanded && <TicketComments ticketId={ticket.id} />}
      {expanded && (
        <button type="button" className="link-button danger" data-testid="ticket-delete" onClick={onDelete}>
          Delete ticket
        </button>
      )}
    </div>
  );
}
