/** Empty states, error banners, connection badges, loading text. */
import { CloseCode } from '@switchboard/protocol';
import type { ConnectionSnapshot } from '@switchboard/react';
import type { ReactNode } from 'react';

export function EmptyState({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }): ReactNode {
  return (
    <div className="empty-state" data-testid={testId}>
      <div className="empty-title">{title}</div>
      {children && <div className="empty-body">{children}</div>}
    </div>
  );
}

export function ErrorBanner({ error, onDismiss }: { error: string | null | undefined; onDismiss?: () => void }): ReactNode {
  if (!error) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <span>{error}</span>
      {onDismiss && (
        <button type="button" className="link-button" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      )}
    </div>
  );
}

/** A form's error under its fields. */
export function FieldError({ error, testId }: { error: string | null | undefined; testId?: string }): ReactNode {
  if (!error) return null;
  return (
    <div className="field-error" role="alert" data-testid={testId}>
      {error}
    </div>
  );
}

const LABELS: Record<ConnectionSnapshot['state'], string> = {
  connecting: 'Connecting…',
  open: 'Live',
  reconnecting: 'Reconnecting…',
  closed: 'Offline',
};

/** The server refused the connection for good: no access, or the resource does not exist. */
export function isForbidden(connection: ConnectionSnapshot): boolean {
  return connection.state === 'closed' && connection.code === CloseCode.Forbidden;
}

/**
 * Why a connection closed for good, in words. Codes the client retries forever (4008
 * among them, with the provider's default reconnect policy) never end up here.
 */
function closedReason(connection: ConnectionSnapshot): string | undefined {
  if (connection.state !== 'closed' || connection.code === undefined) return undefined;
  if (connection.code === CloseCode.Forbidden) return 'No access';
  if (connection.code === CloseCode.Unauthenticated) return 'Signed out';
  return connection.reason || `Closed (${connection.code})`;
}

export function ConnectionBadge({ connection, testId = 'connection-status' }: { connection: ConnectionSnapshot; testId?: string }): ReactNode {
  const label = closedReason(connection) ?? LABELS[connection.state];
  return (
    <span className={`badge connection-${connection.state}`} data-testid={testId} data-state={connection.state} title={connection.reason}>
      <span className="badge-dot" />
      {label}
    </span>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }): ReactNode {
  return <div className="loading">{label}</div>;
}
