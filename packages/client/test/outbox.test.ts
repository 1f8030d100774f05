/** The offline queue and unanswered messages, pure: bound, order, resend of idempotent messages after a drop. */
import { describe, expect, it } from 'vitest';
import { SendQueueFullError } from '../src/errors.js';
import { Outbox, type Outgoing } from '../src/outbox.js';

function entry(ref: string, options: { idempotent?: boolean; request?: boolean } = {}): Outgoing {
  return {
    type: 'message',
    ref,
    frame: JSON.stringify({ type: 'message', ref }),
    idempotent: options.idempotent ?? false,
    ...(options.request ? { reply: { resolve() {}, reject() {} } } : {}),
  };
}

const refs = (entries: Outgoing[]) => entries.map((e) => e.ref);

describe('Outbox', () => {
  it('queues in order and drains everything oldest first', () => {
    const outbox = new Outbox(10);
    for (const ref of ['a', 'b', 'c']) outbox.enqueue(entry(ref));
    expect(outbox.queued).toBe(3);
    expect(refs(outbox.drain())).toEqual(['a', 'b', 'c']);
    expect(outbox.queued).toBe(0);
  });

  it('refuses a new message when full and keeps what it has', () => {
    const outbox = new Outbox(2);
    outbox.enqueue(entry('a'));
    outbox.enqueue(entry('b'));
    expect(() => outbox.enqueue(entry('c'))).toThrow(SendQueueFullError);
    expect(refs(outbox.drain())).toEqual(['a', 'b']);
  });

  it('a zero limit queues nothing', () => {
    expect(() => new Outbox(0).enqueue(entry('a'))).toThrow(SendQueueFullError);
  });

  it('tracks written requests and idempotent messages until answered; plain sends are forgotten', () => {
    const outbox = new Outbox(10);
    outbox.written(entry('plain'));
    outbox.written(entry('req', { request: true }));
    outbox.written(entry('chat', { idempotent: true }));
    expect(outbox.awaiting).toBe(2);
    expect(outbox.answered('plain')).toBeUndefined();
    expect(outbox.answered('req')?.ref).toBe('req');
    expect(outbox.answered('req')).toBeUndefined();
    expect(outbox.awaiting).toBe(1);
  });

  it('after a drop, idempotent messages go back to the front in order; other requests are lost', () => {
    const outbox = new Outbox(1);
    outbox.written(entry('chat1', { idempotent: true }));
    outbox.written(entry('req', { request: true }));
    outbox.written(entry('chat2', { idempotent: true, request: true }));
    outbox.enqueue(entry('queued'));
    const lost = outbox.connectionLost();
    expect(refs(lost)).toEqual(['req']);
    // Past the limit of 1: they were accepted already.
    expect(refs(outbox.drain())).toEqual(['chat1', 'chat2', 'queued']);
    expect(outbox.awaiting).toBe(0);
  });

  it('removes a timed-out request wherever it is and says whether it was sent', () => {
    const outbox = new Outbox(10);
    outbox.enqueue(entry('queued', { request: true }));
    outbox.written(entry('sent', { request: true }));
    expect(outbox.remove('queued')).toMatchObject({ written: false });
    expect(outbox.remove('sent')).toMatchObject({ written: true });
    expect(outbox.remove('unknown')).toBeUndefined();
    expect(outbox.queued + outbox.awaiting).toBe(0);
  });

  it('clear returns everything, unanswered first', () => {
    const outbox = new Outbox(10);
    outbox.enqueue(entry('q'));
    outbox.written(entry('w', { request: true }));
    expect(refs(outbox.clear())).toEqual(['w', 'q']);
    expect(outbox.queued + outbox.awaiting).toBe(0);
  });
});
