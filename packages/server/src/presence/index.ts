/** Presence backends: memory (one instance) and Redis (cluster-wide, with instance expiry). */
export { MemoryPresence } from './memory.js';
export { RedisPresence, type RedisPresenceOptions, type RedisPresenceCloseOptions } from './redis.js';
export * from './types.js';
