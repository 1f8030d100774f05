/**
 * @switchboard/react: a provider that owns a Switchboard client and hooks over small
 * external stores (`useSyncExternalStore`), one shared store per channel, document or
 * project, fed by the client's pooled connections.
 */
export { SwitchboardProvider, useCurrentUser, useSwitchboard, type SwitchboardContextValue, type SwitchboardProviderProps } from './provider.js';
export { tokenUser, type TokenUser } from './token.js';
export { newClientId } from '@switchboard/client';
export { BindingRegistry, DEFAULT_MAX_IDLE_BINDINGS, type Binding } from './registry.js';
export { useBinding, useStoreSnapshot } from './hooks/use-binding.js';
export { useConnectionState, useWebSocket, type UseWebSocketOptions, type UseWebSocketResult } from './hooks/use-connection.js';
export { useNotifications, type UseNotificationsOptions, type UseNotificationsResult } from './hooks/use-notifications.js';
export { useChannel, useChannelPresence, useChannelTyping, type UseChannelResult } from './hooks/use-channel.js';
export { useDocument, type UseDocumentResult } from './hooks/use-document.js';
export {
  useProjectPresence,
  useProjectTickets,
  type UseProjectPresenceResult,
  type UseProjectTicketsOptions,
  type UseProjectTicketsResult,
} from './hooks/use-projects.js';
export { useBlogComments, useBlogPost, type UseBlogCommentsResult, type UseBlogPostResult } from './hooks/use-blog.js';
export { useAnalytics, type UseAnalyticsResult } from './hooks/use-analytics.js';
export { useConversation, type UseConversationOptions, type UseConversationResult } from './hooks/use-conversation.js';
export { ExternalStore, type Listener } from './stores/store.js';
export { ConnectionStore, INITIAL_CONNECTION, type ConnectionSnapshot } from './stores/connection-store.js';
export { NotificationsStore, MAX_KEPT_NOTIFICATIONS, type NotificationsSnapshot } from './stores/notifications-store.js';
export { ChannelStore, type ChannelSnapshot, type PendingMessage, type TypingUser } from './stores/channel-store.js';
export { DocumentStore, type DocumentSnapshot, type OutgoingUpdate, type RejectedEdit, type RemoteCursor } from './stores/document-store.js';
export { applySplice, rebase, spliceBetween, transformOffset, type Splice } from './stores/rebase.js';
export { TicketsStore, type BoardTicket, type TicketEvent, type TicketsSnapshot } from './stores/tickets-store.js';
export { ProjectPresenceStore, type ProjectPresenceSnapshot, type ProjectViewer } from './stores/project-presence-store.js';
export { BlogCommentsStore, BlogPostStore, type BlogCommentsSnapshot, type BlogPostSnapshot } from './stores/blog-stores.js';
export { AnalyticsStore, DEFAULT_ANALYTICS_CAPACITY, type AnalyticsSample, type AnalyticsSnapshot } from './stores/analytics-store.js';
export { ConversationStore, type ConversationEntry, type ConversationSnapshot } from './stores/conversation-store.js';
export { TypingSender, type TypingSenderOptions } from './stores/typing-sender.js';
// The endpoint typings moved to @switchboard/client; re-exported under their former names.
export type {
  AnalyticsEndpoint,
  BlogCommentsEndpoint,
  BlogPostEndpoint,
  ConversationsEndpoint as ConversationEndpoint,
  ProjectPresenceEndpoint,
  ProjectTicketsEndpoint,
} from '@switchboard/client';
