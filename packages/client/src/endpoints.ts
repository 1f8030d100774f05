/**
 * Message types per endpoint, built from @switchboard/protocol, so `on`, `send` and
 * `request` are typed by the path a connection was opened on. Endpoints (or paths
 * only known at run time) without a map here use `AnyEndpoint`.
 */
import type {
  ChannelHistoryIn,
  ChannelHistoryOut,
  ChannelMessageIn,
  ChannelMessageOut,
  ChannelReadIn,
  ChannelReadOut,
  ChannelTypingIn,
  ChannelsServerMessage,
  DocumentCursorIn,
  DocumentStateMessage,
  DocumentUpdateAckMessage,
  DocumentUpdateIn,
  DocumentsServerMessage,
  ErrorMessage,
  GetNotifications,
  HealthMessage,
  JoinRoom,
  LeaveRoom,
  MarkRead,
  NotificationListMessage,
  NotificationsServerMessage,
  PongMessage,
  RoomJoined,
  RoomMessageIn,
  RoomMessageOut,
  RoomTypingIn,
  RoomsServerMessage,
  ServerEnvelope,
  SubscribeNotifications,
  SubscriptionsMessage,
  UnsubscribeNotifications,
} from '@switchboard/protocol';

/** Any server message: `type`, `timestamp`, maybe `ref`, and the endpoint's fields. */
export type ServerMessage = ServerEnvelope & { [field: string]: unknown };

/** Reply to `{"type":"refresh_token","token":…}`: the connection now lives until `exp`. */
export interface TokenRefreshedMessage extends ServerEnvelope {
  type: 'token_refreshed';
  exp: number;
}

export interface Endpoint {
  /** Server → client messages by `type`. */
  readonly server: object;
  /** Client → server payloads by `type` (without `type` and `ref`). */
  readonly client: object;
  /** The reply to each client message that has one. */
  readonly replies: object;
}

type ByType<U extends { type: string }> = { [T in U['type']]: Extract<U, { type: T }> };

type CommonServer = ByType<ErrorMessage | PongMessage | TokenRefreshedMessage>;
type CommonClient = { ping: { timestamp?: unknown }; refresh_token: { token: string } };
type CommonReplies = { ping: PongMessage; refresh_token: TokenRefreshedMessage };

/** Paths without a typed map: every message is a `ServerMessage`, every payload a plain object. */
export type AnyEndpoint = {
  server: Record<string, ServerMessage>;
  client: Record<string, Record<string, unknown>>;
  replies: Record<string, ServerMessage>;
};

/** Seed 001 rooms: `/api/v1/ws`. */
export type RoomsEndpoint = {
  server: CommonServer & ByType<RoomsServerMessage>;
  client: CommonClient & { join_room: JoinRoom; leave_room: LeaveRoom; message: RoomMessageIn; typing: RoomTypingIn };
  replies: CommonReplies & { join_room: RoomJoined; message: RoomMessageOut };
};

/** Seed 000 chat: `/ws/channels/<uuid>/`. */
export type ChannelsEndpoint = {
  server: CommonServer & ByType<ChannelsServerMessage>;
  client: CommonClient & { message: ChannelMessageIn; typing: ChannelTypingIn; read: ChannelReadIn; history: ChannelHistoryIn };
  replies: CommonReplies & { message: ChannelMessageOut; read: ChannelReadOut; history: ChannelHistoryOut };
};

/** Seed 000 documents (JSON endpoint): `/ws/documents/<uuid>/`. */
export type DocumentsEndpoint = {
  server: CommonServer & ByType<DocumentsServerMessage>;
  client: CommonClient & { update: DocumentUpdateIn; cursor: DocumentCursorIn; join: Record<string, never>; leave: Record<string, never> };
  replies: CommonReplies & { update: DocumentUpdateAckMessage; join: DocumentStateMessage };
};

/** `/ws/notifications/` (seeds 000, 002, 003). */
export type NotificationsEndpoint = {
  server: CommonServer & ByType<NotificationsServerMessage>;
  client: CommonClient & {
    subscribe: SubscribeNotifications;
    unsubscribe: UnsubscribeNotifications;
    mark_read: MarkRead;
    mark_all_read: Record<string, never>;
    get_notifications: GetNotifications;
  };
  replies: CommonReplies & {
    subscribe: SubscriptionsMessage;
    unsubscribe: SubscriptionsMessage;
    get_notifications: NotificationListMessage;
  };
};

/** `/ws/health/` (anonymous). */
export type HealthEndpoint = {
  server: CommonServer & ByType<HealthMessage>;
  client: CommonClient;
  replies: CommonReplies;
};

/** The endpoint a literal path names; `AnyEndpoint` for a plain `string`. */
export type EndpointOf<P extends string> = string extends P
  ? AnyEndpoint
  : P extends '/api/v1/ws' | 'api/v1/ws'
    ? RoomsEndpoint
    : P extends `${'/' | ''}ws/channels/${string}/`
      ? ChannelsEndpoint
      : P extends `${'/' | ''}ws/documents/${string}/yjs`
        ? AnyEndpoint
        : P extends `${'/' | ''}ws/documents/${string}/`
          ? DocumentsEndpoint
          : P extends '/ws/notifications/' | 'ws/notifications/'
            ? NotificationsEndpoint
            : P extends '/ws/health/' | 'ws/health/'
              ? HealthEndpoint
              : AnyEndpoint;

/** Every server message of an endpoint, as one union. */
export type ServerMessageOf<E extends Endpoint> = E['server'][keyof E['server']];

/** The reply a request of `type` resolves with. */
export type ReplyOf<E extends Endpoint, K> = K extends keyof E['replies'] ? E['replies'][K] : ServerMessageOf<E>;

/** `send('mark_all_read')` needs no payload; `send('join_room', { room })` does. */
export type PayloadArgs<P> = {} extends P ? [payload?: P] : [payload: P];

const CHANNEL_PATH = /^\/ws\/channels\/[^/?]+\/?(\?|$)/;

/** Chat channel paths get `client_id`s on `message` and the `after_seq` backfill. */
export function isChannelPath(path: string): boolean {
  return CHANNEL_PATH.test(path);
}
