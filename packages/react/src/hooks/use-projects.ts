/** Seed 003 project hooks: the live ticket board and who is viewing what. */
import { useCallback } from 'react';
import type { TicketInfo } from '@switchboard/protocol';
import { ProjectPresenceBinding, ProjectTicketsBinding, projectPresenceKey, projectTicketsKey, type FetchTickets } from '../bindings/projects.js';
import { INITIAL_CONNECTION, type ConnectionSnapshot } from '../stores/connection-store.js';
import { INITIAL_PROJECT_PRESENCE, viewersOf as viewersIn, type ProjectPresenceSnapshot, type ProjectViewer } from '../stores/project-presence-store.js';
import { INITIAL_TICKETS, type TicketsSnapshot } from '../stores/tickets-store.js';
import { useBinding, useStoreSnapshot } from './use-binding.js';

export interface UseProjectTicketsOptions {
  /** Lists the project's tickets (REST); called on every (re)connect. */
  fetchTickets?: FetchTickets;
}

export interface UseProjectTicketsResult extends TicketsSnapshot {
  readonly isConnected: boolean;
  readonly connection: ConnectionSnapshot;
  /** Lists the tickets again. */
  reload(): Promise<void>;
  /** Shows a ticket the caller just created or changed through REST without waiting for the push. */
  applySaved(ticket: TicketInfo): void;
  applyDeleted(ticketId: string): void;
}

export function useProjectTickets(projectId: string | null, options: UseProjectTicketsOptions = {}): UseProjectTicketsResult {
  const binding = useBinding(projectId ? projectTicketsKey(projectId) : null, () => new ProjectTicketsBinding(projectId!));
  if (binding) binding.fetchTickets = options.fetchTickets;
  const snapshot = useStoreSnapshot(binding?.store, INITIAL_TICKETS);
  const connection = useStoreSnapshot(binding?.connectionStore, INITIAL_CONNECTION);
  const reload = useCallback(() => binding?.reload() ?? Promise.resolve(), [binding]);
  const applySaved = useCallback((ticket: TicketInfo) => binding?.store.saved(ticket), [binding]);
  const applyDeleted = useCallback((ticketId: string) => binding?.store.removed(ticketId), [binding]);
  return { ...snapshot, isConnected: connection.isConnected, connection, reload, applySaved, applyDeleted };
}

export interface UseProjectPresenceResult extends ProjectPresenceSnapshot {
  readonly isConnected: boolean;
  readonly connection: ConnectionSnapshot;
  /** Tells the others which ticket this user is viewing. */
  viewTicket(ticketId: string | undefined): void;
  viewersOf(ticketId: string): ProjectViewer[];
}

export function useProjectPresence(projectId: string | null): UseProjectPresenceResult {
  const binding = useBinding(projectId ? projectPresenceKey(projectId) : null, () => new ProjectPresenceBinding(projectId!));
  const snapshot = useStoreSnapshot(binding?.store, INITIAL_PROJECT_PRESENCE);
  const connection = useStoreSnapshot(binding?.connectionStore, INITIAL_CONNECTION);
  const viewTicket = useCallback((ticketId: string | undefined) => binding?.viewTicket(ticketId), [binding]);
  const users = snapshot.users;
  const viewersOf = useCallback((ticketId: string) => viewersIn(users, ticketId), [users]);
  return { ...snapshot, isConnected: connection.isConnected, connection, viewTicket, viewersOf };
}
