/**
 * Who is on a project (`/ws/projects/{id}/presence/`, seed 003): `presence_state` on
 * connect, then `user_status` joined / left / viewing. A user is listed once however
 * many tabs they have (the server sends `left` after their last one closes).
 */
import type { ProjectPresenceUser } from '@switchboard/protocol';
import { ExternalStore } from './store.js';

export interface ProjectViewer extends ProjectPresenceUser {
  /** The ticket the user last said they are viewing. */
  readonly ticket_id?: string;
}

export interface ProjectPresenceSnapshot {
  readonly users: readonly ProjectViewer[];
  readonly loaded: boolean;
}

export const INITIAL_PROJECT_PRESENCE: ProjectPresenceSnapshot = Object.freeze({ users: [], loaded: false });

/** The users of a snapshot viewing one ticket. */
export function viewersOf(users: readonly ProjectViewer[], ticketId: string): ProjectViewer[] {
  return users.filter((user) => user.ticket_id === ticketId);
}

export class ProjectPresenceStore extends ExternalStore<ProjectPresenceSnapshot> {
  constructor() {
    super(INITIAL_PROJECT_PRESENCE);
  }

  receive(message: { type: string; [field: string]: unknown }): void {
    if (message.type === 'presence_state' && Array.isArray(message.users)) {
      const previous = new Map(this.current.users.map((user) => [user.user_id, user]));
      const users = (message.users as ProjectPresenceUser[]).map((user) => {
        const viewing = previous.get(user.user_id)?.ticket_id;
        return viewing ? { user_id: user.user_id, username: user.username, ticket_id: viewing } : { user_id: user.user_id, username: user.username };
      });
      this.setState({ users, loaded: true });
      return;
    }
    if (message.type !== 'user_status' || typeof message.user_id !== 'string') return;
    const userId = message.user_id;
    const username = String(message.username ?? '');
    const others = this.current.users.filter((user) => user.user_id !== userId);
    const known = this.current.users.find((user) => user.user_id === userId);
    switch (message.action) {
      case 'joined':
        if (!known) this.patch({ users: [...others, { user_id: userId, username }] });
        return;
      case 'left':
        if (known) this.patch({ users: others });
        return;
      case 'viewing': {
        const viewer: ProjectViewer = { user_id: userId, username, ...(typeof message.ticket_id === 'string' ? { ticket_id: message.ticket_id } : {}) };
        this.patch({ users: known ? this.current.users.map((user) => (user.user_id === userId ? viewer : user)) : [...others, viewer] });
        return;
      }
    }
  }

  /** The connection dropped: nobody is known to be here until the next `presence_state`. */
  connectionLost(): void {
    if (this.current.users.length > 0) this.setState({ users: [], loaded: false });
  }

  /** Viewers of one ticket. */
  viewersOf(ticketId: string): ProjectViewer[] {
    return viewersOf(this.current.users, ticketId);
  }
}
