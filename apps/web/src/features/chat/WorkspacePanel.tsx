/** Workspaces and their channels: pick, create, invite by user id. Shared by chat and documents. */
import type { ChannelInfo, ChannelType, WorkspaceInfo } from '@switchboard/protocol';
import { useState, type ReactNode } from 'react';
import { workspaces } from '../../api/endpoints.js';
import { toasts } from '../../layout/toasts.js';
import { href, Link, navigate } from '../../router.js';
import { InlineForm } from '../../ui/inline-form.js';
import type { Resource } from '../../ui/use-resource.js';

interface Props {
  workspaces: Resource<WorkspaceInfo[]>;
  channels?: Resource<ChannelInfo[]>;
  workspaceId: string | undefined;
  channelId?: string | undefined;
  /** Which page links go to. */
  section: 'chat' | 'documents';
}

export function WorkspacePanel({ workspaces: list, channels, workspaceId, channelId, section }: Props): ReactNode {
  const [channelType, setChannelType] = useState<ChannelType>('public');

  const createWorkspace = async (name: string) => {
    const created = await workspaces.create(name);
    list.setData((current) => [...(current ?? []), created]);
    navigate(href(section, created.id));
  };
  const createChannel = async (name: string) => {
    const created = await workspaces.createChannel(workspaceId!, name, channelType);
    channels?.setData((current) => [...(current ?? []), created]);
    navigate(href('chat', workspaceId!, created.id));
  };
  const addMember = async (userId: string) => {
    const result = await workspaces.addMember(workspaceId!, userId);
    toasts.show({ kind: 'info', title: result.added ? 'Member added' : 'Already a member' });
  };
  const addChannelMember = async (userId: string) => {
    const result = await workspaces.addChannelMember(channelId!, userId);
    toasts.show({ kind: 'info', title: result.added ? 'Added to the channel' : 'Already in the channel' });
  };
  const channel = channels?.data?.find((item) => item.id === channelId);

  return (
    <aside className="split-side">
      <div className="side-section">
        <div className="side-title">Workspaces</div>
        <ul className="side-list" data-testid="workspace-list">
          {(list.data ?? []).map((workspace) => (
            <li key={workspace.id}>
              <Link to={href(section, workspace.id)} className={workspace.id === workspaceId ? 'side-item active' : 'side-item'} data-testid="workspace-item" data-id={workspace.id}>
                {workspace.name}
              </Link>
            </li>
          ))}
        </ul>
        <InlineForm placeholder="New workspace" submitLabel="Create" onSubmit={createWorkspace} testId="workspace-create" />
      </div>
      {workspaceId && channels && (
        <div className="side-section">
          <div className="side-title">Channels</div>
          <ul className="side-list" data-testid="channel-list">
            {(channels.data ?? []).map((item) => (
              <li key={item.id}>
                <Link to={href('chat', workspaceId, item.id)} className={item.id === channelId ? 'side-item active' : 'side-item'} data-testid="channel-item" data-id={item.id}>
                  <span className="channel-hash">{item.type === 'private' ? '🔒' : '#'}</span>
                  {item.name}
                </Link>
              </li>
            ))}
          </ul>
          <InlineForm placeholder="new-channel" submitLabel="Add" onSubmit={createChannel} testId="channel-create" pattern="[A-Za-z0-9_.:\-]{1,100}" title="Letters, digits and _ . : -">
            <select value={channelType} onChange={(event) => setChannelType(event.target.value as ChannelType)} data-testid="channel-create-type" aria-label="Channel type">
              <option value="public">public</option>
              <option value="private">private</option>
            </select>
          </InlineForm>
        </div>
      )}
      {workspaceId && (
        <div className="side-section">
          <div className="side-title">Invite to workspace</div>
          <InlineForm placeholder="User id" submitLabel="Add" onSubmit={addMember} testId="workspace-add-member" />
          {channel?.type === 'private' && (
            <>
              <div className="side-title">Invite to #{channel.name}</div>
              <InlineForm placeholder="User id" submitLabel="Add" onSubmit={addChannelMember} testId="channel-add-member" />
            </>
          )}
        </div>
      )}
    </aside>
  );
}
