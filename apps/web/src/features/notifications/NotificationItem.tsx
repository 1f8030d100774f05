import type { Notification } from '@switchboard/protocol';
import type { ReactNode } from 'react';
import { formatTime } from '../../ui/format.js';

export function NotificationItem({ notification, onRead }: { notification: Notification; onRead: (id: string) => void }): ReactNode {
  const unread = notification.read_at === null;
  return (
    <li className={unread ? 'notification unread' : 'notification'} data-testid="notification-item" data-read={!unread} data-type={notification.notification_type}>
      <div className="notification-main">
        <div className="notification-title">{notification.title}</div>
        {notification.message && <div className="notification-message">{notification.message}</div>}
        <div className="notification-meta">
          <span className="tag">{notification.notification_type}</span>
          <span>{formatTime(notification.created_at)}</span>
        </div>
      </div>
      {unread && (
        <button type="button" className="link-button" data-testid="notification-mark-read" onClick={() => onRead(notification.id)}>
          Mark read
        </button>
      )}
    </li>
  );
}
