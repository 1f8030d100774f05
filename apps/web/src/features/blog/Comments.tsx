/** A post's comments: live list, who is typing, adding over the socket, staff approval of held ones. */
import { useBlogComments, useCurrentUser } from '@switchboard/react';
import { useState, type ReactNode } from 'react';
import { blog } from '../../api/endpoints.js';
import { errorMessage } from '../../api/http.js';
import { Avatar } from '../../ui/avatar.js';
import { EmptyState, FieldError } from '../../ui/feedback.js';
import { formatTime, typingText } from '../../ui/format.js';
import { useSubmit } from '../../ui/use-submit.js';

export function Comments({ postId, moderated, canApprove }: { postId: string; moderated: boolean; canApprove: boolean }): ReactNode {
  const comments = useBlogComments(postId);
  const me = useCurrentUser();
  const [text, setText] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const submission = useSubmit();

  const submit = submission.onSubmit(async () => {
    const content = text.trim();
    if (!content) return;
    setNotice(null);
    const stored = await comments.addComment(content);
    setText('');
    if (!stored.approved) setNotice('Thanks! Your comment will appear once a moderator approves it.');
  });
  // Not a submission (several may run at once), but its error shows in the same place.
  const approve = (commentId: string) => {
    submission.setError(null);
    blog.approve(commentId).catch((caught: unknown) => submission.setError(errorMessage(caught)));
  };

  // The server's list names everyone typing, the caller included.
  const typing = typingText(comments.typingUsers.filter((name) => name !== me?.name));
  return (
    <section className="card">
      <h2>Comments</h2>
      {comments.comments.length === 0 ? (
        <EmptyState title={comments.loaded ? 'No comments yet' : 'Loading comments…'} />
      ) : (
        <ul className="comment-list" data-testid="comment-list">
          {comments.comments.map((comment) => (
            <li key={comment.id} className={comment.approved ? 'comment' : 'comment held'} data-testid="comment" data-id={comment.id} data-approved={comment.approved}>
              <Avatar id={comment.author_id} name={comment.author} size={26} />
              <div>
                <div className="message-meta">
                  <span className="message-author">{comment.author}</span>
                  <span className="muted">{formatTime(comment.created_at)}</span>
                  {!comment.approved && <span className="tag">awaiting approval</span>}
                </div>
                <div>{comment.content}</div>
                {!comment.approved && canApprove && (
                  <button type="button" className="link-button" data-testid="comment-approve" onClick={() => approve(comment.id)}>
                    Approve
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="typing-indicator" data-testid="comment-typing" data-active={typing !== ''}>
        {typing}
      </div>
      <form className="composer" onSubmit={submit}>
        <textarea
          data-testid="comment-input"
          rows={2}
          maxLength={4000}
          placeholder={moderated ? 'Add a comment (moderated)' : 'Add a comment'}
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            if (event.target.value) comments.notifyTyping();
            else comments.stopTyping();
          }}
          onBlur={comments.stopTyping}
        />
        <button type="submit" className="primary" data-testid="comment-submit" disabled={submission.busy || !text.trim() || !comments.isConnected}>
          Comment
        </button>
      </form>
      {notice && <div className="notice">{notice}</div>}
      <FieldError error={submission.error} />
    </section>
  );
}
