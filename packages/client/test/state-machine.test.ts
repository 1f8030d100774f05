/**
 * The connection state machine, pure (injected randomness): every transition, the
 * protocol's close-code table deciding retries, backoff per attempt, token refresh
 * on 4001 and giving up.
 */
import { CLOSE_CODES } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RECONNECT,
  INITIAL_MACHINE,
  SEED_001_RECONNECT,
  isRetryable,
  transition,
  type Machine,
  type MachineEvent,
  type ReconnectOptions,
} from '../src/state-machine.js';

const policy: ReconnectOptions = { baseMs: 100, maxMs: 1000, maxAttempts: 4, maxAuthFailures: 3 };
const half = () => 0.5;

function run(events: MachineEvent[], options = policy, machine: Machine = INITIAL_MACHINE) {
  const steps = [];
  for (const event of events) {
    const result = transition(machine, event, options, half);
    steps.push(result);
    machine = result.machine;
  }
  return steps;
}

const closed = (code: number): MachineEvent => ({ type: 'closed', code });

describe('transitions', () => {
  it('closed → connecting → open → reconnecting → open → closed', () => {
    const steps = run([{ type: 'connect' }, { type: 'confirmed' }, closed(1006), { type: 'confirmed' }, { type: 'disconnect' }]);
    expect(steps.map((s) => s.machine.state)).toEqual(['connecting', 'open', 'reconnecting', 'open', 'closed']);
    expect(steps[2]!.retry).toEqual({ attempt: 1, delayMs: 50, refreshToken: false });
    expect(steps[4]!.gaveUp).toBe('client');
  });

  it('a first connection that fails goes to reconnecting, not back to connecting', () => {
    const steps = run([{ type: 'connect' }, closed(1006)]);
    expect(steps[1]!.machine).toEqual({ state: 'reconnecting', attempt: 1, authFailures: 0 });
  });

  it('ignores events that make no sense in the current state', () => {
    const open: Machine = { state: 'open', attempt: 0, authFailures: 0 };
    expect(transition(open, { type: 'connect' }, policy).machine).toBe(open);
    expect(transition(open, { type: 'confirmed' }, policy).machine).toBe(open);
    expect(transition(INITIAL_MACHINE, { type: 'confirmed' }, policy).machine).toBe(INITIAL_MACHINE);
    expect(transition(INITIAL_MACHINE, closed(1006), policy)).toEqual({ machine: INITIAL_MACHINE });
    expect(transition(INITIAL_MACHINE, { type: 'disconnect' }, policy)).toEqual({ machine: INITIAL_MACHINE });
  });

  it('disconnect closes from every live state', () => {
    for (const state of ['connecting', 'open', 'reconnecting'] as const) {
      const result = transition({ state, attempt: 2, authFailures: 1 }, { type: 'disconnect' }, policy);
      expect(result.machine.state).toBe('closed');
      expect(result.gaveUp).toBe('client');
      expect(result.retry).toBeUndefined();
    }
  });

  it('backs off exponentially per failed attempt and resets once confirmed', () => {
    const steps = run([{ type: 'connect' }, closed(1006), closed(1006), closed(1006), { type: 'confirmed' }, closed(1006)]);
    expect(steps.filter((s) => s.retry).map((s) => s.retry!.delayMs)).toEqual([50, 100, 200, 50]);
    expect(steps.filter((s) => s.retry).map((s) => s.retry!.attempt)).toEqual([1, 2, 3, 1]);
  });

  it('gives up after maxAttempts retries', () => {
    const steps = run([{ type: 'connect' }, ...Array.from({ length: 5 }, () => closed(1006))]);
    expect(steps.map((s) => s.machine.state)).toEqual([
      'connecting',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'reconnecting',
      'closed',
    ]);
    expect(steps[5]!.gaveUp).toBe('max_attempts');
  });

  it('with the seed-001 policy: 5 retries, then closed', () => {
    const steps = run([{ type: 'confirmed' }, ...Array.from({ length: 6 }, () => closed(1006))], SEED_001_RECONNECT, {
      state: 'connecting',
      attempt: 0,
      authFailures: 0,
    });
    expect(steps.filter((s) => s.retry).length).toBe(5);
    expect(steps.at(-1)!.gaveUp).toBe('max_attempts');
  });

  it('retries forever by default', () => {
    let machine: Machine = { state: 'reconnecting', attempt: 0, authFailures: 0 };
    for (let i = 0; i < 1000; i++) machine = transition(machine, closed(1006), DEFAULT_RECONNECT, half).machine;
    expect(machine).toMatchObject({ state: 'reconnecting', attempt: 1000 });
  });
});

describe('close codes', () => {
  it("follows the protocol table's retry flags", () => {
    for (const { code, retry } of CLOSE_CODES) expect(isRetryable(code)).toBe(retry);
    expect(isRetryable(1000)).toBe(false);
    expect(isRetryable(4003)).toBe(false);
  });

  it('retries codes outside the table (network failures, proxies)', () => {
    for (const code of [1005, 1006, 1012, 1013, 1014, 4000, 4500]) expect(isRetryable(code)).toBe(true);
  });

  it.each([1000, 4003])('never retries %i, from any live state', (code) => {
    for (const state of ['connecting', 'open', 'reconnecting'] as const) {
      const result = transition({ state, attempt: 0, authFailures: 0 }, closed(code), policy);
      expect(result).toMatchObject({ machine: { state: 'closed' }, gaveUp: 'not_retryable' });
      expect(result.retry).toBeUndefined();
    }
  });

  it.each([1001, 1009, 1011, 4002, 4008, 4009])('retries %i with backoff', (code) => {
    const result = transition({ state: 'open', attempt: 0, authFailures: 0 }, closed(code), policy, half);
    expect(result.retry).toEqual({ attempt: 1, delayMs: 50, refreshToken: false });
  });
});

describe('4001: fresh token, then give up', () => {
  it('reconnects at once asking for a fresh token after the first 4001', () => {
    const result = transition({ state: 'open', attempt: 0, authFailures: 0 }, closed(4001), policy, half);
    expect(result.retry).toEqual({ attempt: 1, delayMs: 0, refreshToken: true });
    expect(result.machine.authFailures).toBe(1);
  });

  it('backs off on repeated 4001s and gives up at maxAuthFailures', () => {
    const steps = run([{ type: 'connect' }, closed(4001), closed(4001), closed(4001)]);
    expect(steps.map((s) => s.machine.state)).toEqual(['connecting', 'reconnecting', 'reconnecting', 'closed']);
    expect(steps[1]!.retry).toEqual({ attempt: 1, delayMs: 0, refreshToken: true });
    expect(steps[2]!.retry).toEqual({ attempt: 2, delayMs: 100, refreshToken: true });
    expect(steps[3]!.gaveUp).toBe('auth_failed');
  });

  it('counts 4001s until a confirmed connection, across other failures', () => {
    const steps = run([{ type: 'connect' }, closed(4001), closed(1006), closed(4001), closed(4001)]);
    expect(steps.at(-1)!.gaveUp).toBe('auth_failed');
    expect(steps[2]!.retry!.refreshToken).toBe(false);
  });

  it('a confirmed connection resets the count', () => {
    const steps = run([{ type: 'connect' }, closed(4001), closed(4001), { type: 'confirmed' }, closed(4001), closed(4001)]);
    expect(steps.map((s) => s.machine.state)).toEqual(['connecting', 'reconnecting', 'reconnecting', 'open', 'reconnecting', 'reconnecting']);
  });
});
