/** The full inbox: every kept notification, a filter for unread ones, mark read / all read. */
import { useNotifications } from '@switchboard/react';
import { useState, type ReactNode } from 'react';
import { EmptyState } from '../../ui/feedback.js';
import { NotificationItem } from './NotificationItem.js';

export function InboxPage(): ReactNode {
  const { notifications, unreadCount, loaded, markAsRead, markAllAsRead, refresh } = useNotifications();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const shown = unreadOnly ? notifications.filter((item) => item.read_at === null) : notifications;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Inbox</h1>
        <div className="toolbar">
          <label className="checkbox">
            <input type="checkbox" checked={unreadOnly} onChange={(event) => setUnreadOnly(event.target.checked)} data-testid="inbox-unread-only" />
            Unread only
          </label>
          <button type="button" onClick={refresh}>
            Refresh
          </button>
          <button type="button" className="primary" data-testid="inbox-mark-all" disabled={unreadCount === 0} onClick={markAllAsRead}>
            Mark all read ({unreadCount})
          </button>
        </div>
      </div>
      <div className="card">
        {!loaded && notifications.length === 0 ? (
          <div className="loading">Loading…</div>
        ) : shown.length === 0 ? (
          <EmptyState title={unreadOnly ? 'No unread notifications' : 'No notifications yet'} testId="inbox-empty">
            Ticket assignments, mentions, status changes and comments on your posts show up here.
          </EmptyState>
        ) : (
          <ul className="notification-list" data-testid="inbox-list">
            {shown.map((notification) => (
              <NotificationItem key={notification.id} notification={notification} onRead={markAsRead} />
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
