/**
 * Departures by instance death: no onDisconnect runs for the users of a dead instance,
 * so the cluster-wide Presence reports them once its entries expire, on exactly one
 * live instance. That instance tells each topic's group through the channel layer,
 * with the same message the app sends when a user leaves normally.
 */
import type { ServerContext } from '../../core/context.js';
import { encodeMessage } from '../../core/frame.js';
import type { PresenceMember } from '../../presence/types.js';
import type { OutgoingMessage } from './publish.js';

export interface DepartureNotice<K> {
  /** The app's key (room, project, document, post) of a presence topic; undefined for other topics. */
  keyOf(topic: string): K | undefined;
  /** The channel-layer group told of the departure. */
  group(key: K): string;
  /** The message a normal leave would send for `user`. */
  message(key: K, user: PresenceMember): OutgoingMessage | Promise<OutgoingMessage>;
  /** Skip the departed user's connections elsewhere, as the normal leave does. */
  exceptUser?: boolean;
}

/** Subscribes; returns the unsubscribe function. */
export function announceDepartures<K>(
  context: Pick<ServerContext, 'presence' | 'layer' | 'logger'>,
  notice: DepartureNotice<K>,
): () => void {
  const announce = async (key: K, user: PresenceMember): Promise<void> => {
    const frame = encodeMessage(await notice.message(key, user));
    // The server's layer logs a failed cross-instance hop itself (core/fanout.ts).
    await context.layer.groupSend(notice.group(key), frame, notice.exceptUser ? { exceptUser: user.userId } : undefined);
  };
  return context.presence.onDeparted((topic, userIds, userNames) => {
    const key = notice.keyOf(topic);
    if (key === undefined) return;
    userIds.forEach((userId, i) => {
      // A message may read Presence (Redis), which can fail.
      announce(key, { userId, userName: userNames[i] ?? userId }).catch((error: unknown) => {
        context.logger.error({ err: error, topic, user: userId }, 'departure announcement failed');
      });
    });
  });
}
