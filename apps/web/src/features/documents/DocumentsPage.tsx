/**
 * Documents: pick a workspace, create a document or open one by id; the editor at
 * `#/documents/<workspace>/<document>`. The API has no "list documents" route, so the
 * documents this browser created or opened are remembered locally.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { documents, workspaces } from '../../api/endpoints.js';
import { href, Link, navigate } from '../../router.js';
import { EmptyState, ErrorBanner } from '../../ui/feedback.js';
import { formatTime } from '../../ui/format.js';
import { useResource } from '../../ui/use-resource.js';
import { useSubmit } from '../../ui/use-submit.js';
import { WorkspacePanel } from '../chat/WorkspacePanel.js';
import { DocumentEditor } from './DocumentEditor.js';
import { recentDocuments, rememberDocument } from './recent.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function DocumentIndex({ workspaceId }: { workspaceId: string }): ReactNode {
  const [title, setTitle] = useState('');
  const [openId, setOpenId] = useState('');
  const submission = useSubmit();
  const recent = recentDocuments(workspaceId);

  const create = submission.onSubmit(async () => {
    const created = await documents.create(workspaceId, title.trim());
    rememberDocument(created);
    navigate(href('documents', workspaceId, created.id));
  });
  const open = (event: FormEvent) => {
    event.preventDefault();
    const id = openId.trim();
    if (!UUID.test(id)) {
      submission.setError('A document id is a UUID, like 3f0c5a9e-8d1b-4c8e-b2a4-6f1d0e9c7b21.');
      return;
    }
    navigate(href('documents', workspaceId, id));
  };

  return (
    <div className="page narrow">
      <ErrorBanner error={submission.error} onDismiss={() => submission.setError(null)} />
      <div className="card">
        <h2>New document</h2>
        <form className="inline-form-row" onSubmit={create}>
          <input data-testid="document-create-input" placeholder="Title" value={title} maxLength={200} onChange={(event) => setTitle(event.target.value)} />
          <button type="submit" className="primary" data-testid="document-create-submit" disabled={submission.busy || !title.trim()}>
            Create
          </button>
        </form>
        <h2>Open by id</h2>
        <form className="inline-form-row" onSubmit={open}>
          <input data-testid="document-open-input" placeholder="Document id" value={openId} onChange={(event) => setOpenId(event.target.value)} />
          <button type="submit" data-testid="document-open-submit">
            Open
          </button>
        </form>
      </div>
      <div className="card">
        <h2>Recent documents</h2>
        {recent.length === 0 ? (
          <EmptyState title="No documents yet">Create one above, or open a document someone shared with you.</EmptyState>
        ) : (
          <ul className="plain-list" data-testid="document-list">
            {recent.map((item) => (
              <li key={item.id}>
                <Link to={href('documents', workspaceId, item.id)} data-testid="document-item" data-id={item.id}>
                  {item.title}
                </Link>
                <span className="muted"> · {formatTime(item.openedAt)}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

export function DocumentsPage({ workspaceId, documentId }: { workspaceId: string | undefined; documentId: string | undefined }): ReactNode {
  const list = useResource('workspaces', workspaces.list);
  useEffect(() => {
    const first = list.data?.[0];
    if (!workspaceId && first) navigate(href('documents', first.id));
  }, [workspaceId, list.data]);

  return (
    <div className="split">
      <WorkspacePanel workspaces={list} workspaceId={workspaceId} section="documents" />
      <section className="split-main">
        <ErrorBanner error={list.error} />
        {documentId ? (
          <DocumentEditor key={documentId} documentId={documentId} />
        ) : workspaceId ? (
          <DocumentIndex workspaceId={workspaceId} />
        ) : list.data?.length === 0 ? (
          <EmptyState title="No workspaces yet">Documents live in a workspace: create one on the left.</EmptyState>
        ) : null}
      </section>
    </div>
  );
}
