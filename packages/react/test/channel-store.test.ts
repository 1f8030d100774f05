import type { ChannelMessage } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { ChannelStore } from '../src/stores/channel-store.js';

function message(seq: number, extra: Partial<ChannelMessage> = {}): ChannelMessage {
  return {
    id: `m${seq}`,
    seq,
    channel_id: 'c',
    user_id: 'u1',
    user_name: 'Alice',
    content: `message ${seq}`,
    attachments: [],
    client_id: null,
    created_at: '2025-01-01T12:00:00.000Z',
    ...extra,
  };
}

const seqs = (store: ChannelStore): number[] => store.getSnapshot().messages.map((item) => item.seq);

describe('ChannelStore', () => {
  it('orders by seq and deduplicates overlapping history, live and backfilled messages', () => {
    const store = new ChannelStore();
    store.receive({ type: 'message', data: message(12) });
    store.historyPage({ messages: [message(10), message(11), message(12)], has_more: true }, 'latest');
    store.receive({ type: 'message', data: message(14) });
    store.historyPage({ messages: [message(13), message(14)], has_more: false }, 'after');
    store.receive({ type: 'message', data: message(13) });
    expect(seqs(store)).toEqual([10, 11, 12, 13, 14]);
    // The newest message delivered twice (live and backfilled) changes nothing.
    const snapshot = store.getSnapshot();
    store.receive({ type: 'message', data: message(14) });
    expect(store.getSnapshot()).toBe(snapshot);
    expect(store.lastSeq).toBe(14);
    expect(store.firstSeq).toBe(10);
    expect(store.getSnapshot()).toMatchObject({ loaded: true, hasOlder: true });
    store.historyPage({ messages: [message(8), message(9)], has_more: false }, 'before');
    expect(seqs(store)).toEqual([8, 9, 10, 11, 12, 13, 14]);
    expect(store.getSnapshot().hasOlder).toBe(false);
  });

  it('a catch-up page does not change whether older messages exist', () => {
    const store = new ChannelStore();
    store.historyPage({ messages: [message(5)], has_more: true }, 'latest');
    store.historyPage({ messages: [message(6)], has_more: true }, 'after');
    expect(store.getSnapshot().hasOlder).toBe(true);
  });

  it('replaces a pending message with the stored one carrying its client_id', () => {
    const store = new ChannelStore();
    store.addPending({ client_id: 'k1', content: 'hi', user_id: 'u1', user_name: 'Alice', created_at: 'now' });
    store.addPending({ client_id: 'k2', content: 'there', user_id: 'u1', user_name: 'Alice', created_at: 'now' });
    store.failPending('k2', 'rate_limited: slow down');
    expect(store.getSnapshot().pending.map((item) => [item.client_id, item.error])).toEqual([
      ['k1', undefined],
      ['k2', 'rate_limited: slow down'],
    ]);
    store.messagesArrived([message(1, { client_id: 'k1', content: 'hi' })]);
    expect(store.getSnapshot().pending.map((item) => item.client_id)).toEqual(['k2']);
    expect(seqs(store)).toEqual([1]);
    store.discardPending('k2');
    expect(store.getSnapshot().pending).toEqual([]);
  });

  it('tracks typing users, and a user who sends stops typing', () => {
    const store = new ChannelStore();
    store.receive({ type: 'typing', data: { user_id: 'u2', user_name: 'Bob', is_typing: true } });
    store.receive({ type: 'typing', data: { user_id: 'u3', user_name: 'Carol', is_typing: true } });
    store.receive({ type: 'typing', data: { user_id: 'u2', user_name: 'Bob', is_typing: true } });
    expect(store.getSnapshot().typingUsers.map((user) => user.user_name)).toEqual(['Carol', 'Bob']);
    store.receive({ type: 'typing', data: { user_id: 'u3', user_name: 'Carol', is_typing: false } });
    store.receive({ type: 'message', data: message(1, { user_id: 'u2', user_name: 'Bob' }) });
    expect(store.getSnapshot().typingUsers).toEqual([]);
    expect(store.getSnapshot().names).toMatchObject({ u2: 'Bob', u3: 'Carol' });
    store.receive({ type: 'typing', data: { user_id: 'u3', user_name: 'Carol', is_typing: true } });
    store.connectionLost();
    expect(store.getSnapshot().typingUsers).toEqual([]);
  });

  it('keeps presence and read markers, which only move forward', () => {
    const store = new ChannelStore();
    store.receive({ type: 'presence', data: { online_users: ['u1', 'u2'] } });
    store.receive({ type: 'read', data: { user_id: 'u2', message_id: 'm5', seq: 5 } });
    store.receive({ type: 'read', data: { user_id: 'u2', message_id: 'm3', seq: 3 } });
    expect(store.getSnapshot().onlineUsers).toEqual(['u1', 'u2']);
    // The same list again keeps the same array, so useChannelPresence does not re-render.
    const online = store.getSnapshot().onlineUsers;
    store.receive({ type: 'presence', data: { online_users: ['u1', 'u2'] } });
    expect(store.getSnapshot().onlineUsers).toBe(online);
    expect(store.getSnapshot().readMarkers.u2).toEqual({ user_id: 'u2', message_id: 'm5', seq: 5 });
  });

  it('ignores malformed and unknown messages', () => {
    const store = new ChannelStore();
    const before = store.getSnapshot();
    store.receive({ type: 'message', data: { content: 'no id' } });
    store.receive({ type: 'unknown', data: {} });
    store.receive({ type: 'presence' });
    expect(store.getSnapshot()).toBe(before);
  });
});
