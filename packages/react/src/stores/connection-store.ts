/** The state of one pooled connection, from its `state` and `retry` events. */
import type { ConnectionState, GiveUpReason, RetryEvent, StateChange } from '@switchboard/client';
import { ExternalStore } from './store.js';

export interface ConnectionSnapshot {
  readonly state: ConnectionState;
  /** True while the server has confirmed the connection (`open`). */
  readonly isConnected: boolean;
  /** Close code and reason of the last drop, if any. */
  readonly code?: number;
  readonly reason?: string;
  /** Set when the connection went to `closed` for good. */
  readonly gaveUp?: GiveUpReason;
  /** The scheduled reconnect attempt (1 for the first retry after a drop). */
  readonly attempt: number;
  /** Delay of the scheduled reconnect, ms. */
  readonly retryDelayMs?: number;
  /** How many times the connection has been confirmed open: a change means "(re)connected". */
  readonly openCount: number;
}

export const INITIAL_CONNECTION: ConnectionSnapshot = Object.freeze({
  state: 'closed',
  isConnected: false,
  attempt: 0,
  openCount: 0,
});

export class ConnectionStore extends ExternalStore<ConnectionSnapshot> {
  constructor(initial: ConnectionState = 'closed') {
    super(initial === 'closed' ? INITIAL_CONNECTION : { ...INITIAL_CONNECTION, state: initial, isConnected: initial === 'open' });
  }

  /** Adopts a connection's current state when a component starts watching it. */
  reset(state: ConnectionState): void {
    const previous = this.current;
    this.setState({
      state,
      isConnected: state === 'open',
      attempt: 0,
      openCount: previous.openCount + (state === 'open' && !previous.isConnected ? 1 : 0),
    });
  }

  stateChanged(change: StateChange): void {
    const previous = this.current;
    const open = change.state === 'open';
    const next: ConnectionSnapshot = {
      state: change.state,
      isConnected: open,
      attempt: open ? 0 : previous.attempt,
      openCount: previous.openCount + (open ? 1 : 0),
      ...(change.code !== undefined ? { code: change.code, reason: change.reason ?? '' } : previous.code !== undefined && !open ? { code: previous.code, reason: previous.reason ?? '' } : {}),
      ...(change.gaveUp ? { gaveUp: change.gaveUp } : {}),
    };
    this.setState(next);
  }

  retryScheduled(retry: RetryEvent): void {
    this.patch({ attempt: retry.attempt, retryDelayMs: retry.delayMs });
  }
}
