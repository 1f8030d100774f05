/**
 * The board of one project: a column per status, live `ticket_update`s, tickets moved
 * by drag and drop or the status menu, assigned through the assignee menu (all REST),
 * and who is viewing the project and each ticket (presence endpoint).
 */
import { useCurrentUser, useProjectPresence, useProjectTickets, type BoardTicket } from '@switchboard/react';
import { TICKET_STATUSES, type TicketStatus } from '@switchboard/protocol';
import { useCallback, useState, type ReactNode } from 'react';
import { projects } from '../../api/endpoints.js';
import { errorMessage } from '../../api/http.js';
import { Avatar } from '../../ui/avatar.js';
import { ErrorBanner, Loading } from '../../ui/feedback.js';
import { useResource } from '../../ui/use-resource.js';
import { NewTicketForm } from './NewTicketForm.js';
import { STATUS_LABELS, TicketCard } from './TicketCard.js';

export function TicketBoard({ projectId, projectName }: { projectId: string; projectName: string }): ReactNode {
  const me = useCurrentUser();
  const members = useResource(projectId, () => projects.members(projectId));
  const fetchTickets = useCallback(() => projects.tickets(projectId), [projectId]);
  const board = useProjectTickets(projectId, { fetchTickets });
  const presence = useProjectPresence(projectId);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [dragOver, setDragOver] = useState<TicketStatus | undefined>(undefined);

  const save = async (ticket: BoardTicket, change: Parameters<typeof projects.updateTicket>[1]) => {
    setError(null);
    try {
      board.applySaved(await projects.updateTicket(ticket.id, change));
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  const remove = async (ticket: BoardTicket) => {
    setError(null);
    try {
      await projects.deleteTicket(ticket.id);
      board.applyDeleted(ticket.id);
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  const select = (ticketId: string) => {
    setSelected((current) => (current === ticketId ? undefined : ticketId));
    presence.viewTicket(ticketId);
  };
  const drop = (status: TicketStatus, ticketId: string) => {
    setDragOver(undefined);
    const ticket = board.tickets.find((item) => item.id === ticketId);
    if (ticket && ticket.status !== status) void save(ticket, { status });
  };

  const event = board.lastEvent;
  return (
    <div className="board">
      <div className="board-head">
        <h2>{projectName}</h2>
        <div className="viewers" data-testid="project-presence" data-count={presence.users.length}>
          <span className="muted">Here now:</span>
          {presence.users.map((user) => (
            <span key={user.user_id} data-testid="project-presence-user" data-user-id={user.user_id}>
              <Avatar id={user.user_id} name={user.username} size={26} online />
            </span>
          ))}
        </div>
      </div>
      {event && (
        <div className="activity muted" data-testid="ticket-activity">
          {event.updated_by} {event.action} “{event.title}”
        </div>
      )}
      <ErrorBanner error={error ?? members.error} onDismiss={() => setError(null)} />
      <NewTicketForm projectId={projectId} members={members.data ?? []} onCreated={board.applySaved} />
      {!board.loaded ? (
        <Loading label="Loading tickets…" />
      ) : (
        <div className="columns" data-testid="ticket-board">
          {TICKET_STATUSES.map((status) => {
            const tickets = board.tickets.filter((ticket) => ticket.status === status);
            return (
              <div
                key={status}
                className={dragOver === status ? 'column drag-over' : 'column'}
                data-testid="ticket-column"
                data-status={status}
                onDragOver={(dragEvent) => {
                  dragEvent.preventDefault();
                  setDragOver(status);
                }}
                onDragLeave={() => setDragOver(undefined)}
                onDrop={(dropEvent) => drop(status, dropEvent.dataTransfer.getData('text/plain'))}
              >
                <div className="column-head">
                  {STATUS_LABELS[status]} <span className="muted">{tickets.length}</span>
                </div>
                {tickets.map((ticket) => (
                  <TicketCard
                    key={ticket.id}
                    ticket={ticket}
                    members={members.data ?? []}
                    viewers={presence.viewersOf(ticket.id).filter((viewer) => viewer.user_id !== me?.id)}
                    expanded={selected === ticket.id}
                    onSelect={() => select(ticket.id)}
                    onSave={(change) => void save(ticket, change)}
                    onDelete={() => void remove(ticket)}
                  />
                ))}
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}
