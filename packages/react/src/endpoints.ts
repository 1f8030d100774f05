/**
 * Typed message maps for the endpoints the client SDK types as `AnyEndpoint`
 * (projects, blog, analytics, conversations), built from @switchboard/protocol.
 */
import type {
  AnalyticsServerMessage,
  BlogCommentsServerMessage,
  BlogPostServerMessage,
  CommentsMessage,
  ConversationsServerMessage,
  ErrorMessage,
  PongMessage,
  PostStatsMessage,
  ProjectPresenceServerMessage,
  ProjectTicketsServerMessage,
  UpdatesSubscriptionMessage,
} from '@switchboard/protocol';
import type { TokenRefreshedMessage } from '@switchboard/client';

type ByType<U extends { type: string }> = { [T in U['type']]: Extract<U, { type: T }> };
type CommonServer = ByType<ErrorMessage | PongMessage | TokenRefreshedMessage>;
type CommonClient = { ping: { timestamp?: unknown }; refresh_token: { token: string } };
type CommonReplies = { ping: PongMessage; refresh_token: TokenRefreshedMessage };
type Empty = Record<string, never>;

/** `/ws/projects/{id}/tickets/`: pushes only. */
export type ProjectTicketsEndpoint = {
  server: CommonServer & ByType<ProjectTicketsServerMessage>;
  client: CommonClient;
  replies: CommonReplies;
};

/** `/ws/projects/{id}/presence/`. */
export type ProjectPresenceEndpoint = {
  server: CommonServer & ByType<ProjectPresenceServerMessage>;
  client: CommonClient & { view_ticket: { ticket_id: string } };
  replies: CommonReplies;
};

/** `/ws/blog/posts/{id}/`. */
export type BlogPostEndpoint = {
  server: CommonServer & ByType<BlogPostServerMessage>;
  client: CommonClient & { track_view: Empty; get_stats: Empty; subscribe_updates: Empty; unsubscribe_updates: Empty };
  replies: CommonReplies & { get_stats: PostStatsMessage; subscribe_updates: UpdatesSubscriptionMessage; unsubscribe_updates: UpdatesSubscriptionMessage };
};

/** `/ws/blog/comments/{id}/`. */
export type BlogCommentsEndpoint = {
  server: CommonServer & ByType<BlogCommentsServerMessage>;
  client: CommonClient & { typing_start: Empty; typing_stop: Empty; get_comments: { limit?: number }; add_comment: { content: string } };
  replies: CommonReplies & { get_comments: CommentsMessage };
};

/** `/ws/analytics/dashboard/` (staff). */
export type AnalyticsEndpoint = {
  server: CommonServer & ByType<AnalyticsServerMessage>;
  client: CommonClient;
  replies: CommonReplies;
};

/** `/ws/chat/{id}/` (seed 004). */
export type ConversationEndpoint = {
  server: CommonServer & ByType<ConversationsServerMessage>;
  client: CommonClient & {
    message: { message: string; message_type?: 'TEXT' | 'LOCATION' | 'IMAGE' | 'FILE' };
    typing: { is_typing?: boolean };
    mark_read: Empty;
  };
  replies: CommonReplies;
};
