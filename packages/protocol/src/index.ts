export * from './codes.js';
export * from './schema.js';
export * from './common.js';
export * from './rooms.js';
export * from './health.js';
export * from './channels.js';
export * from './documents.js';
export * from './notifications.js';
