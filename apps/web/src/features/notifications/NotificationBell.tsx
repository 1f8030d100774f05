/** The bell: unread count, a panel with the newest notifications, and toasts for pushed ones. */
import { useNotifications } from '@switchboard/react';
import type { Notification } from '@switchboard/protocol';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { href, Link } from '../../router.js';
import { toasts } from '../../layout/toasts.js';
import { NotificationItem } from './NotificationItem.js';

/** CSS colors the server's `color` hint may name; anything else is ignored. */
const SAFE_COLOR = /^(#[0-9a-f]{3,8}|[a-z]{3,20})$/i;

function toastFor(notification: Notification): void {
  toasts.show({
    kind: 'notification',
    title: notification.title,
    body: notification.message,
    color: notification.color && SAFE_COLOR.test(notification.color) ? notification.color : null,
  });
}

export function NotificationBell(): ReactNode {
  const { notifications, unreadCount, markAsRead, markAllAsRead, isConnected } = useNotifications({ onNotification: toastFor });
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);

  // Close when clicking elsewhere.
  useEffect(() => {
    if (!open) return;
    const onClick = (event: MouseEvent) => {
      if (panel.current && !panel.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onClick);
    return () => document.removeEventListener('mousedown', onClick);
  }, [open]);

  return (
    <div className="bell" ref={panel}>
      <button
        type="button"
        className="icon-button"
        data-testid="notification-bell"
        data-connected={isConnected}
        aria-label={`Notifications, ${unreadCount} unread`}
        onClick={() => setOpen((value) => !value)}
      >
        <svg width="20" height="20" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 3a6 6 0 0 0-6 6v3.5L4.5 16h15L18 12.5V9a6 6 0 0 0-6-6Zm-2 15a2 2 0 0 0 4 0" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinejoin="round" />
        </svg>
        <span className="count-badge" data-testid="notification-count" data-count={unreadCount}>
          {unreadCount}
        </span>
      </button>
      {open && (
        <div className="bell-panel card" data-testid="notification-panel">
          <div className="bell-panel-head">
            <strong>Notifications</strong>
            <button type="button" className="link-button" data-testid="notification-mark-all" disabled={unreadCount === 0} onClick={markAllAsRead}>
              Mark all read
            </button>
          </div>
          {notifications.length === 0 ? (
            <div className="muted bell-empty">You're all caught up.</div>
          ) : (
            <ul className="notification-list compact">
              {notifications.slice(0, 8).map((notification) => (
                <NotificationItem key={notification.id} notification={notification} onRead={markAsRead} />
              ))}
            </ul>
          )}
          <Link to={href('notifications')} className="bell-panel-foot" onClick={() => setOpen(false)} data-testid="notification-view-all">
            View all
          </Link>
        </div>
      )}
    </div>
  );
}
