/** One conversation: history plus live messages, typing, delivery and read state per message. */
import { useConversation, useCurrentUser, type ConversationEntry } from '@switchboard/react';
import { CLIENT_MESSAGE_TYPES, conversationTextProblem, type ClientMessageType, type ConversationInfo } from '@switchboard/protocol';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { conversations } from '../../api/endpoints.js';
import { ConnectionBadge, EmptyState, ErrorBanner, Loading, isForbidden } from '../../ui/feedback.js';
import { formatTime } from '../../ui/format.js';
import { useSubmit } from '../../ui/use-submit.js';

function status(entry: ConversationEntry): string {
  if (entry.is_read) return 'Read';
  return entry.delivery_status === 'delivered' ? 'Delivered' : 'Sent';
}

function MessageText({ entry }: { entry: ConversationEntry }): ReactNode {
  if (entry.message_type === 'IMAGE') return <img className="chat-image" src={entry.message_text} alt="" />;
  if (entry.message_type === 'FILE') {
    return (
      <a href={entry.message_text} target="_blank" rel="noreferrer noopener">
        {entry.message_text}
      </a>
    );
  }
  if (entry.message_type === 'LOCATION') return <span>📍 {entry.message_text}</span>;
  return <span>{entry.message_text}</span>;
}

export function ConversationView({ conversationId, info, onActivity }: { conversationId: string; info: ConversationInfo | undefined; onActivity: () => void }): ReactNode {
  const me = useCurrentUser();
  const fetchMessages = useCallback(() => conversations.detail(conversationId).then((detail) => detail.messages), [conversationId]);
  const chat = useConversation(conversationId, { fetchMessages });
  const [text, setText] = useState('');
  const [type, setType] = useState<ClientMessageType>('TEXT');
  const submission = useSubmit();
  const list = useRef<HTMLDivElement>(null);
  const { messages, markRead, isConnected } = chat;
  const newest = messages[messages.length - 1];

  useLayoutEffect(() => {
    if (list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [messages.length]);

  // A message from the other side while the conversation is open is read at once (once per message).
  const markedId = useRef<string | undefined>(undefined);
  const activity = useRef(onActivity);
  activity.current = onActivity;
  useEffect(() => {
    if (!newest || !isConnected || markedId.current === newest.id) return;
    if (newest.sender_id && newest.sender_id !== me?.id && !newest.is_read) {
      markedId.current = newest.id;
      markRead();
      activity.current();
    }
  }, [newest, me, isConnected, markRead]);

  const send = submission.onSubmit(async () => {
    const problem = conversationTextProblem(type, text);
    if (problem) {
      submission.setError(problem.replace(/^message: /, 'Message '));
      return;
    }
    await chat.send(text.trim(), type);
    setText('');
    onActivity();
  });

  if (isForbidden(chat.connection)) {
    return <EmptyState title="Conversation not found">Only its client and worker can open it.</EmptyState>;
  }
  const otherName = info?.other_participant?.name ?? 'The other side';
  return (
    <div className="conversation">
      <div className="channel-head">
        <h2>{info ? `${info.title} · ${otherName}` : 'Conversation'}</h2>
        <ConnectionBadge connection={chat.connection} />
      </div>
      <div className="message-list" ref={list} data-testid="conversation-message-list">
        {!chat.loaded && messages.length === 0 && <Loading />}
        {messages.map((entry) => {
          const own = entry.sender_id === me?.id;
          const system = entry.message_type === 'SYSTEM';
          return (
            <div
              key={entry.id}
              className={system ? 'bubble system' : own ? 'bubble own' : 'bubble'}
              data-testid="conversation-message"
              data-id={entry.id}
              data-status={own ? status(entry).toLowerCase() : undefined}
            >
              {!system && !own && <div className="message-author">{entry.sender_name}</div>}
              <MessageText entry={entry} />
              <div className="bubble-meta">
                {formatTime(entry.timestamp)}
                {own && !system && <span data-testid="conversation-message-status"> · {status(entry)}</span>}
              </div>
            </div>
          );
        })}
      </div>
      <div className="typing-indicator" data-testid="conversation-typing" data-active={chat.typingUserIds.length > 0}>
        {chat.typingUserIds.length > 0 ? `${otherName} is typing…` : ''}
      </div>
      <ErrorBanner error={submission.error} onDismiss={() => submission.setError(null)} />
      <form className="composer" onSubmit={send}>
        <select aria-label="Message type" data-testid="conversation-type" value={type} onChange={(event) => setType(event.target.value as ClientMessageType)}>
          {CLIENT_MESSAGE_TYPES.map((item) => (
            <option key={item} value={item}>
              {item.toLowerCase()}
            </option>
          ))}
        </select>
        <input
          data-testid="conversation-input"
          placeholder={type === 'TEXT' ? 'Write a message' : type === 'LOCATION' ? 'Latitude, longitude' : 'Link (https://… or /path)'}
          value={text}
          maxLength={4000}
          onChange={(event) => {
            setText(event.target.value);
            if (event.target.value) chat.notifyTyping();
            else chat.stopTyping();
          }}
          onBlur={chat.stopTyping}
        />
        <button type="submit" className="primary" data-testid="conversation-send" disabled={submission.busy || !text.trim()}>
          Send
        </button>
      </form>
    </div>
  );
}
