import type { ProjectMemberInfo, TicketInfo } from '@switchboard/protocol';
import { useState, type ReactNode } from 'react';
import { projects } from '../../api/endpoints.js';
import { FieldError } from '../../ui/feedback.js';
import { useSubmit } from '../../ui/use-submit.js';

export function NewTicketForm({ projectId, members, onCreated }: { projectId: string; members: readonly ProjectMemberInfo[]; onCreated: (ticket: TicketInfo) => void }): ReactNode {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [assignee, setAssignee] = useState('');
  const submission = useSubmit();
  const submit = submission.onSubmit(async () => {
    const created = await projects.createTicket(projectId, {
      title: title.trim(),
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(assignee ? { assignee_id: assignee } : {}),
    });
    onCreated(created);
    setTitle('');
    setDescription('');
    setAssignee('');
  });
  return (
    <form className="card new-ticket" onSubmit={submit} data-testid="ticket-create-form">
      <input data-testid="ticket-create-title" placeholder="New ticket title" value={title} maxLength={200} onChange={(event) => setTitle(event.target.value)} />
      <input data-testid="ticket-create-description" placeholder="Description (optional)" value={description} maxLength={10000} onChange={(event) => setDescription(event.target.value)} />
      <select aria-label="Assignee" data-testid="ticket-create-assignee" value={assignee} onChange={(event) => setAssignee(event.target.value)}>
        <option value="">Unassigned</option>
        {members.map((member) => (
          <option key={member.user_id} value={member.user_id}>
            {member.name || member.username}
          </option>
        ))}
      </select>
      <button type="submit" className="primary" data-testid="ticket-create-submit" disabled={submission.busy || !title.trim()}>
        Add ticket
      </button>
      <FieldError error={submission.error} testId="ticket-create-error" />
    </form>
  );
}
