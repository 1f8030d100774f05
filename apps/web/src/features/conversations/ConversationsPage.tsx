/** Seed 004 job conversations: the inbox on the left, the open conversation on the right. */
import type { ConversationInfo } from '@switchboard/protocol';
import { useState, type ReactNode } from 'react';
import { conversations } from '../../api/endpoints.js';
import { useSession } from '../../auth/use-session.js';
import { href, Link, navigate } from '../../router.js';
import { EmptyState, ErrorBanner, FieldError } from '../../ui/feedback.js';
import { formatTime } from '../../ui/format.js';
import { useResource } from '../../ui/use-resource.js';
import { useSubmit } from '../../ui/use-submit.js';
import { ConversationView } from './ConversationView.js';

function NewConversationForm({ onCreated }: { onCreated: (conversation: ConversationInfo) => void }): ReactNode {
  const me = useSession()?.user;
  const [otherId, setOtherId] = useState('');
  const [role, setRole] = useState<'client' | 'worker'>('client');
  const [title, setTitle] = useState('');
  const [jobRef, setJobRef] = useState('');
  const submission = useSubmit();
  const submit = submission.onSubmit(async () => {
    if (!me) return;
    const other = otherId.trim();
    const created = await conversations.create({
      client_id: role === 'client' ? me.id : other,
      worker_id: role === 'client' ? other : me.id,
      title: title.trim(),
      job_ref: jobRef.trim() || `job-${Date.now()}`,
    });
    setOtherId('');
    setTitle('');
    setJobRef('');
    onCreated(created);
  });
  return (
    <form className="stack" onSubmit={submit} data-testid="conversation-create-form">
      <div className="side-title">New conversation</div>
      <input data-testid="conversation-create-user" placeholder="Other person's user id" value={otherId} onChange={(event) => setOtherId(event.target.value)} />
      <select data-testid="conversation-create-role" value={role} onChange={(event) => setRole(event.target.value as 'client' | 'worker')} aria-label="Your role">
        <option value="client">I am the client</option>
        <option value="worker">I am the worker</option>
      </select>
      <input data-testid="conversation-create-title" placeholder="Job title" value={title} maxLength={200} onChange={(event) => setTitle(event.target.value)} />
      <input data-testid="conversation-create-job" placeholder="Job reference (optional)" value={jobRef} maxLength={100} onChange={(event) => setJobRef(event.target.value)} />
      <button type="submit" data-testid="conversation-create-submit" disabled={submission.busy || !otherId.trim() || !title.trim()}>
        Start
      </button>
      <FieldError error={submission.error} testId="conversation-create-error" />
    </form>
  );
}

export function ConversationsPage({ conversationId }: { conversationId: string | undefined }): ReactNode {
  const inbox = useResource('inbox', conversations.inbox);
  const list = inbox.data?.conversations ?? [];
  const current = list.find((item) => item.id === conversationId);
  return (
    <div className="split">
      <aside className="split-side">
        <div className="side-section">
          <div className="side-title">
            Inbox{' '}
            <button type="button" className="link-button" onClick={() => void inbox.reload()}>
              Refresh
            </button>
          </div>
          <ErrorBanner error={inbox.error} />
          {list.length === 0 && !inbox.loading ? (
            <div className="muted">No conversations yet.</div>
          ) : (
            <ul className="side-list" data-testid="conversation-list">
              {list.map((item) => (
                <li key={item.id}>
                  <Link
                    to={href('conversations', item.id)}
                    className={item.id === conversationId ? 'side-item conversation-item active' : 'side-item conversation-item'}
                    data-testid="conversation-item"
                    data-id={item.id}
                    data-unread={item.unread_count}
                  >
                    <span className="conversation-line">
                      <strong>{item.other_participant?.name ?? item.title}</strong>
                      {item.unread_count > 0 && <span className="count-pill">{item.unread_count}</span>}
                    </span>
                    <span className="muted conversation-preview">
                      {item.title} · {item.last_message_text ?? ''} {formatTime(item.last_message_at)}
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="side-section">
          <NewConversationForm
            onCreated={(created) => {
              void inbox.reload();
              navigate(href('conversations', created.id));
            }}
          />
        </div>
      </aside>
      <section className="split-main">
        {conversationId ? (
          <ConversationView key={conversationId} conversationId={conversationId} info={current} onActivity={() => void inbox.reload()} />
        ) : (
          <EmptyState title="Pick a conversation" testId="conversations-empty">
            Conversations join a client and a worker around a job. Start one with the other person's user id.
          </EmptyState>
        )}
      </section>
    </div>
  );
}
