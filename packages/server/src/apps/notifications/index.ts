import type { App } from '../../core/app.js';

export function notificationsApp(): App {
  return { name: 'notifications', routes: [] };
}
