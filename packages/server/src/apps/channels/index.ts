/**
 * Workspace chat (seed 000, PROTOCOL.md §2 and §8): the `/ws/channels/<uuid>/`
 * endpoint and the workspace, channel and message REST routes.
 */
import { CHANNELS_PATH } from '@switchboard/protocol';
import type { App } from '../../core/app.js';
import type { ServerContext } from '../../core/context.js';
import { ChannelConsumer } from './consumer.js';
import { announceChannelDepartures } from './departures.js';
import { channelRoutes } from './http-channels.js';
import { workspaceRoutes } from './http-workspaces.js';
import { ChannelsService } from './service.js';

export function channelsApp(): App {
  let started: ServerContext | undefined;
  let stopDepartures: (() => void) | undefined;
  return {
    name: 'channels',
    routes: [{ path: CHANNELS_PATH, consumer: ChannelConsumer }],
    http(fastify, context) {
      workspaceRoutes(fastify, context);
      channelRoutes(fastify, context);
    },
    start(context) {
      started = context;
      ChannelsService.for(context);
      stopDepartures = announceChannelDepartures(context);
    },
    stop() {
      stopDepartures?.();
      // Clears the shared typing timer.
      if (started) ChannelsService.for(started).stop();
    },
  };
}
