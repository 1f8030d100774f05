/** Comments of an expanded ticket; `@username` in a comment notifies that project member. */
import { useState, type ReactNode } from 'react';
import { projects } from '../../api/endpoints.js';
import { FieldError } from '../../ui/feedback.js';
import { formatTime } from '../../ui/format.js';
import { useResource } from '../../ui/use-resource.js';
import { useSubmit } from '../../ui/use-submit.js';

export function TicketComments({ ticketId }: { ticketId: string }): ReactNode {
  const comments = useResource(ticketId, () => projects.comments(ticketId));
  const [text, setText] = useState('');
  const submission = useSubmit();
  const submit = submission.onSubmit(async () => {
    const created = await projects.addComment(ticketId, text.trim());
    comments.setData((current) => [...(current ?? []), created]);
    setText('');
  });
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
        <button type="submit" data-testid="ticket-comment-submit" disabled={submission.busy || !text.trim()}>
          Post
        </button>
      </form>
      <FieldError error={submission.error ?? comments.error} />
    </div>
  );
}
