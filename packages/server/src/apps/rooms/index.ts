import { ROOMS_PATH } from '@switchboard/protocol';
import type { App } from '../../core/app.js';
import { RoomsConsumer } from './consumer.js';
import { announceRoomDepartures } from './departures.js';

export function roomsApp(): App {
  let stopDepartures: (() => void) | undefined;
  return {
    name: 'rooms',
    routes: [{ path: ROOMS_PATH, consumer: RoomsConsumer }],
    start(context) {
      stopDepartures = announceRoomDepartures(context);
    },
    stop() {
      stopDepartures?.();
    },
  };
}
