/**
 * Message types per endpoint, built from @switchboard/protocol, so `on`, `send` and
 * `request` are typed by the path a connection was opened on. Paths only known at
 * run time (and the binary Yjs endpoint) use `AnyEndpoint`.
 */
import type {
  AddBlogComment,
  AnalyticsServerMessage,
  BlogCommentsServerMessage,
  BlogPostServerMessage,
  ChannelHistoryIn,
  ChannelHistoryOut,
  ChannelMessageIn,
  ChannelMessageOut,
  ChannelReadIn,
  ChannelReadOut,
  ChannelsServerMessage,
  ChannelTypingIn,
  ClientMessageType,
  CommentAddedMessage,
  CommentHeldMessage,
  CommentsMessage,
  ConversationChatIn,
  ConversationMessageIn,
  ConversationMessageOut,
  ConversationsServerMessage,
  ConversationTypingIn,
  DocumentCursorIn,
  DocumentsServerMessage,
  DocumentStateMessage,
  DocumentUpdateAckMessage,
  DocumentUpdateIn,
  ErrorMessage,
  GetBlogComments,
  GetNotifications,
  HealthMessage,
  JoinRoom,
  LeaveRoom,
  MarkRead,
  NotificationListMessage,
  NotificationsServerMessage,
  PongMessage,
  PostStatsMessage,
  ProjectPresenceServerMessage,
  ProjectTicketsServerMessage,
  RoomJoined,
  RoomMessageIn,
  RoomMessageOut,
  RoomsServerMessage,
  RoomTypingIn,
  ServerEnvelope,
  SubscribeNotifications,
  SubscriptionsMessage,
  UnsubscribeNotifications,
  UpdatesSubscriptionMessage,
  UserStatusMessage,
  ViewTicket,
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

/** Server messages by `type`; a message whose `type` is a union is listed under each. */
type ByType<U extends { type: string }> = { [T in U['type']]: U extends { type: infer K } ? (T extends K ? U : never) : never };
type Empty = Record<string, never>;

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

/** Seed 003 `/ws/projects/<id>/tickets/`: pushes only. */
export type ProjectTicketsEndpoint = {
  server: CommonServer & ByType<ProjectTicketsServerMessage>;
  client: CommonClient;
  replies: CommonReplies;
};

/** Seed 003 `/ws/projects/<id>/presence/`. */
export type ProjectPresenceEndpoint = {
  server: CommonServer & ByType<ProjectPresenceServerMessage>;
  client: CommonClient & { view_ticket: ViewTicket };
  // The sender's copy of the `viewing` broadcast carries the ref.
  replies: CommonReplies & { view_ticket: UserStatusMessage };
};

/** Seed 002 `/ws/blog/posts/<id>/`. */
export type BlogPostEndpoint = {
  server: CommonServer & ByType<BlogPostServerMessage>;
  client: CommonClient & { track_view: Empty; get_stats: Empty; subscribe_updates: Empty; unsubscribe_updates: Empty };
  replies: CommonReplies & {
    track_view: PostStatsMessage;
    get_stats: PostStatsMessage;
    subscribe_updates: UpdatesSubscriptionMessage;
    unsubscribe_updates: UpdatesSubscriptionMessage;
  };
};

/** Seed 002 `/ws/blog/comments/<id>/`. */
export type BlogCommentsEndpoint = {
  server: CommonServer & ByType<BlogCommentsServerMessage>;
  client: CommonClient & { typing_start: Empty; typing_stop: Empty; get_comments: GetBlogComments; add_comment: AddBlogComment };
  // A comment that needs approval is answered with `comment_held`.
  replies: CommonReplies & { get_comments: CommentsMessage; add_comment: CommentAddedMessage | CommentHeldMessage };
};

/** Seed 002 `/ws/analytics/dashboard/` (staff only): pushes only. */
export type AnalyticsEndpoint = {
  server: CommonServer & ByType<AnalyticsServerMessage>;
  client: CommonClient;
  replies: CommonReplies;
};

/** `message_type` limited to what a client may send (`SYSTEM` is the server's). */
type ConversationSend = Omit<ConversationMessageIn, 'message_type'> & { message_type?: ClientMessageType };

/** Seed 004 `/ws/chat/<id>/`: the seed's `{type: "TEXT", message}` and the additive `message {message, message_type}`. */
export type ConversationsEndpoint = {
  server: CommonServer & ByType<ConversationsServerMessage>;
  client: CommonClient & { [T in ClientMessageType]: ConversationChatIn } & {
    message: ConversationSend;
    typing: ConversationTypingIn;
    mark_read: Empty;
  };
  replies: CommonReplies & { [T in ClientMessageType | 'message']: ConversationMessageOut };
};

type Slash = '/' | '';

/** The endpoint a literal path names; `AnyEndpoint` for a plain `string`. */
export type EndpointOf<P extends string> = string extends P
  ? AnyEndpoint
  : P extends '/api/v1/ws' | 'api/v1/ws'
    ? RoomsEndpoint
    : P extends `${Slash}ws/channels/${string}/`
      ? ChannelsEndpoint
      : P extends `${Slash}ws/documents/${string}/yjs`
        ? AnyEndpoint
        : P extends `${Slash}ws/documents/${string}/`
          ? DocumentsEndpoint
          : P extends `${Slash}ws/notifications/`
            ? NotificationsEndpoint
            : P extends `${Slash}ws/health/`
              ? HealthEndpoint
              : P extends `${Slash}ws/projects/${string}/tickets/`
                ? ProjectTicketsEndpoint
                : P extends `${Slash}ws/projects/${string}/presence/`
                  ? ProjectPresenceEndpoint
                  : P extends `${Slash}ws/blog/posts/${string}/`
                    ? BlogPostEndpoint
                    : P extends `${Slash}ws/blog/comments/${string}/`
                      ? BlogCommentsEndpoint
                      : P extends `${Slash}ws/analytics/dashboard/`
                        ? AnalyticsEndpoint
                        : P extends `${Slash}ws/chat/${string}/`
                          ? ConversationsEndpoint
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
