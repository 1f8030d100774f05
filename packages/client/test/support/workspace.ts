/** Users, a workspace and a channel set up through the REST API, as a frontend would. */
import { randomUUID } from 'node:crypto';
import type { TestServer } from '../../../server/test/support/server.js';

export interface TestUser {
  id: string;
  name: string;
  token: string;
}

async function call(server: TestServer, method: string, path: string, token: string | undefined, body: unknown): Promise<any> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${server.httpUrl}${path}`, { method, headers, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** A registered user (channel members must exist) with an access token. */
export async function registerUser(server: TestServer, label: string): Promise<TestUser> {
  const name = `${label[0]!.toUpperCase()}${label.slice(1)}`;
  const body = { username: `${label}_${randomUUID().slice(0, 8)}`, password: 'correct horse battery staple', name };
  const registered = await call(server, 'POST', '/api/auth/register', undefined, body);
  return { id: registered.id, name, token: await server.token(registered.id, { name }) };
}

/** A workspace owned by `owner` with `members`, and one public channel in it; returns the channel id. */
export async function createChannel(server: TestServer, owner: TestUser, members: TestUser[]): Promise<string> {
  const workspace = await call(server, 'POST', '/api/workspaces', owner.token, { name: 'Acme' });
  for (const member of members) {
    await call(server, 'POST', `/api/workspaces/${workspace.id}/members`, owner.token, { user_id: member.id });
  }
  const channel = await call(server, 'POST', `/api/workspaces/${workspace.id}/channels`, owner.token, { name: 'general', type: 'public' });
  return channel.id;
}

/** Stored messages of a channel, oldest first (REST history). */
export async function channelHistory(server: TestServer, channelId: string, user: TestUser): Promise<Array<{ seq: number; content: string; client_id: string | null; id: string }>> {
  const response = await fetch(`${server.httpUrl}/api/channels/${channelId}/messages?limit=100`, {
    headers: { authorization: `Bearer ${user.token}` },
  });
  if (!response.ok) throw new Error(`history: ${response.status}`);
  return ((await response.json()) as { messages: Array<{ seq: number; content: string; client_id: string | null; id: string }> }).messages;
}
