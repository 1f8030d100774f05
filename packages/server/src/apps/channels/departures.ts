/**
 * Channel `presence` updates for users whose instance died: no onDisconnect runs for
 * them, so when the cluster-wide Presence reports them gone from the connections topic
 * (once, on one live instance), the channels they could see get a fresh list. Rare and
 * bounded (one instance's users), so the store is asked which channels those are.
 */
import { CONNECTIONS_TOPIC, type ServerContext } from '../../core/context.js';
import { ChannelsService } from './service.js';

export function announceChannelDepartures(context: ServerContext): () => void {
  return context.presence.onDeparted((topic, userIds) => {
    if (topic !== CONNECTIONS_TOPIC) return;
    void refreshChannelsOf(context, userIds).catch((error: unknown) => {
      context.logger.error({ err: error }, 'channel presence update after an instance died failed');
    });
  });
}

async function refreshChannelsOf(context: ServerContext, userIds: readonly string[]): Promise<void> {
  const { workspaces } = context.store;
  const seen = new Set<string>();
  const service = ChannelsService.for(context);
  for (const userId of userIds) {
    for (const workspace of await workspaces.listForUser(userId)) {
      for (const channel of await workspaces.listChannels(workspace.id, userId)) {
        if (seen.has(channel.id)) continue;
        seen.add(channel.id);
        await service.broadcastPresence(channel);
      }
    }
  }
}
