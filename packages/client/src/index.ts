/**
 * @switchboard/client: the Switchboard SDK for browsers and Node. Pooled connections
 * per path, an explicit state machine with full-jitter backoff, token refresh (on 4001
 * and in-band with `refresh_token`), heartbeat, an offline queue, requests matched by
 * `ref`, and gap-free chat.
 */
export { SwitchboardClient } from './client.js';
export type { TokenRefreshResult } from './token.js';
export { newClientId } from './uuid.js';
export { Connection, type RequestOptions, type RetryEvent, type StateChange } from './connection.js';
export type { Unsubscribe } from './listeners.js';
export { CLIENT_DEFAULTS, type ClientOptions, type GetToken, type ResolvedClientOptions, type TokenRequest } from './options.js';
export { backoff, type BackoffOptions } from './backoff.js';
export {
  DEFAULT_RECONNECT,
  INITIAL_MACHINE,
  SEED_001_RECONNECT,
  isRetryable,
  transition,
  type ConnectionState,
  type GiveUpReason,
  type Machine,
  type MachineEvent,
  type ReconnectOptions,
  type RetryPlan,
  type Transition,
} from './state-machine.js';
export { DEFAULT_HEARTBEAT, heartbeatStep, type HeartbeatOptions, type HeartbeatStep } from './heartbeat.js';
export { normalizePath, systemTimers, type Timers, type WebSocketConstructor, type WebSocketLike } from './transport.js';
export { isChannelMessage } from './backfill.js';
export {
  ConnectionClosedError,
  ConnectionLostError,
  RequestError,
  RequestTimeoutError,
  SendQueueFullError,
  SwitchboardError,
  TokenRefreshError,
} from './errors.js';
export {
  isChannelPath,
  type AnalyticsEndpoint,
  type AnyEndpoint,
  type BlogCommentsEndpoint,
  type BlogPostEndpoint,
  type ChannelsEndpoint,
  type ConversationsEndpoint,
  type DocumentsEndpoint,
  type Endpoint,
  type EndpointOf,
  type HealthEndpoint,
  type NotificationsEndpoint,
  type PayloadArgs,
  type ProjectPresenceEndpoint,
  type ProjectTicketsEndpoint,
  type ReplyOf,
  type RoomsEndpoint,
  type ServerMessage,
  type ServerMessageOf,
  type TokenRefreshedMessage,
} from './endpoints.js';
