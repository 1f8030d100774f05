/** Public library API of @switchboard/server. */
export { SwitchboardServer, type ServerDependencies } from './core/server.js';
export { resolveOptions, DEFAULTS, type ServerOptions, type ResolvedOptions, type JwtOptions } from './core/options.js';
export { Consumer, on, payloadOf, type HandlerTable, type MessageHandler } from './core/consumer.js';
export { Connection, ConnectionState, type ConnectionInit } from './core/connection.js';
export { CONNECTIONS_TOPIC, type ServerContext, type ConnectionEvent, type ConnectionListener } from './core/context.js';
export type { App, WsRoute, ConsumerClass } from './core/app.js';
export type { AuthUser } from './core/auth.js';
export { ClientError } from './core/errors.js';
export { encodeMessage, serialize, textFrame, binaryFrame } from './core/frame.js';
export { TokenIssuer } from './core/tokens.js';
export type { ChannelLayer, LayerMember, GroupSendOptions, LayerStatus } from './layer/types.js';
export { userGroup } from './layer/types.js';
export { MemoryChannelLayer } from './layer/memory.js';
// Redis: createBackends builds the layer and presence an instance needs from its config.
export {
  createBackends,
  RedisChannelLayer,
  RedisConnection,
  LayerPublishError,
  type BackendOptions,
  type Backends,
  type RedisChannelLayerOptions,
  type RedisConnectionOptions,
} from './layer/index.js';
export type { Presence, PresenceMember, PresenceChange, DepartureListener } from './presence/types.js';
export { MemoryPresence } from './presence/memory.js';
export { RedisPresence, type RedisPresenceOptions } from './presence/redis.js';
export { Store, isPostgresUrl } from './store/store.js';
export { builtinApps } from './apps/index.js';
export { SERVER_VERSION } from './version.js';
