import { ROOMS_PATH } from '@switchboard/protocol';
import type { App } from '../../core/app.js';
import { RoomsConsumer } from './consumer.js';

export function roomsApp(): App {
  return { name: 'rooms', routes: [{ path: ROOMS_PATH, consumer: RoomsConsumer }] };
}
