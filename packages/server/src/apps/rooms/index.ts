import { ROOMS_PATH } from '@switchboard/protocol';
import type { App } from '../../core/app.js';
import { announceDepartures } from '../shared/departures.js';
import { RoomsConsumer, roomDepartures } from './consumer.js';

export function roomsApp(): App {
  let stopDepartures: (() => void) | undefined;
  return {
    name: 'rooms',
    routes: [{ path: ROOMS_PATH, consumer: RoomsConsumer }],
    start(context) {
      stopDepartures = announceDepartures(context, roomDepartures);
    },
    stop() {
      stopDepartures?.();
    },
  };
}
