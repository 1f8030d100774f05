/**
 * `/ws/projects/{id}/presence/` (PROTOCOL.md §5, seed 003 PresenceConsumer): who is
 * online in a project and which ticket they are looking at. Members only (else 4003).
 *
 * Presence is a topic per project in the cluster-wide Presence, so a user with
 * several tabs (on any instance) is one user: `joined` goes out for their first
 * connection, `left` after their last. Messages are flat, as in the seed.
 */
import { MAX_PROJECT_PRESENCE_USERS, projectPresenceClientSchemas } from '@switchboard/protocol';
import { Consumer, on, type HandlerTable } from '../../core/consumer.js';
import type { PresenceMember } from '../../presence/types.js';
import type { DepartureNotice } from '../shared/departures.js';
import type { OutgoingMessage } from '../shared/publish.js';
import { presenceGroup, presenceTopic, projectOfPresenceTopic } from './groups.js';
import { ProjectsService } from './service.js';

/** `user_status joined|left` of a user's first or last connection in the project's presence. */
export function userStatusMessage(action: 'joined' | 'left', user: PresenceMember): OutgoingMessage {
  return { type: 'user_status', action, user_id: user.userId, username: user.userName };
}

/** `user_status left` also when the user's instance dies (PROTOCOL.md §5). */
export const projectPresenceDepartures: DepartureNotice<string> = {
  keyOf: projectOfPresenceTopic,
  group: presenceGroup,
  message: (_projectId, user) => userStatusMessage('left', user),
};

export class ProjectPresenceConsumer extends Consumer {
  static override handlers: HandlerTable<ProjectPresenceConsumer> = {
    view_ticket: on(projectPresenceClientSchemas.view_ticket, (c: ProjectPresenceConsumer, p, ref) => c.viewTicket(p.ticket_id, ref)),
  };

  private projectId = '';
  private username = '';
  /** True between entering the project's presence topic and leaving it. */
  private present = false;

  override async authorize(): Promise<boolean> {
    const service = ProjectsService.for(this.host);
    const project = await service.projects.memberProject(this.params.project_id ?? '', this.user.id);
    if (!project) return false;
    this.projectId = project.id;
    this.username = (await service.actor(this.user)).username;
    return true;
  }

  override async onConnect(): Promise<void> {
    // Group first: a join or leave after the state is read still reaches this client.
    await this.join(presenceGroup(this.projectId));
    const { changed } = await this.host.presence.join(
      presenceTopic(this.projectId),
      { userId: this.user.id, userName: this.username },
      this.id,
    );
    this.present = true;
    const members = await this.host.presence.members(presenceTopic(this.projectId), MAX_PROJECT_PRESENCE_USERS);
    this.send({ type: 'presence_state', users: members.map((m) => ({ user_id: m.userId, username: m.userName })) });
    // The joiner gets its own `joined` too, as the seed's group_send does.
    if (changed) await this.broadcastStatus('joined');
  }

  override async onDisconnect(): Promise<void> {
    if (!this.present) return;
    this.present = false;
    const { changed } = await this.host.presence.leave(presenceTopic(this.projectId), this.user.id, this.id);
    if (changed) await this.broadcastStatus('left');
  }

  /** `user_status viewing` to everyone in the project; the sender's copy carries `ref`. */
  viewTicket(ticketId: string, ref: string | undefined): Promise<void> {
    return this.broadcast(
      presenceGroup(this.projectId),
      { type: 'user_status', action: 'viewing', user_id: this.user.id, username: this.username, ticket_id: ticketId },
      { ref },
    );
  }

  private broadcastStatus(action: 'joined' | 'left'): Promise<void> {
    return this.broadcast(presenceGroup(this.projectId), userStatusMessage(action, { userId: this.user.id, userName: this.username }));
  }
}
