/**
 * `<user> left` for room members whose instance died: no onDisconnect runs for them, so
 * the cluster-wide Presence reports them once its entries expire, on exactly one live
 * instance, which tells the room through the channel layer.
 */
import type { ServerContext } from '../../core/context.js';
import { encodeMessage } from '../../core/frame.js';
import { roomGroup, roomOfTopic } from './consumer.js';

export function announceRoomDepartures(context: Pick<ServerContext, 'presence' | 'layer'>): () => void {
  return context.presence.onDeparted((topic, userIds, userNames) => {
    const room = roomOfTopic(topic);
    if (room === undefined) return;
    userIds.forEach((userId, i) => {
      const notice = { type: 'system', message: `${userId} left`, room, user_id: userId, user_name: userNames[i] ?? userId };
      // The server's layer logs a failed cross-instance hop itself (core/fanout.ts).
      void context.layer.groupSend(roomGroup(room), encodeMessage(notice));
    });
  });
}
