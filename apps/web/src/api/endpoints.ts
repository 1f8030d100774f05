/** The REST routes the app uses (PROTOCOL.md §8), typed with the protocol's shapes. */
import type {
  BlogComment,
  BlogPost,
  BlogPostStats,
  BlogPostStatus,
  ChannelInfo,
  ChannelType,
  ConversationDetail,
  ConversationInbox,
  ConversationInfo,
  DocumentResource,
  ProjectInfo,
  ProjectMemberInfo,
  TicketCommentInfo,
  TicketInfo,
  TicketStatus,
  WorkspaceInfo,
} from '@switchboard/protocol';
import { api } from './http.js';

export interface TokenPair {
  access: string;
  refresh: string;
}

export interface Me {
  id: string;
  username: string;
  name: string;
  is_staff: boolean;
}

export interface LikeResult {
  liked: boolean;
  changed: boolean;
  stats: BlogPostStats;
}

const id = encodeURIComponent;

export const auth = {
  register: (body: { username: string; password: string; name?: string }) => api<Me>('/api/auth/register', { method: 'POST', body, auth: false }),
  token: (body: { username: string; password: string }) => api<TokenPair>('/api/auth/token', { method: 'POST', body, auth: false }),
  refresh: (refresh: string) => api<TokenPair>('/api/auth/refresh', { method: 'POST', body: { refresh }, auth: false }),
  logout: (refresh: string | undefined) => api<{ closed_connections: number }>('/api/auth/logout', { method: 'POST', body: refresh ? { refresh } : {} }),
  /** The caller's profile; `access` for a token the session does not hold yet. */
  me: (access?: string) => api<Me>('/api/users/me', access === undefined ? {} : { token: access }),
};

export const workspaces = {
  list: () => api<WorkspaceInfo[]>('/api/workspaces'),
  create: (name: string) => api<WorkspaceInfo>('/api/workspaces', { method: 'POST', body: { name } }),
  addMember: (workspaceId: string, userId: string) => api<{ added: boolean }>(`/api/workspaces/${id(workspaceId)}/members`, { method: 'POST', body: { user_id: userId } }),
  channels: (workspaceId: string) => api<ChannelInfo[]>(`/api/workspaces/${id(workspaceId)}/channels`),
  createChannel: (workspaceId: string, name: string, type: ChannelType) =>
    api<ChannelInfo>(`/api/workspaces/${id(workspaceId)}/channels`, { method: 'POST', body: { name, type } }),
  addChannelMember: (channelId: string, userId: string) => api<{ added: boolean }>(`/api/channels/${id(channelId)}/members`, { method: 'POST', body: { user_id: userId } }),
};

export const documents = {
  create: (workspaceId: string, title: string, content = '') =>
    api<DocumentResource>(`/api/workspaces/${id(workspaceId)}/documents`, { method: 'POST', body: { title, content } }),
  get: (documentId: string) => api<DocumentResource>(`/api/documents/${id(documentId)}`),
};

export const projects = {
  list: () => api<ProjectInfo[]>('/api/projects'),
  create: (name: string) => api<ProjectInfo>('/api/projects', { method: 'POST', body: { name } }),
  members: (projectId: string) => api<ProjectMemberInfo[]>(`/api/projects/${id(projectId)}/members`),
  addMember: (projectId: string, userId: string) => api<{ added: boolean }>(`/api/projects/${id(projectId)}/members`, { method: 'POST', body: { user_id: userId } }),
  tickets: (projectId: string) => api<TicketInfo[]>(`/api/projects/${id(projectId)}/tickets`, { query: { limit: 200 } }),
  createTicket: (projectId: string, body: { title: string; description?: string; status?: TicketStatus; assignee_id?: string | null }) =>
    api<TicketInfo>(`/api/projects/${id(projectId)}/tickets`, { method: 'POST', body }),
  updateTicket: (ticketId: string, body: Partial<Pick<TicketInfo, 'title' | 'description' | 'status' | 'assignee_id'>>) =>
    api<TicketInfo>(`/api/tickets/${id(ticketId)}`, { method: 'PATCH', body }),
  deleteTicket: (ticketId: string) => api<void>(`/api/tickets/${id(ticketId)}`, { method: 'DELETE' }),
  comments: (ticketId: string) => api<TicketCommentInfo[]>(`/api/tickets/${id(ticketId)}/comments`),
  addComment: (ticketId: string, content: string) => api<TicketCommentInfo>(`/api/tickets/${id(ticketId)}/comments`, { method: 'POST', body: { content } }),
};

export const blog = {
  list: () => api<{ posts: BlogPost[] }>('/api/blog/posts', { query: { limit: 50 } }),
  get: (postId: string) => api<BlogPost>(`/api/blog/posts/${id(postId)}`),
  create: (body: { title: string; content: string; status: BlogPostStatus }) => api<BlogPost>('/api/blog/posts', { method: 'POST', body }),
  publish: (postId: string) => api<BlogPost>(`/api/blog/posts/${id(postId)}/publish`, { method: 'POST' }),
  like: (postId: string) => api<LikeResult>(`/api/blog/posts/${id(postId)}/like`, { method: 'POST' }),
  unlike: (postId: string) => api<LikeResult>(`/api/blog/posts/${id(postId)}/like`, { method: 'DELETE' }),
  approve: (commentId: string) => api<BlogComment>(`/api/blog/comments/${id(commentId)}/approve`, { method: 'POST' }),
};

export const conversations = {
  inbox: () => api<ConversationInbox>('/api/chat/conversations', { query: { limit: 100 } }),
  detail: (conversationId: string) => api<ConversationDetail>(`/api/chat/conversations/${id(conversationId)}`, { query: { limit: 100 } }),
  create: (body: { client_id: string; worker_id: string; title: string; job_ref: string }) => api<ConversationInfo>('/api/chat/conversations', { method: 'POST', body }),
};
