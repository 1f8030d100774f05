/** One live channel: header with connection state, messages, typing indicator, composer, presence. */
import { useChannel, useCurrentUser } from '@switchboard/react';
import { useEffect, type ReactNode } from 'react';
import { ConnectionBadge, EmptyState, isForbidden } from '../../ui/feedback.js';
import { typingText } from '../../ui/format.js';
import { Composer } from './Composer.js';
import { MessageList } from './MessageList.js';
import { PresenceList } from './PresenceList.js';

export function ChannelView({ channelId, channelName }: { channelId: string; channelName: string }): ReactNode {
  const channel = useChannel(channelId);
  const me = useCurrentUser();
  const { messages, markRead, connection } = channel;
  const newest = messages[messages.length - 1];

  // Reading the channel moves the caller's read marker to the newest message.
  useEffect(() => {
    if (!newest || !channel.isConnected) return;
    const mine = me ? channel.readMarkers[me.id] : undefined;
    if (mine && mine.seq >= newest.seq) return;
    if (document.visibilityState === 'visible') markRead(newest.id);
  }, [newest, channel.isConnected, channel.readMarkers, me, markRead]);

  const forbidden = isForbidden(connection);
  const typing = typingText(channel.typingUsers.map((user) => user.user_name || 'Someone'));
  return (
    <div className="channel">
      <div className="channel-main">
        <div className="channel-head">
          <h2>#{channelName}</h2>
          <ConnectionBadge connection={connection} />
        </div>
        {forbidden ? (
          <EmptyState title="You don't have access to this channel">Ask a member to add you.</EmptyState>
        ) : (
          <>
            <MessageList channel={channel} selfId={me?.id} />
            <div className="typing-indicator" data-testid="typing-indicator" data-active={typing !== ''}>
              {typing}
            </div>
            <Composer
              placeholder={`Message #${channelName}`}
              onSend={channel.send}
              onKeystroke={channel.notifyTyping}
              onStop={channel.stopTyping}
            />
          </>
        )}
      </div>
      <PresenceList onlineUsers={channel.onlineUsers} names={channel.names} self={me} />
    </div>
  );
}
