import type { Notification } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { NotificationsStore } from '../src/stores/notifications-store.js';

function notification(id: string, readAt: string | null = null): Notification {
  return {
    id,
    notification_type: 'mention',
    title: `Title ${id}`,
    message: 'You were mentioned',
    icon: null,
    color: null,
    data: {},
    created_at: '2025-01-01T12:00:00.000Z',
    read_at: readAt,
  };
}

describe('NotificationsStore', () => {
  it('takes the unread count, the list, and pushed notifications on top', () => {
    const store = new NotificationsStore();
    store.receive({ type: 'unread_count', data: { count: 1 } });
    expect(store.getSnapshot()).toMatchObject({ unreadCount: 1, loaded: false });
    store.receive({ type: 'notifications', data: { notifications: [notification('a')], unread_count: 1 } });
    store.receive({ type: 'notification', data: notification('b') });
    const snapshot = store.getSnapshot();
    expect(snapshot.notifications.map((item) => item.id)).toEqual(['b', 'a']);
    expect(snapshot.unreadCount).toBe(2);
    expect(snapshot.latest?.id).toBe('b');
    expect(snapshot.loaded).toBe(true);
  });

  it('ignores a notification it already has (a list and a push may overlap)', () => {
    const store = new NotificationsStore();
    store.listed([notification('a')], 1);
    store.pushed(notification('a'));
    expect(store.getSnapshot().notifications).toHaveLength(1);
    expect(store.getSnapshot().unreadCount).toBe(1);
  });

  it('marks one read optimistically, once, and all read', () => {
    const store = new NotificationsStore();
    store.listed([notification('a'), notification('b'), notification('c', '2025-01-01T00:00:00.000Z')], 2);
    expect(store.markRead('a', 'now')).toBe(true);
    expect(store.markRead('a', 'now')).toBe(false);
    expect(store.markRead('c', 'now')).toBe(false);
    expect(store.markRead('missing', 'now')).toBe(false);
    expect(store.getSnapshot().unreadCount).toBe(1);
    expect(store.getSnapshot().notifications[0]?.read_at).toBe('now');
    store.markAllRead('later');
    expect(store.getSnapshot().unreadCount).toBe(0);
    expect(store.getSnapshot().notifications.map((item) => item.read_at)).toEqual(['now', 'later', '2025-01-01T00:00:00.000Z']);
    // The server's count is authoritative.
    store.receive({ type: 'unread_count', data: { count: 4 } });
    expect(store.getSnapshot().unreadCount).toBe(4);
  });

  it('keeps at most maxKept notifications', () => {
    const store = new NotificationsStore(2);
    for (const id of ['a', 'b', 'c']) store.pushed(notification(id));
    expect(store.getSnapshot().notifications.map((item) => item.id)).toEqual(['c', 'b']);
  });
});
