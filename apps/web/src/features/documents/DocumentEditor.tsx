/**
 * The collaborative editor over the JSON document endpoint: a textarea whose edits are
 * saved in the background (merged with everyone else's), the caller's caret kept in
 * place when others' changes arrive, remote carets drawn over the text, and the users
 * on the document.
 */
import { spliceBetween, transformOffset, useDocument } from '@switchboard/react';
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { documents } from '../../api/endpoints.js';
import { Avatar } from '../../ui/avatar.js';
import { ConnectionBadge, EmptyState, ErrorBanner, Loading, isForbidden } from '../../ui/feedback.js';
import { useResource } from '../../ui/use-resource.js';
import { rememberDocument } from './recent.js';
import { RemoteCursors } from './RemoteCursors.js';

export function DocumentEditor({ documentId }: { documentId: string }): ReactNode {
  const doc = useDocument(documentId);
  const info = useResource(documentId, () => documents.get(documentId));
  const textarea = useRef<HTMLTextAreaElement>(null);
  /** The text the textarea showed after the user's last keystroke (to tell local from remote changes). */
  const shown = useRef(doc.content);
  const lastCursor = useRef<number | undefined>(undefined);
  /** The caller's selection as of the last event (React resets it when it replaces the value). */
  const selection = useRef({ start: 0, end: 0 });
  const [scrollTop, setScrollTop] = useState(0);

  useEffect(() => {
    if (info.data) rememberDocument(info.data);
  }, [info.data]);

  // A remote change replaced the text: move the caller's selection with it.
  useLayoutEffect(() => {
    const element = textarea.current;
    if (!element || doc.content === shown.current) return;
    const splice = spliceBetween(shown.current, doc.content);
    const start = transformOffset(selection.current.start, splice);
    const end = transformOffset(selection.current.end, splice);
    shown.current = doc.content;
    selection.current = { start, end };
    if (document.activeElement === element) element.setSelectionRange(start, end);
  }, [doc.content]);

  const shareCursor = () => {
    const element = textarea.current;
    if (!element) return;
    selection.current = { start: element.selectionStart, end: element.selectionEnd };
    if (element.selectionStart === lastCursor.current) return;
    lastCursor.current = element.selectionStart;
    doc.moveCursor({ index: element.selectionStart, end: element.selectionEnd });
  };

  if (isForbidden(doc.connection)) {
    return <EmptyState title="Document not found">It does not exist, or you are not a member of its workspace.</EmptyState>;
  }
  return (
    <div className="document">
      <div className="document-head">
        <h2 data-testid="document-title">{info.data?.title ?? 'Document'}</h2>
        <ConnectionBadge connection={doc.connection} />
        <span className="muted" data-testid="document-status" data-version={doc.version} data-saving={doc.saving}>
          {doc.saving ? 'Saving…' : doc.loaded ? `Saved · version ${doc.version}` : ''}
        </span>
        <div className="document-users" data-testid="document-users">
          {doc.users.map((user) => (
            <span key={user.user_id} data-testid="document-user" data-user-id={user.user_id}>
              <Avatar id={user.user_id} name={user.user_name} size={26} />
            </span>
          ))}
        </div>
      </div>
      <ErrorBanner error={info.error} />
      {doc.rejected && (
        <div className="warning-banner" role="alert" data-testid="document-rejected">
          <div>
            <strong>Your last change could not be saved.</strong> {doc.rejected.message}
          </div>
          <details>
            <summary>Your text</summary>
            <pre>{doc.rejected.content}</pre>
          </details>
          <button type="button" onClick={() => void navigator.clipboard?.writeText(doc.rejected!.content)}>
            Copy my text
          </button>{' '}
          <button type="button" className="link-button" onClick={doc.dismissRejected}>
            Dismiss
          </button>
        </div>
      )}
      {!doc.loaded ? (
        <Loading label="Opening document…" />
      ) : (
        <div className="editor-frame">
          <textarea
            ref={textarea}
            className="editor"
            data-testid="document-editor"
            value={doc.content}
            spellCheck
            onChange={(event) => {
              shown.current = event.target.value;
              doc.update(event.target.value);
              shareCursor();
            }}
            onSelect={shareCursor}
            onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
            placeholder="Start typing. Everyone on this document sees your changes live."
          />
          <RemoteCursors content={doc.content} cursors={doc.cursors} scrollTop={scrollTop} />
        </div>
      )}
    </div>
  );
}
