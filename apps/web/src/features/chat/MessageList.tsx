/** Messages oldest first, pending ones below, "Seen by" receipts, paging back on demand. */
import type { UseChannelResult } from '@switchboard/react';
import { useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { Avatar } from '../../ui/avatar.js';
import { EmptyState, Loading } from '../../ui/feedback.js';
import { formatTime, listNames } from '../../ui/format.js';
import { unknownUser } from './PresenceList.js';

/** Who has read up to each message (by seq), other than its author and the caller. */
function readersBySeq(channel: UseChannelResult, selfId: string | undefined): Map<number, string[]> {
  const readers = new Map<number, string[]>();
  for (const marker of Object.values(channel.readMarkers)) {
    if (marker.user_id === selfId) continue;
    const names = readers.get(marker.seq) ?? [];
    names.push(channel.names[marker.user_id] ?? unknownUser(marker.user_id));
    readers.set(marker.seq, names);
  }
  return readers;
}

export function MessageList({ channel, selfId }: { channel: UseChannelResult; selfId: string | undefined }): ReactNode {
  const { messages, pending, loaded, hasOlder } = channel;
  const list = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const readers = useMemo(() => readersBySeq(channel, selfId), [channel.readMarkers, channel.names, selfId]); // eslint-disable-line react-hooks/exhaustive-deps

  // Follow new messages while the user is at the bottom; keep the position when reading back.
  useLayoutEffect(() => {
    const element = list.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [messages, pending]);

  const onScroll = () => {
    const element = list.current;
    if (!element) return;
    stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
  };

  if (!loaded && messages.length === 0) return <Loading label="Loading messages…" />;
  return (
    <div className="message-list" ref={list} onScroll={onScroll} data-testid="message-list">
      {hasOlder && (
        <button type="button" className="link-button load-older" data-testid="load-older" onClick={channel.loadOlder}>
          Load older messages
        </button>
      )}
      {messages.length === 0 && pending.length === 0 && <EmptyState title="No messages yet">Say hello 👋</EmptyState>}
      {messages.map((message) => {
        const seenBy = readers.get(message.seq);
        return (
          <div key={message.id} className={message.user_id === selfId ? 'message own' : 'message'} data-testid="message" data-seq={message.seq} data-id={message.id}>
            <Avatar id={message.user_id} name={message.user_name} />
            <div className="message-body">
              <div className="message-meta">
                <span className="message-author">{message.user_name}</span>
                <span className="muted">{formatTime(message.created_at)}</span>
              </div>
              <div className="message-text" data-testid="message-text">
                {message.content}
              </div>
              {message.attachments.length > 0 && (
                <ul className="attachments">
                  {message.attachments.map((attachment) => (
                    <li key={attachment.url}>
                      <a href={attachment.url} target="_blank" rel="noreferrer noopener">
                        {attachment.name ?? attachment.url}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
              {seenBy && (
                <div className="read-receipt" data-testid="read-receipt">
                  Seen by {listNames(seenBy)}
                </div>
              )}
            </div>
          </div>
        );
      })}
      {pending.map((item) => (
        <div key={item.client_id} className="message own pending" data-testid="message" data-pending="true">
          <Avatar id={item.user_id} name={item.user_name} />
          <div className="message-body">
            <div className="message-meta">
              <span className="message-author">{item.user_name}</span>
              <span className="muted">{item.error ? 'Not sent' : 'Sending…'}</span>
            </div>
            <div className="message-text" data-testid="message-text">
              {item.content}
            </div>
            {item.error && (
              <div className="field-error" role="alert">
                {item.error}{' '}
                <button type="button" className="link-button" onClick={() => channel.retry(item.client_id)}>
                  Retry
                </button>{' '}
                <button type="button" className="link-button" onClick={() => channel.discard(item.client_id)}>
                  Discard
                </button>
              </div>
            )}
          </div>
        </div>
      ))}
    </div>
  );
}
