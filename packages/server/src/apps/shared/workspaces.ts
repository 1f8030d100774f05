/** Workspace access shared by the REST routes of the apps that live in workspaces. */
import { ErrorCode } from '@switchboard/protocol';
import { HttpError } from '../../http/errors.js';
import type { Store } from '../../store/store.js';
import type { Workspace } from '../../store/workspaces.js';

/** The workspace when `userId` is a member; otherwise 404 (never reveal that it exists). */
export async function memberWorkspace(store: Store, workspaceId: string, userId: string): Promise<Workspace> {
  const workspace = await store.workspaces.find(workspaceId);
  if (!workspace || !(await store.workspaces.isMember(workspace.id, userId))) {
    throw new HttpError(ErrorCode.NotFound, 'Workspace not found');
  }
  return workspace;
}
