/** Projects on the left (create, invite by user id), the live ticket board on the right. */
import { useEffect, type ReactNode } from 'react';
import { projects } from '../../api/endpoints.js';
import { toasts } from '../../layout/toasts.js';
import { href, Link, navigate } from '../../router.js';
import { EmptyState, ErrorBanner, Loading } from '../../ui/feedback.js';
import { InlineForm } from '../../ui/inline-form.js';
import { useResource } from '../../ui/use-resource.js';
import { TicketBoard } from './TicketBoard.js';

export function ProjectsPage({ projectId }: { projectId: string | undefined }): ReactNode {
  const list = useResource('projects', projects.list);
  useEffect(() => {
    const first = list.data?.[0];
    if (!projectId && first) navigate(href('projects', first.id));
  }, [projectId, list.data]);

  const create = async (name: string) => {
    const created = await projects.create(name);
    list.setData((current) => [...(current ?? []), created]);
    navigate(href('projects', created.id));
  };
  const addMember = async (userId: string) => {
    const result = await projects.addMember(projectId!, userId);
    toasts.show({ kind: 'info', title: result.added ? 'Member added to the project' : 'Already a member' });
  };

  const project = list.data?.find((item) => item.id === projectId);
  return (
    <div className="split">
      <aside className="split-side">
        <div className="side-section">
          <div className="side-title">Projects</div>
          <ul className="side-list" data-testid="project-list">
            {(list.data ?? []).map((item) => (
              <li key={item.id}>
                <Link to={href('projects', item.id)} className={item.id === projectId ? 'side-item active' : 'side-item'} data-testid="project-item" data-id={item.id}>
                  {item.name}
                </Link>
              </li>
            ))}
          </ul>
          <InlineForm placeholder="New project" submitLabel="Create" testId="project-create" onSubmit={create} />
        </div>
        {projectId && (
          <div className="side-section">
            <div className="side-title">Invite to project</div>
            <InlineForm placeholder="User id" submitLabel="Add" testId="project-add-member" onSubmit={addMember} />
          </div>
        )}
      </aside>
      <section className="split-main">
        <ErrorBanner error={list.error} />
        {list.loading && !list.data ? (
          <Loading />
        ) : list.data?.length === 0 ? (
          <EmptyState title="No projects yet" testId="projects-empty">
            Create a project on the left; its tickets update live for every member.
          </EmptyState>
        ) : projectId ? (
          <TicketBoard key={projectId} projectId={projectId} projectName={project?.name ?? ''} />
        ) : null}
      </section>
    </div>
  );
}
