import type { App } from '../../core/app.js';

export function channelsApp(): App {
  return { name: 'channels', routes: [] };
}
