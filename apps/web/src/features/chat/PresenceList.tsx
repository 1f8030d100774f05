/** Who is online in the workspace (ids from `presence`, names learned from messages). */
import type { TokenUser } from '@switchboard/react';
import type { ReactNode } from 'react';
import { Avatar } from '../../ui/avatar.js';

/** The API has no workspace member list: users who have not written yet are known by id only. */
export function unknownUser(id: string): string {
  return `User ${id.slice(0, 8)}`;
}

export function PresenceList({ onlineUsers, names, self }: { onlineUsers: readonly string[]; names: Readonly<Record<string, string>>; self: TokenUser | null }): ReactNode {
  const nameOf = (id: string) => (id === self?.id ? self.name : (names[id] ?? unknownUser(id)));
  return (
    <aside className="presence card" data-testid="presence-list" data-count={onlineUsers.length}>
      <div className="side-title">Online — {onlineUsers.length}</div>
      <ul>
        {onlineUsers.map((id) => (
          <li key={id} data-testid="presence-user" data-user-id={id}>
            <Avatar id={id} name={nameOf(id)} size={24} online />
            <span>{id === self?.id ? `${nameOf(id)} (you)` : nameOf(id)}</span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
