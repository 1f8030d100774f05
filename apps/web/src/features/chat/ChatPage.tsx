/** Workspace chat: workspaces and channels (REST) on the left, the live channel in the middle. */
import type { ReactNode } from 'react';
import { useEffect } from 'react';
import { workspaces } from '../../api/endpoints.js';
import { href, navigate } from '../../router.js';
import { EmptyState, ErrorBanner, Loading } from '../../ui/feedback.js';
import { useResource } from '../../ui/use-resource.js';
import { ChannelView } from './ChannelView.js';
import { WorkspacePanel } from './WorkspacePanel.js';

export function ChatPage({ workspaceId, channelId }: { workspaceId: string | undefined; channelId: string | undefined }): ReactNode {
  const list = useResource('workspaces', workspaces.list);
  const channels = useResource(workspaceId ?? null, () => workspaces.channels(workspaceId!));

  // Open the first workspace and channel when none is chosen.
  useEffect(() => {
    const first = list.data?.[0];
    if (!workspaceId && first) navigate(href('chat', first.id));
  }, [workspaceId, list.data]);
  useEffect(() => {
    const first = channels.data?.[0];
    if (workspaceId && !channelId && first) navigate(href('chat', workspaceId, first.id));
  }, [workspaceId, channelId, channels.data]);

  const channel = channels.data?.find((item) => item.id === channelId);
  return (
    <div className="split">
      <WorkspacePanel workspaces={list} channels={channels} workspaceId={workspaceId} channelId={channelId} section="chat" />
      <section className="split-main">
        <ErrorBanner error={list.error ?? channels.error} />
        {list.loading && !list.data ? (
          <Loading />
        ) : list.data?.length === 0 ? (
          <EmptyState title="No workspaces yet" testId="chat-empty">
            Create a workspace on the left, then a channel, and invite others with their user id.
          </EmptyState>
        ) : channelId ? (
          <ChannelView key={channelId} channelId={channelId} channelName={channel?.name ?? ''} />
        ) : channels.data?.length === 0 ? (
          <EmptyState title="No channels in this workspace" testId="chat-no-channels">
            Create one on the left: <code>general</code> is a good start.
          </EmptyState>
        ) : (
          <Loading />
        )}
      </section>
    </div>
  );
}
