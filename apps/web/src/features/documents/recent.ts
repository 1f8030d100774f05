/** Documents this browser created or opened, per workspace (the API has no listing route). */
import type { DocumentResource } from '@switchboard/protocol';

export interface RecentDocument {
  readonly id: string;
  readonly title: string;
  readonly openedAt: string;
}

const KEY = 'switchboard.recentDocuments';
const MAX_PER_WORKSPACE = 30;

function readAll(): Record<string, RecentDocument[]> {
  try {
    return (JSON.parse(localStorage.getItem(KEY) ?? '{}') as Record<string, RecentDocument[]>) ?? {};
  } catch {
    return {};
  }
}

export function recentDocuments(workspaceId: string): RecentDocument[] {
  return readAll()[workspaceId] ?? [];
}

export function rememberDocument(document: Pick<DocumentResource, 'id' | 'title' | 'workspace_id'>): void {
  const all = readAll();
  const others = (all[document.workspace_id] ?? []).filter((item) => item.id !== document.id);
  all[document.workspace_id] = [{ id: document.id, title: document.title, openedAt: new Date().toISOString() }, ...others].slice(0, MAX_PER_WORKSPACE);
  try {
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // Storage full or disabled: the list is a convenience only.
  }
}
