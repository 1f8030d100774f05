/**
 * `user_status left` for users whose instance died (PROTOCOL.md §5: "or its instance
 * dies"): no onDisconnect runs for them, so the cluster-wide Presence reports them once
 * its entries expire, on exactly one live instance, which tells the project's presence
 * group through the channel layer (cluster-wide, encoded once per user).
 */
import type { ServerContext } from '../../core/context.js';
import { encodeMessage } from '../../core/frame.js';
import { presenceGroup, projectOfPresenceTopic } from './groups.js';

type DeparturesContext = Pick<ServerContext, 'presence' | 'layer' | 'logger'>;

/** Subscribes; returns the unsubscribe function. */
export function announceDepartures(context: DeparturesContext): () => void {
  return context.presence.onDeparted((topic, userIds, userNames) => {
    const projectId = projectOfPresenceTopic(topic);
    if (projectId === undefined) return;
    userIds.forEach((userId, i) => {
      const frame = encodeMessage({ type: 'user_status', action: 'left', user_id: userId, username: userNames[i] ?? '' });
      context.layer.groupSend(presenceGroup(projectId), frame).catch((error: unknown) => {
        context.logger.error({ err: error, project: projectId, user: userId }, 'project presence departure broadcast failed');
      });
    });
  });
}
