/**
 * A project's tickets: the list the REST API returned, kept current by
 * `ticket_update` (seed 003) from `/ws/projects/{id}/tickets/`. An update carries the
 * summary fields only, so fields it lacks (description, reporter) are kept from the
 * list; an update older than what is kept (`updated_at`) is ignored.
 */
import type { TicketAction, TicketInfo, TicketUpdateData } from '@switchboard/protocol';
import { ExternalStore } from './store.js';

/** A ticket as the board knows it: the REST fields, some possibly unknown for tickets created live. */
export type BoardTicket = Pick<TicketInfo, 'id' | 'project_id' | 'title' | 'status' | 'assignee_id' | 'updated_at'> &
  Partial<Omit<TicketInfo, 'id' | 'project_id' | 'title' | 'status' | 'assignee_id' | 'updated_at'>>;

export interface TicketEvent {
  readonly action: TicketAction;
  readonly ticket_id: string;
  readonly title: string;
  readonly updated_by: string;
}

export interface TicketsSnapshot {
  /** Newest first (by `created_at`, else by arrival). */
  readonly tickets: readonly BoardTicket[];
  readonly loaded: boolean;
  /** The last live change, for "Alice moved X" notices. */
  readonly lastEvent?: TicketEvent;
}

export const INITIAL_TICKETS: TicketsSnapshot = Object.freeze({ tickets: [], loaded: false });

export class TicketsStore extends ExternalStore<TicketsSnapshot> {
  /** Deleted ids, so a late `updated` for a deleted ticket does not bring it back. */
  private readonly deleted = new Set<string>();

  constructor() {
    super(INITIAL_TICKETS);
  }

  /** Tickets changed live since the current load began: the list may predate them. */
  private touched = new Set<string>();

  /** Call before fetching the list; live changes from now on survive that list. */
  beginLoad(): void {
    this.touched = new Set();
  }

  /**
   * The REST list replaces what was kept (e.g. after a reconnect), except tickets that
   * changed live while it was being fetched: their newer state is kept.
   */
  loaded(tickets: readonly TicketInfo[]): void {
    const known = new Map(this.current.tickets.map((ticket) => [ticket.id, ticket]));
    const listed = new Set<string>();
    const merged: BoardTicket[] = [];
    for (const ticket of tickets) {
      if (this.deleted.has(ticket.id) && this.touched.has(ticket.id)) continue;
      listed.add(ticket.id);
      const live = this.touched.has(ticket.id) ? known.get(ticket.id) : undefined;
      merged.push(live && live.updated_at > ticket.updated_at ? { ...ticket, ...live } : ticket);
    }
    // Created live after the list was read.
    const fresh = [...this.touched].filter((id) => !listed.has(id) && known.has(id)).map((id) => known.get(id)!);
    this.setState({ ...this.current, tickets: [...fresh, ...merged], loaded: true });
  }

  receive(message: { type: string; action?: unknown; data?: unknown }): void {
    if (message.type !== 'ticket_update') return;
    const action = message.action as TicketAction;
    const data = message.data as TicketUpdateData | undefined;
    if (!data || typeof data.ticket_id !== 'string') return;
    this.touched.add(data.ticket_id);
    if (action === 'deleted') this.removed(data.ticket_id);
    else if (action === 'created' || action === 'updated') this.upserted(data);
    else return;
    this.patch({ lastEvent: { action, ticket_id: data.ticket_id, title: data.title, updated_by: data.updated_by } });
  }

  /** A ticket the user changed through REST: apply the response at once. */
  saved(ticket: TicketInfo): void {
    this.upsertFull(ticket);
  }

  removed(ticketId: string): void {
    this.deleted.add(ticketId);
    const tickets = this.current.tickets.filter((ticket) => ticket.id !== ticketId);
    if (tickets.length !== this.current.tickets.length) this.patch({ tickets });
  }

  private upserted(data: TicketUpdateData): void {
    if (this.deleted.has(data.ticket_id)) return;
    const known = this.current.tickets.find((ticket) => ticket.id === data.ticket_id);
    if (known && data.updated_at && known.updated_at > data.updated_at) return;
    const next: BoardTicket = {
      ...known,
      id: data.ticket_id,
      project_id: data.project_id ?? known?.project_id ?? '',
      title: data.title,
      status: data.status,
      assignee_id: data.assignee_id ?? null,
      updated_at: data.updated_at ?? known?.updated_at ?? new Date().toISOString(),
    };
    this.replace(next, known === undefined);
  }

  private upsertFull(ticket: TicketInfo): void {
    if (this.deleted.has(ticket.id)) return;
    const known = this.current.tickets.find((item) => item.id === ticket.id);
    if (known && known.updated_at > ticket.updated_at) return;
    this.replace(ticket, known === undefined);
  }

  private replace(ticket: BoardTicket, isNew: boolean): void {
    const tickets = isNew
      ? [ticket, ...this.current.tickets]
      : this.current.tickets.map((item) => (item.id === ticket.id ? ticket : item));
    this.patch({ tickets });
  }
}
