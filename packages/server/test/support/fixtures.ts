/**
 * Workspaces, channels, documents, projects and blog posts set up through the REST
 * API, as a frontend would; every creation must answer 201.
 */
import { expect } from 'vitest';
import { request, type HttpTarget } from './http.js';

/** Who creates: only the access token matters. */
interface Caller {
  token: string;
}

/** Who is added: members are users that exist. */
interface Member {
  id: string;
}

async function created(target: HttpTarget, path: string, caller: Caller, body: unknown): Promise<any> {
  const reply = await request(target, 'POST', path, { token: caller.token, body });
  expect(reply.status).toBe(201);
  return reply.body;
}

async function addMembers(target: HttpTarget, path: string, owner: Caller, members: readonly Member[]): Promise<void> {
  for (const member of members) await created(target, path, owner, { user_id: member.id });
}

/** A workspace created by `owner` (its first member) with `members` added; returns its id. */
export async function createWorkspace(
  target: HttpTarget,
  owner: Caller,
  { name = 'Acme', members = [] }: { name?: string; members?: readonly Member[] } = {},
): Promise<string> {
  const workspace = await created(target, '/api/workspaces', owner, { name });
  await addMembers(target, `/api/workspaces/${workspace.id}/members`, owner, members);
  return workspace.id;
}

/** A channel in a workspace; without `type` the server's default (public). Returns its id. */
export async function createChannel(
  target: HttpTarget,
  owner: Caller,
  workspaceId: string,
  { name = 'general', type }: { name?: string; type?: string } = {},
): Promise<string> {
  const channel = await created(target, `/api/workspaces/${workspaceId}/channels`, owner, type ? { name, type } : { name });
  return channel.id;
}

/** A workspace of `owner` and `members` with one channel in it. */
export async function workspaceWithChannel(
  target: HttpTarget,
  owner: Caller,
  members: readonly Member[] = [],
  type: 'public' | 'private' = 'public',
): Promise<{ workspaceId: string; channelId: string }> {
  const workspaceId = await createWorkspace(target, owner, { members });
  return { workspaceId, channelId: await createChannel(target, owner, workspaceId, { type }) };
}

/** A document (version 1) in a workspace `owner` belongs to; returns its id. */
export async function createDocument(
  target: HttpTarget,
  owner: Caller,
  workspaceId: string,
  { title = 'Plan', content }: { title?: string; content: string },
): Promise<string> {
  return (await created(target, `/api/workspaces/${workspaceId}/documents`, owner, { title, content })).id;
}

/** A project owned by `owner` with `members` added; returns its id. */
export async function createProject(
  target: HttpTarget,
  owner: Caller,
  { name = 'Tracker', members = [] }: { name?: string; members?: readonly Member[] } = {},
): Promise<string> {
  const project = await created(target, '/api/projects', owner, { name });
  await addMembers(target, `/api/projects/${project.id}/members`, owner, members);
  return project.id;
}

/** A blog post, published unless `fields` say otherwise; returns the post as the API shows it. */
export function createPost(target: HttpTarget, author: Caller, fields: Record<string, unknown> = {}): Promise<any> {
  return created(target, '/api/blog/posts', author, { title: 'Hello', content: 'Body', status: 'published', ...fields });
}
