/**
 * The connection state machine, pure: `transition(machine, event)` returns the next
 * state and what to do (retry after a delay, or give up). The Connection performs
 * the effects; tests drive this function directly.
 *
 *   closed ──connect──▶ connecting ──confirmed──▶ open
 *   connecting / open / reconnecting ──socket closed, retryable──▶ reconnecting
 *   reconnecting ──confirmed──▶ open
 *   any ──disconnect, or a close that is not retried, or too many attempts──▶ closed
 */
import { CLOSE_CODES, CloseCode } from '@switchboard/protocol';
import { backoff, type BackoffOptions } from './backoff.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ReconnectOptions extends BackoffOptions {
  /** Reconnect attempts after a drop before giving up (`Infinity`: never give up). */
  readonly maxAttempts: number;
  /** Consecutive 4001 closes (each followed by a fresh `getToken`) before giving up. */
  readonly maxAuthFailures: number;
}

/** Retries forever, 1 s to 30 s apart. */
export const DEFAULT_RECONNECT: Readonly<ReconnectOptions> = Object.freeze({
  baseMs: 1000,
  maxMs: 30_000,
  maxAttempts: Infinity,
  maxAuthFailures: 3,
});

/** The seed-001 client's policy (5 attempts, delays doubling from 2 s up to 30 s), with jitter. */
export const SEED_001_RECONNECT: Readonly<ReconnectOptions> = Object.freeze({
  baseMs: 2000,
  maxMs: 30_000,
  maxAttempts: 5,
  maxAuthFailures: 3,
});

const RETRY_BY_CODE: ReadonlyMap<number, boolean> = new Map(CLOSE_CODES.map((entry) => [entry.code, entry.retry]));

/**
 * Whether a close code is worth reconnecting after. Codes in the protocol's table
 * follow its `retry` flag (1000 and 4003 never retry); any other code (1005/1006
 * network failures, proxies' codes) is retried.
 */
export function isRetryable(code: number): boolean {
  return RETRY_BY_CODE.get(code) ?? true;
}

/** Why a connection went to `closed`. */
export type GiveUpReason = 'client' | 'not_retryable' | 'max_attempts' | 'auth_failed';

export interface Machine {
  readonly state: ConnectionState;
  /** Reconnect attempts since the connection was last confirmed open. */
  readonly attempt: number;
  /** 4001 closes since the connection was last confirmed open. */
  readonly authFailures: number;
}

export type MachineEvent =
  /** The application asked to connect. */
  | { readonly type: 'connect' }
  /** The server answered the handshake ping: authenticated, authorized and connected. */
  | { readonly type: 'confirmed' }
  /** The socket closed, failed to connect, or was abandoned as dead. */
  | { readonly type: 'closed'; readonly code: number }
  /** The application closed the connection. */
  | { readonly type: 'disconnect' };

export interface RetryPlan {
  /** 1 for the first retry after a drop. */
  readonly attempt: number;
  readonly delayMs: number;
  /** The last close was 4001: ask `getToken` for a fresh token. */
  readonly refreshToken: boolean;
}

export interface Transition {
  readonly machine: Machine;
  readonly retry?: RetryPlan;
  readonly gaveUp?: GiveUpReason;
}

export const INITIAL_MACHINE: Machine = Object.freeze({ state: 'closed', attempt: 0, authFailures: 0 });

const FRESH = { attempt: 0, authFailures: 0 } as const;

/** Events that make no sense in the current state leave it unchanged. */
export function transition(
  machine: Machine,
  event: MachineEvent,
  options: ReconnectOptions,
  random: () => number = Math.random,
): Transition {
  switch (event.type) {
    case 'connect':
      return machine.state === 'closed' ? { machine: { state: 'connecting', ...FRESH } } : { machine };
    case 'confirmed':
      return machine.state === 'connecting' || machine.state === 'reconnecting'
        ? { machine: { state: 'open', ...FRESH } }
        : { machine };
    case 'disconnect':
      return machine.state === 'closed' ? { machine } : { machine: { ...machine, state: 'closed' }, gaveUp: 'client' };
    case 'closed':
      return machine.state === 'closed' ? { machine } : afterClose(machine, event.code, options, random);
  }
}

function afterClose(machine: Machine, code: number, options: ReconnectOptions, random: () => number): Transition {
  if (!isRetryable(code)) return { machine: { ...machine, state: 'closed' }, gaveUp: 'not_retryable' };
  const unauthenticated = code === CloseCode.Unauthenticated;
  const authFailures = unauthenticated ? machine.authFailures + 1 : machine.authFailures;
  if (authFailures >= options.maxAuthFailures) {
    return { machine: { ...machine, state: 'closed', authFailures }, gaveUp: 'auth_failed' };
  }
  if (machine.attempt >= options.maxAttempts) return { machine: { ...machine, state: 'closed' }, gaveUp: 'max_attempts' };
  // The first 4001 is usually an expired token: a fresh one fixes it, so do not wait.
  const delayMs = unauthenticated && authFailures === 1 ? 0 : backoff(machine.attempt, options, random);
  return {
    machine: { state: 'reconnecting', attempt: machine.attempt + 1, authFailures },
    retry: { attempt: machine.attempt + 1, delayMs, refreshToken: unauthenticated },
  };
}
