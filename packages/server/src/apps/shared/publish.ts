/**
 * Fan-out for writes that may come from a WebSocket request or from REST: the message
 * is encoded once for the group; the requesting connection, when there is one, gets
 * its own copy carrying its `ref` instead of the shared frame.
 */
import type { Consumer } from '../../core/consumer.js';
import { encodeMessage } from '../../core/frame.js';
import type { ChannelLayer } from '../../layer/types.js';

export type OutgoingMessage = { type: string; [key: string]: unknown };

/** The WebSocket connection a request came from: its copy of the broadcast carries `ref`. */
export interface Origin {
  consumer: Consumer;
  ref: string | undefined;
}

export function publish(layer: ChannelLayer, group: string, message: OutgoingMessage, origin?: Origin): Promise<void> {
  if (origin) return origin.consumer.broadcast(group, message, { ref: origin.ref });
  return layer.groupSend(group, encodeMessage(message));
}
