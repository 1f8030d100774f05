/** Store records → the snake_case shapes of PROTOCOL.md §2/§8. */
import type { ChannelInfo, ChannelMessage, ChannelReadMarker, WorkspaceInfo } from '@switchboard/protocol';
import type { ReadMarker, StoredMessage } from '../../store/messages.js';
import type { Channel, Workspace } from '../../store/workspaces.js';

export function wireMessage(message: StoredMessage): ChannelMessage {
  return {
    id: message.id,
    seq: message.seq,
    channel_id: message.channelId,
    user_id: message.userId,
    user_name: message.userName,
    content: message.content,
    attachments: message.attachments,
    client_id: message.clientId,
    created_at: message.createdAt,
  };
}

export function wireReadMarker(marker: ReadMarker): ChannelReadMarker {
  return { user_id: marker.userId, message_id: marker.messageId, seq: marker.seq };
}

export function wireWorkspace(workspace: Workspace): WorkspaceInfo {
  return { id: workspace.id, name: workspace.name, created_by: workspace.createdBy, created_at: workspace.createdAt };
}

export function wireChannel(channel: Channel): ChannelInfo {
  return {
    id: channel.id,
    workspace_id: channel.workspaceId,
    name: channel.name,
    type: channel.type,
    created_by: channel.createdBy,
    created_at: channel.createdAt,
    last_seq: channel.lastSeq,
  };
}
