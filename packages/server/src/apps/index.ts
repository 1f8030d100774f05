/** The app registry: one line per feature. */
import type { App } from '../core/app.js';
import { authApp } from '../http/auth-routes.js';
import { metricsApp } from '../http/metrics.js';
import { healthApp } from './health/index.js';
import { roomsApp } from './rooms/index.js';

export function builtinApps(): App[] {
  return [authApp(), metricsApp(), healthApp(), roomsApp()];
}
