import type { TicketInfo } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { ProjectPresenceStore } from '../src/stores/project-presence-store.js';
import { TicketsStore } from '../src/stores/tickets-store.js';

function ticket(id: string, extra: Partial<TicketInfo> = {}): TicketInfo {
  return {
    id,
    project_id: 'p',
    title: `Ticket ${id}`,
    description: 'details',
    status: 'open',
    reporter_id: 'u1',
    assignee_id: null,
    created_at: '2025-01-01T12:00:00.000Z',
    updated_at: '2025-01-01T12:00:00.000Z',
    ...extra,
  };
}

const update = (action: string, id: string, extra: Record<string, unknown> = {}) => ({
  type: 'ticket_update',
  action,
  data: { ticket_id: id, title: `Ticket ${id}`, status: 'open', updated_by: 'alice', project_id: 'p', assignee_id: null, updated_at: '2025-01-01T12:00:01.000Z', ...extra },
});

describe('TicketsStore', () => {
  it('applies created, updated and deleted on top of the list, keeping fields the push lacks', () => {
    const store = new TicketsStore();
    store.loaded([ticket('a')]);
    store.receive(update('created', 'b'));
    store.receive(update('updated', 'a', { status: 'in_progress', assignee_id: 'u2', title: 'Renamed' }));
    const [b, a] = store.getSnapshot().tickets;
    expect(b).toMatchObject({ id: 'b', status: 'open' });
    expect(a).toMatchObject({ id: 'a', title: 'Renamed', status: 'in_progress', assignee_id: 'u2', description: 'details' });
    expect(store.getSnapshot().lastEvent).toEqual({ action: 'updated', ticket_id: 'a', title: 'Renamed', updated_by: 'alice' });
    store.receive(update('deleted', 'b'));
    store.receive(update('updated', 'b'));
    expect(store.getSnapshot().tickets.map((item) => item.id)).toEqual(['a']);
  });

  it('ignores an update older than the state it has', () => {
    const store = new TicketsStore();
    store.loaded([ticket('a', { status: 'done', updated_at: '2025-01-01T12:00:05.000Z' })]);
    store.receive(update('updated', 'a', { status: 'open' }));
    expect(store.getSnapshot().tickets[0]?.status).toBe('done');
  });

  it('keeps changes that arrived live while a reloaded list was being fetched', () => {
    const store = new TicketsStore();
    store.loaded([ticket('a')]);
    store.beginLoad();
    store.receive(update('created', 'new'));
    store.receive(update('updated', 'a', { status: 'review' }));
    // The list was read before those changes.
    store.loaded([ticket('a'), ticket('gone-elsewhere')]);
    expect(store.getSnapshot().tickets.map((item) => [item.id, item.status])).toEqual([
      ['new', 'open'],
      ['a', 'review'],
      ['gone-elsewhere', 'open'],
    ]);
  });
});

describe('ProjectPresenceStore', () => {
  it('lists each user once and tracks what they view', () => {
    const store = new ProjectPresenceStore();
    store.receive({ type: 'presence_state', users: [{ user_id: 'u1', username: 'alice' }] });
    store.receive({ type: 'user_status', action: 'joined', user_id: 'u2', username: 'bob' });
    store.receive({ type: 'user_status', action: 'joined', user_id: 'u2', username: 'bob' });
    store.receive({ type: 'user_status', action: 'viewing', user_id: 'u2', username: 'bob', ticket_id: 't1' });
    expect(store.getSnapshot().users).toEqual([
      { user_id: 'u1', username: 'alice' },
      { user_id: 'u2', username: 'bob', ticket_id: 't1' },
    ]);
    expect(store.viewersOf('t1').map((user) => user.username)).toEqual(['bob']);
    store.receive({ type: 'user_status', action: 'left', user_id: 'u2', username: 'bob' });
    expect(store.getSnapshot().users.map((user) => user.username)).toEqual(['alice']);
    store.connectionLost();
    expect(store.getSnapshot()).toEqual({ users: [], loaded: false });
  });
});
