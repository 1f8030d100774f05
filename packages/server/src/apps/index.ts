/** The app registry: one line per feature. */
import type { App } from '../core/app.js';
import { authApp } from '../http/auth-routes.js';
import { metricsApp } from '../http/metrics.js';
import { analyticsApp } from './analytics/index.js';
import { blogApp } from './blog/index.js';
import { channelsApp } from './channels/index.js';
import { conversationsApp } from './conversations/index.js';
import { documentsApp } from './documents/index.js';
import { healthApp } from './health/index.js';
import { notificationsApp } from './notifications/index.js';
import { operationsApp } from './operations/index.js';
import { projectsApp } from './projects/index.js';
import { roomsApp } from './rooms/index.js';
import { webApp } from './web/index.js';

export function builtinApps(): App[] {
  return [authApp(), metricsApp(), healthApp(), roomsApp(), notificationsApp(), channelsApp(), documentsApp(), conversationsApp(), projectsApp(), blogApp(), analyticsApp(), operationsApp(), webApp()];
}
