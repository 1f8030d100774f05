import { describe, expect, it } from 'vitest';
import { tokenUser } from '../src/token.js';
import { ManualTimers } from '../../client/test/support/manual-timers.js';
import { TypingSender } from '../src/stores/typing-sender.js';

describe('TypingSender', () => {
  it('sends true once, again every resendMs while typing, and false when idle', () => {
    const timers = new ManualTimers();
    const sent: boolean[] = [];
    const sender = new TypingSender((isTyping) => sent.push(isTyping), timers, { resendMs: 3000, idleMs: 2000 });
    sender.keystroke();
    timers.advance(1000);
    sender.keystroke();
    timers.advance(1000);
    sender.keystroke();
    expect(sent).toEqual([true]);
    timers.advance(1000);
    sender.keystroke();
    expect(sent).toEqual([true, true]);
    timers.advance(2000);
    expect(sent).toEqual([true, true, false]);
    expect(sender.isTyping).toBe(false);
  });

  it('stop sends false only while typing; dispose sends nothing', () => {
    const timers = new ManualTimers();
    const sent: boolean[] = [];
    const sender = new TypingSender((isTyping) => sent.push(isTyping), timers);
    sender.stop();
    sender.keystroke();
    sender.stop();
    sender.keystroke();
    sender.dispose();
    timers.advance(10_000);
    expect(sent).toEqual([true, false, true]);
  });
});

function jwt(claims: Record<string, unknown>): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(claims)}.signature`;
}

describe('tokenUser', () => {
  it('reads the subject, name, staff flag and expiry', () => {
    expect(tokenUser(jwt({ sub: 'u1', user_id: 'u1', name: 'Zoë', is_staff: true, exp: 100 }))).toEqual({
      id: 'u1',
      name: 'Zoë',
      isStaff: true,
      expiresAt: 100_000,
    });
    expect(tokenUser(jwt({ user_id: 42 }))).toEqual({ id: '42', name: '42', isStaff: false });
  });

  it('is null for no token or a malformed one', () => {
    expect(tokenUser(null)).toBeNull();
    expect(tokenUser('not-a-jwt')).toBeNull();
    expect(tokenUser('a.!!!.c')).toBeNull();
    expect(tokenUser(jwt({ name: 'no subject' }))).toBeNull();
  });
});
