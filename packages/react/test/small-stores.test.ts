import type { BlogComment, ConversationMessage } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { AnalyticsStore } from '../src/stores/analytics-store.js';
import { BlogCommentsStore, BlogPostStore } from '../src/stores/blog-stores.js';
import { ConnectionStore } from '../src/stores/connection-store.js';
import { ConversationStore } from '../src/stores/conversation-store.js';

function comment(id: string, createdAt: string, approved = true): BlogComment {
  return { id, post_id: 'p', content: `comment ${id}`, author: 'Alice', author_id: 'u1', approved, created_at: createdAt };
}

function chat(id: string, senderId: string | null, timestamp: string): ConversationMessage {
  return {
    id,
    conversation_id: 'c',
    sender_id: senderId,
    sender_name: senderId ?? 'System',
    message_text: `text ${id}`,
    message_type: senderId ? 'TEXT' : 'SYSTEM',
    timestamp,
    is_read: senderId === null,
  };
}

describe('BlogPostStore', () => {
  it('takes stats and updated posts', () => {
    const store = new BlogPostStore();
    store.receive({ type: 'post_stats', data: { view_count: 3, comment_count: 1, like_count: 2 } });
    expect(store.getSnapshot().stats).toEqual({ view_count: 3, comment_count: 1, like_count: 2 });
    store.receive({ type: 'post_updated', data: { id: 'p', title: 'New title', view_count: 4, comment_count: 1, like_count: 2 } });
    expect(store.getSnapshot().post?.title).toBe('New title');
    expect(store.getSnapshot().stats?.view_count).toBe(4);
  });
});

describe('BlogCommentsStore', () => {
  it('merges listed and pushed comments in time order, and keeps the typing list', () => {
    const store = new BlogCommentsStore();
    store.receive({ type: 'comment_added', data: comment('b', '2025-01-01T12:00:02.000Z') });
    store.receive({ type: 'comments', data: { comments: [comment('a', '2025-01-01T12:00:01.000Z'), comment('b', '2025-01-01T12:00:02.000Z')] } });
    store.receive({ type: 'comment_held', data: comment('c', '2025-01-01T12:00:03.000Z', false) });
    store.receive({ type: 'comment_approved', data: comment('c', '2025-01-01T12:00:03.000Z', false) });
    const snapshot = store.getSnapshot();
    expect(snapshot.comments.map((item) => [item.id, item.approved])).toEqual([
      ['a', true],
      ['b', true],
      ['c', true],
    ]);
    expect(snapshot.held?.id).toBe('c');
    store.receive({ type: 'user_typing', data: { user: 'Bob', is_typing: true, typing_users: ['Bob'] } });
    expect(store.getSnapshot().typingUsers).toEqual(['Bob']);
  });
});

describe('AnalyticsStore', () => {
  it('keeps a bounded, increasing series', () => {
    const store = new AnalyticsStore(3);
    for (let second = 0; second < 5; second++) {
      store.receive({ type: 'analytics_update', timestamp: `2025-01-01T12:00:0${second}.000Z`, data: { active_connections: second, messages_per_second: 1.5 } });
    }
    store.receive({ type: 'analytics_snapshot', timestamp: '2025-01-01T12:00:04.000Z', data: { active_connections: 9 } });
    const { series, latest } = store.getSnapshot();
    expect(series.map((sample) => sample.active_connections)).toEqual([2, 3, 9]);
    expect(latest?.messages_per_second).toBe(0);
    expect(series[0]).toMatchObject({ active_users: 0, messages_per_second: 1.5 });
  });
});

describe('ConversationStore', () => {
  it('merges history and live messages, tracks typing and marks ours read', () => {
    const store = new ConversationStore('me');
    store.receive({ type: 'message', message: chat('m3', 'me', '2025-01-01T12:00:03.000Z') });
    store.loaded([
      { ...chat('m1', null, '2025-01-01T12:00:01.000Z'), seq: 1, delivery_status: 'read' },
      { ...chat('m2', 'them', '2025-01-01T12:00:02.000Z'), seq: 2, delivery_status: 'delivered' },
    ]);
    expect(store.getSnapshot().messages.map((item) => item.id)).toEqual(['m1', 'm2', 'm3']);
    store.receive({ type: 'typing', user_id: 'them', is_typing: true });
    expect(store.getSnapshot().typingUserIds).toEqual(['them']);
    store.receive({ type: 'message', message: chat('m4', 'them', '2025-01-01T12:00:04.000Z') });
    expect(store.getSnapshot().typingUserIds).toEqual([]);
    store.receive({ type: 'message', message: chat('m4', 'them', '2025-01-01T12:00:04.000Z') });
    expect(store.getSnapshot().messages.map((item) => item.id)).toEqual(['m1', 'm2', 'm3', 'm4']);
    store.receive({ type: 'read', user_id: 'them', last_read_id: 'm3' });
    const read = store.getSnapshot().messages.map((item) => [item.id, item.is_read]);
    expect(read).toEqual([
      ['m1', true],
      ['m2', false],
      ['m3', true],
      ['m4', false],
    ]);
  });
});

describe('ConnectionStore', () => {
  it('counts confirmed opens and keeps the last close code while reconnecting', () => {
    const store = new ConnectionStore();
    store.stateChanged({ state: 'connecting', previous: 'closed' });
    store.stateChanged({ state: 'open', previous: 'connecting' });
    expect(store.getSnapshot()).toMatchObject({ state: 'open', isConnected: true, openCount: 1 });
    store.stateChanged({ state: 'reconnecting', previous: 'open', code: 1006, reason: '' });
    store.retryScheduled({ attempt: 1, delayMs: 800, code: 1006, reason: '', refreshToken: false });
    expect(store.getSnapshot()).toMatchObject({ state: 'reconnecting', isConnected: false, code: 1006, attempt: 1, retryDelayMs: 800 });
    store.stateChanged({ state: 'open', previous: 'reconnecting' });
    expect(store.getSnapshot()).toMatchObject({ isConnected: true, openCount: 2, attempt: 0 });
    store.stateChanged({ state: 'closed', previous: 'open', code: 4003, reason: 'Forbidden', gaveUp: 'not_retryable' });
    expect(store.getSnapshot()).toMatchObject({ state: 'closed', code: 4003, gaveUp: 'not_retryable' });
  });
});
