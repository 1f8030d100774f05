/**
 * Chat backfill, pure: held live messages during a catch-up, ordered delivery, paging,
 * deduplication by id, what an interrupted catch-up leaves behind, and the position
 * taken from the application's own `history` requests and from seeding.
 */
import type { ChannelMessage } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import { ChannelBackfill } from '../src/backfill.js';
import type { ServerMessage } from '../src/endpoints.js';

function stored(seq: number): ChannelMessage {
  return {
    id: `id-${seq}`,
    seq,
    channel_id: 'c',
    user_id: 'u',
    user_name: 'U',
    content: `m${seq}`,
    attachments: [],
    client_id: null,
    created_at: '2026-01-01T00:00:00.000Z',
  };
}

const live = (seq: number): ServerMessage => ({ type: 'message', data: stored(seq), timestamp: 't' });
const page = (seqs: number[], hasMore: boolean, ref?: string): ServerMessage => ({
  type: 'history',
  data: { messages: seqs.map(stored), has_more: hasMore },
  timestamp: 'h',
  ...(ref ? { ref } : {}),
});
const seqs = (messages: ServerMessage[]) => messages.map((m) => (m.data as ChannelMessage).seq);

describe('ChannelBackfill', () => {
  it('delivers live messages at once and remembers the highest seq', () => {
    const backfill = new ChannelBackfill();
    expect(backfill.lastSeq).toBe(0);
    expect(seqs(backfill.live(live(1)))).toEqual([1]);
    expect(seqs(backfill.live(live(2)))).toEqual([2]);
    expect(backfill.lastSeq).toBe(2);
  });

  it('drops a message it delivered already (same id)', () => {
    const backfill = new ChannelBackfill();
    backfill.live(live(1));
    expect(backfill.live(live(1))).toEqual([]);
  });

  it('passes through message events that are not stored chat messages', () => {
    const other: ServerMessage = { type: 'message', text: 'rooms-style', timestamp: 't' };
    expect(new ChannelBackfill().live(other)).toEqual([other]);
  });

  it('holds live messages during a catch-up and delivers them after the missed ones, in order, once', () => {
    const backfill = new ChannelBackfill();
    backfill.live(live(1));
    backfill.begin();
    expect(backfill.catchingUp).toBe(true);
    // Live traffic while the history pages are in flight; 5 is also in a page.
    expect(backfill.live(live(6))).toEqual([]);
    expect(backfill.live(live(5))).toEqual([]);
    const first = backfill.page(page([2, 3], true));
    expect(first.done).toBe(false);
    expect(seqs(first.deliver)).toEqual([2, 3]);
    expect(backfill.lastSeq).toBe(3);
    const second = backfill.page(page([4, 5], false));
    expect(second.done).toBe(true);
    expect(seqs(second.deliver)).toEqual([4, 5, 6]);
    expect(backfill.catchingUp).toBe(false);
    expect(backfill.lastSeq).toBe(6);
    expect(backfill.live(live(7)).length).toBe(1);
  });

  it('replayed messages look like live ones, with the history reply timestamp', () => {
    const backfill = new ChannelBackfill();
    backfill.live(live(1));
    backfill.begin();
    expect(backfill.page(page([2], false)).deliver).toEqual([{ type: 'message', data: stored(2), timestamp: 'h' }]);
  });

  it('ends the catch-up when a page makes no progress, even if has_more says otherwise', () => {
    const backfill = new ChannelBackfill();
    backfill.live(live(3));
    backfill.begin();
    expect(backfill.page(page([], true))).toEqual({ deliver: [], done: true });
  });

  it('an interrupted catch-up drops held messages and keeps lastSeq where delivery stopped', () => {
    const backfill = new ChannelBackfill();
    backfill.live(live(1));
    backfill.begin();
    backfill.live(live(9));
    backfill.page(page([2, 3], true));
    backfill.abort();
    expect(backfill.catchingUp).toBe(false);
    // The next catch-up starts after 3, so 4..9 are fetched again rather than skipped.
    expect(backfill.lastSeq).toBe(3);
  });

  it('takes the position from history the application requested: newest page or after_seq, even empty', () => {
    const backfill = new ChannelBackfill();
    backfill.query('newest', { limit: 50 });
    backfill.observe(page([], false, 'newest'));
    // An empty channel: everything after seq 0 is new.
    expect([backfill.known, backfill.lastSeq]).toEqual([true, 0]);
    backfill.query('after', { after_seq: 0 });
    backfill.observe(page([1, 2], true, 'after'));
    expect(backfill.lastSeq).toBe(2);
    backfill.query('caught-up', { data: { after_seq: 7 } });
    backfill.observe(page([], false, 'caught-up'));
    expect(backfill.lastSeq).toBe(7);
  });

  it('ignores older pages (before_seq) and replies it did not see asked for', () => {
    const backfill = new ChannelBackfill();
    backfill.query('older', { before_seq: 9 });
    backfill.observe(page([5, 6], true, 'older'));
    backfill.query('nested-older', { data: { before_seq: 5 } });
    backfill.observe(page([4], true, 'nested-older'));
    backfill.observe(page([8], false, 'someone-else'));
    backfill.observe(page([8], false));
    expect([backfill.known, backfill.lastSeq]).toEqual([false, 0]);
  });

  it('a seed raises the position, never lowers it', () => {
    const backfill = new ChannelBackfill();
    backfill.seed(0);
    expect([backfill.known, backfill.lastSeq]).toEqual([true, 0]);
    backfill.seed(5);
    backfill.seed(3);
    expect(backfill.lastSeq).toBe(5);
    expect(() => backfill.seed(1.5)).toThrow(TypeError);
    expect(() => backfill.seed(-1)).toThrow(TypeError);
  });

  it('a reply the application gets during a catch-up moves neither the catch-up nor lastSeq', () => {
    const backfill = new ChannelBackfill();
    backfill.seed(1);
    backfill.begin();
    backfill.query('newest', {});
    backfill.observe(page([50, 51], false, 'newest'));
    expect(backfill.lastSeq).toBe(1);
    expect(backfill.page(page([2, 3], true)).done).toBe(false);
    // The next page starts after what the catch-up fetched, not after the application's page.
    expect(backfill.cursor).toBe(3);
    backfill.abort();
    // Interrupted: 4..51 are fetched by the next catch-up rather than skipped.
    expect(backfill.lastSeq).toBe(3);
  });
});
