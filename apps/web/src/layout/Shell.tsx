/** The logged-in layout: left navigation, a top bar with the bell, the routed page, toasts. */
import { useState, type ReactNode } from 'react';
import type { Me } from '../api/endpoints.js';
import { session } from '../auth/session.js';
import { AnalyticsPage } from '../features/analytics/AnalyticsPage.js';
import { BlogPage } from '../features/blog/BlogPage.js';
import { ChatPage } from '../features/chat/ChatPage.js';
import { ConversationsPage } from '../features/conversations/ConversationsPage.js';
import { DocumentsPage } from '../features/documents/DocumentsPage.js';
import { InboxPage } from '../features/notifications/InboxPage.js';
import { NotificationBell } from '../features/notifications/NotificationBell.js';
import { ProjectsPage } from '../features/tickets/ProjectsPage.js';
import { href, Link, useRoute } from '../router.js';
import { Avatar } from '../ui/avatar.js';
import { ToastHost } from './toasts.js';

interface NavItem {
  readonly section: string;
  readonly label: string;
  readonly staffOnly?: boolean;
}

const NAV: readonly NavItem[] = [
  { section: 'chat', label: 'Chat' },
  { section: 'documents', label: 'Documents' },
  { section: 'projects', label: 'Projects' },
  { section: 'blog', label: 'Blog' },
  { section: 'conversations', label: 'Conversations' },
  { section: 'notifications', label: 'Inbox' },
  { section: 'analytics', label: 'Analytics', staffOnly: true },
];

function Page({ route }: { route: string[] }): ReactNode {
  const [section = 'chat', first, second] = route;
  switch (section) {
    case 'documents':
      return <DocumentsPage workspaceId={first} documentId={second} />;
    case 'projects':
      return <ProjectsPage projectId={first} />;
    case 'blog':
      return <BlogPage postId={first} />;
    case 'conversations':
      return <ConversationsPage conversationId={first} />;
    case 'notifications':
      return <InboxPage />;
    case 'analytics':
      return <AnalyticsPage />;
    default:
      return <ChatPage workspaceId={first} channelId={second} />;
  }
}

function UserCard({ user }: { user: Me }): ReactNode {
  const [copied, setCopied] = useState(false);
  const copyId = () => {
    void navigator.clipboard?.writeText(user.id).then(() => {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    });
  };
  return (
    <div className="user-card" data-testid="current-user" data-user-id={user.id}>
      <Avatar id={user.id} name={user.name || user.username} size={32} />
      <div className="user-card-text">
        <div className="user-name">{user.name || user.username}</div>
        <button type="button" className="link-button user-id" title="Copy your user id (others add you to workspaces and projects with it)" onClick={copyId}>
          {copied ? 'Copied!' : `@${user.username} · copy id`}
        </button>
        <button type="button" className="link-button sign-out" data-testid="logout" onClick={() => void session.logout()}>
          Sign out
        </button>
      </div>
    </div>
  );
}

export function Shell({ user }: { user: Me }): ReactNode {
  const route = useRoute();
  const section = route[0] ?? 'chat';
  const current = NAV.find((item) => item.section === section) ?? NAV[0]!;
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="brand-mark" />
          Switchboard
        </div>
        <ul className="nav-list">
          {NAV.filter((item) => !item.staffOnly || user.is_staff).map((item) => (
            <li key={item.section}>
              <Link to={href(item.section)} className={item.section === current.section ? 'nav-link active' : 'nav-link'} data-testid={`nav-${item.section}`}>
                {item.label}
              </Link>
            </li>
          ))}
        </ul>
        <UserCard user={user} />
      </nav>
      <div className="main">
        <header className="topbar">
          <div className="topbar-title">{current.label}</div>
          <NotificationBell />
        </header>
        <main className="content">
          <Page route={route} />
        </main>
      </div>
      <ToastHost />
    </div>
  );
}
