/** Comments of an expanded ticket; `@username` in a comment notifies that project member. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { projects } from '../../api/endpoints.js';
import { errorMessage } from '../../api/http.js';
import { formatTime } from '../../ui/format.js';
import { useResource } from '../../ui/use-resource.js';

export function TicketComments({ ticketId }: { ticketId: string }): ReactNode {
  const comments = useResource(ticketId, () => projects.comments(ticketId));
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const created = await projects.addComment(ticketId, text.trim());
      comments.setData((current) => [...(current ?? []), created]);
      setText('');
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  return (
    <div className="ticket-comments">
      {(comments.data ?? []).map((comment) => (
        <div key={comment.id} className="ticket-comment" data-testid="ticket-comment">
          <strong>{comment.author}</strong> <span className="muted">{formatTime(comment.created_at)}</span>
          <div>{comment.content}</div>
        </div>
      ))}
      <form className="inline-form-row" onSubmit={submit}>
        <input data-testid="ticket-comment-input" placeholder="Comment (@username mentions)" value={text} maxLength={10000} onChange={(event) => setText(event.target.value)} />
        <button type="submit" data-testid="ticket-comment-submit" disabled={!text.trim()}>
          Post
        </button>
      </form>
      {(error ?? comments.error) && (
        <div className="field-error" role="alert">
          {error ?? comments.error}
        </div>
      )}
    </div>
  );
}
