/**
 * Who is on a document, through either endpoint: a Presence topic per document, so
 * the list is cluster-wide. A user with several tabs is one user: `user_joined` is
 * sent for every new connection (as the seed does; adding a user twice to a set is
 * harmless), `user_left` only when the user's last connection on the document is gone.
 */
import { MAX_DOCUMENT_USERS_LISTED, type DocumentUser } from '@switchboard/protocol';
import type { Consumer } from '../../core/consumer.js';
import type { ServerContext } from '../../core/context.js';
import type { DepartureNotice } from '../shared/departures.js';
import type { OutgoingMessage } from '../shared/publish.js';
import { documentGroup, documentOfTopic, documentTopic } from './groups.js';

/** `user_left`: the user's last connection on the document left, or their instance died. */
export function userLeftMessage(userId: string): OutgoingMessage {
  return { type: 'user_left', data: { user_id: userId } };
}

export const documentDepartures: DepartureNotice<string> = {
  keyOf: documentOfTopic,
  group: documentGroup,
  message: (_documentId, user) => userLeftMessage(user.userId),
};

export async function enterDocument(consumer: Consumer, documentId: string): Promise<void> {
  const { user } = consumer;
  await consumer.host.presence.join(documentTopic(documentId), { userId: user.id, userName: user.name }, consumer.id);
}

/** `user_joined` to the document's JSON clients (the joiner included when it is one). */
export function announceJoin(consumer: Consumer, documentId: string): Promise<void> {
  const { user } = consumer;
  return consumer.broadcast(documentGroup(documentId), { type: 'user_joined', data: { user_id: user.id, user_name: user.name } });
}

/** Leaves the topic; `user_left` to the JSON clients when this was the user's last connection. */
export async function leaveDocument(consumer: Consumer, documentId: string, ref?: string): Promise<void> {
  const { changed } = await consumer.host.presence.leave(documentTopic(documentId), consumer.user.id, consumer.id);
  if (!changed) return;
  await consumer.broadcast(documentGroup(documentId), userLeftMessage(consumer.user.id), ref === undefined ? {} : { ref });
}

export async function presentUsers(host: ServerContext, documentId: string): Promise<DocumentUser[]> {
  const members = await host.presence.members(documentTopic(documentId), MAX_DOCUMENT_USERS_LISTED);
  return members.map((member) => ({ user_id: member.userId, user_name: member.userName }));
}
