/**
 * Seed 003 project endpoints: `/ws/projects/{id}/tickets/` (live `ticket_update` on top
 * of the REST list, fetched again on every reconnect since pushes missed while away
 * are not replayed) and `/ws/projects/{id}/presence/` (who is here, who views what).
 */
import type { Connection, ProjectPresenceEndpoint, ProjectTicketsEndpoint, ServerMessage } from '@switchboard/client';
import { projectPresencePath, projectTicketsPath, type TicketInfo } from '@switchboard/protocol';
import { ProjectPresenceStore } from '../stores/project-presence-store.js';
import { TicketsStore } from '../stores/tickets-store.js';
import { ConnectionBinding } from './connection-binding.js';

export function projectTicketsKey(projectId: string): string {
  return `project-tickets:${projectId}`;
}

export function projectPresenceKey(projectId: string): string {
  return `project-presence:${projectId}`;
}

export type FetchTickets = () => Promise<readonly TicketInfo[]>;

export class ProjectTicketsBinding extends ConnectionBinding<TicketsStore, ProjectTicketsEndpoint> {
  /** Set by the hook on every render, so the latest function is used. */
  fetchTickets: FetchTickets | undefined;

  constructor(readonly projectId: string) {
    super(projectTicketsPath(projectId), new TicketsStore());
  }

  reload(): Promise<void> {
    const fetchTickets = this.fetchTickets;
    if (!fetchTickets) return Promise.resolve();
    this.store.beginLoad();
    return fetchTickets().then((tickets) => this.store.loaded(tickets));
  }

  protected override received(message: ServerMessage): void {
    this.store.receive(message);
  }

  protected override opened(_connection: Connection<ProjectTicketsEndpoint>): void {
    // Listening first, then listing: a change between the two is in the list or arrives live.
    this.reload().catch(() => undefined);
  }
}

export class ProjectPresenceBinding extends ConnectionBinding<ProjectPresenceStore, ProjectPresenceEndpoint> {
  private viewing: string | undefined;

  constructor(readonly projectId: string) {
    super(projectPresencePath(projectId), new ProjectPresenceStore());
  }

  /** Says which ticket this user is looking at; repeated after a reconnect. */
  viewTicket(ticketId: string | undefined): void {
    this.viewing = ticketId;
    const connection = this.connection;
    if (ticketId && connection?.state === 'open') connection.send('view_ticket', { ticket_id: ticketId });
  }

  protected override received(message: ServerMessage): void {
    this.store.receive(message);
  }

  protected override opened(connection: Connection<ProjectPresenceEndpoint>): void {
    if (this.viewing) connection.send('view_ticket', { ticket_id: this.viewing });
  }

  protected override lost(): void {
    this.store.connectionLost();
  }
}
