/**
 * ProjectsService: ticket writes and what follows them. Every write is committed
 * first; then `ticket_update` (or `comment_added`) goes to the project's tickets group,
 * encoded once; then notifications are persisted and pushed through NotificationService.
 * A failed push after the commit is logged, not thrown: the write happened, and a
 * client retrying on an error would create a duplicate.
 */
import type { NotificationInput, TicketAction } from '@switchboard/protocol';
import type { AuthUser } from '../../core/auth.js';
import type { ServerContext } from '../../core/context.js';
import { encodeMessage } from '../../core/frame.js';
import { ProjectRepository, type NewTicket, type Ticket, type TicketChanges, type TicketComment, type TicketUpdate } from '../../store/projects.js';
import { NotificationService } from '../notifications/service.js';
import { ticketsGroup } from './groups.js';
import { candidateUsernames, parseMentions, resolveMentions } from './mentions.js';
import {
  creationNotifications,
  mentionNotifications,
  updateNotifications,
  type Actor,
  type PlannedNotification,
} from './ticket-notifications.js';
import { ticketUpdateData, wireComment } from './wire.js';

type ServiceContext = Pick<ServerContext, 'store' | 'layer' | 'logger'>;

const services = new WeakMap<ServiceContext, ProjectsService>();

export interface CommentResult {
  comment: TicketComment;
  /** Project members notified of a mention. */
  mentionedUserIds: string[];
}

export class ProjectsService {
  /** The service of a server: one per context, shared by its routes and consumers. */
  static for(context: ServiceContext): ProjectsService {
    let service = services.get(context);
    if (!service) {
      service = new ProjectsService(context);
      services.set(context, service);
    }
    return service;
  }

  readonly projects: ProjectRepository;

  private constructor(private readonly context: ServiceContext) {
    this.projects = new ProjectRepository(context.store.db, context.store.dialect);
  }

  /** The user as others see them: the stored username, else the token's name (external issuers). */
  async actor(user: AuthUser): Promise<Actor> {
    const stored = await this.context.store.users.findById(user.id);
    return { id: user.id, username: stored?.username ?? user.name };
  }

  async createTicket(input: NewTicket, actor: Actor): Promise<Ticket> {
    const ticket = await this.projects.createTicket(input);
    await this.announce(ticket, 'created', actor);
    await this.deliver(creationNotifications(ticket, actor));
    return ticket;
  }

  /** Undefined when the ticket no longer exists. Nothing is announced when nothing changed. */
  async updateTicket(ticketId: string, changes: TicketChanges, actor: Actor): Promise<TicketUpdate | undefined> {
    const update = await this.projects.updateTicket(ticketId, changes);
    if (!update?.changed) return update;
    await this.announce(update.after, 'updated', actor);
    await this.deliver(updateNotifications(update.before, update.after, actor));
    return update;
  }

  /** The deleted ticket; undefined when it was already gone. */
  async deleteTicket(ticketId: string, actor: Actor): Promise<Ticket | undefined> {
    const ticket = await this.projects.deleteTicket(ticketId);
    if (ticket) await this.announce(ticket, 'deleted', actor);
    return ticket;
  }

  /** Stores a comment, announces it, notifies the project members it mentions. Undefined when the ticket is gone. */
  async addComment(ticket: Ticket, content: string, actor: Actor): Promise<CommentResult | undefined> {
    const comment = await this.projects.addComment(ticket.id, actor, content);
    if (!comment) return undefined;
    await this.publish(ticket.projectId, { type: 'comment_added', data: { ...wireComment(comment), project_id: ticket.projectId } });
    const mentions = parseMentions(content);
    const members = await this.projects.membersByUsername(ticket.projectId, candidateUsernames(mentions));
    const idByName = new Map(members.map((member) => [member.username, member.id]));
    const mentioned = resolveMentions(mentions, new Set(idByName.keys())).map((name) => idByName.get(name)!);
    const planned = mentionNotifications(ticket, comment, mentioned, actor);
    await this.deliver(planned);
    return { comment, mentionedUserIds: planned.map((notification) => notification.userId) };
  }

  private announce(ticket: Ticket, action: TicketAction, actor: Actor): Promise<void> {
    return this.publish(ticket.projectId, { type: 'ticket_update', action, data: ticketUpdateData(ticket, actor.username) });
  }

  /** A failed cross-instance hop is logged by the server's layer, not thrown (core/fanout.ts). */
  private publish(projectId: string, message: { type: string; [key: string]: unknown }): Promise<void> {
    return this.context.layer.groupSend(ticketsGroup(projectId), encodeMessage(message));
  }

  private async deliver(planned: readonly PlannedNotification[]): Promise<void> {
    const notifications = NotificationService.for(this.context);
    for (const { userId, input } of planned) await this.notifyLogged(notifications, userId, input);
  }

  private async notifyLogged(notifications: NotificationService, userId: string, input: NotificationInput): Promise<void> {
    try {
      await notifications.notify(userId, input);
    } catch (error) {
      this.context.logger.error({ err: error, user: userId, type: input.notification_type }, 'ticket notification failed');
    }
  }
}
