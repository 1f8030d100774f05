/**
 * `/ws/projects/{id}/tickets/` (PROTOCOL.md §5, seed 003 TicketConsumer): members of
 * the project receive `ticket_update` (and `comment_added`) for changes made through
 * the HTTP API. Anyone else, and any id that is not a project, is closed with 4003
 * alike. Clients send nothing but `ping`.
 */
import { Consumer, type HandlerTable } from '../../core/consumer.js';
import { ticketsGroup } from './groups.js';
import { ProjectsService } from './service.js';

export class ProjectTicketsConsumer extends Consumer {
  static override handlers: HandlerTable<ProjectTicketsConsumer> = {};

  private projectId = '';

  override async authorize(): Promise<boolean> {
    const project = await ProjectsService.for(this.host).projects.memberProject(this.params.project_id ?? '', this.user.id);
    if (!project) return false;
    this.projectId = project.id;
    return true;
  }

  override async onConnect(): Promise<void> {
    await this.join(ticketsGroup(this.projectId));
  }
}
