/**
 * Records what a client Connection emits (messages, state changes, retries) so tests
 * await events instead of sleeping: `next*()` returns the first matching event after
 * the last one consumed, waiting for it if needed.
 */
import type { AnyEndpoint, Connection, Endpoint, RetryEvent, ServerMessage, StateChange } from '../../src/index.js';

const TIMEOUT_MS = 5000;

class Stream<T> {
  readonly items: T[] = [];
  private cursor = 0;
  private waiters: Array<{ predicate: (item: T) => boolean; resolve: (item: T) => void }> = [];

  constructor(private readonly label: string) {}

  push(item: T): void {
    this.items.push(item);
    const index = this.items.length - 1;
    const waiter = this.waiters.find((w) => w.predicate(item));
    if (waiter && index >= this.cursor) {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      this.cursor = index + 1;
      waiter.resolve(item);
    }
  }

  next(predicate: (item: T) => boolean, timeoutMs = TIMEOUT_MS): Promise<T> {
    for (let i = this.cursor; i < this.items.length; i++) {
      if (predicate(this.items[i]!)) {
        this.cursor = i + 1;
        return Promise.resolve(this.items[i]!);
      }
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`timed out waiting for a ${this.label}; got ${JSON.stringify(this.items.slice(-5))}`));
      }, timeoutMs);
      const done = (item: T): void => {
        clearTimeout(timer);
        resolve(item);
      };
      this.waiters.push({ predicate, resolve: done });
    });
  }
}

export class Recorder<E extends Endpoint = AnyEndpoint> {
  private readonly messageStream = new Stream<ServerMessage>('message');
  private readonly stateStream = new Stream<StateChange>('state change');
  private readonly retryStream = new Stream<RetryEvent>('retry');

  constructor(connection: Connection<E>) {
    connection.on('*', (message) => this.messageStream.push(message as ServerMessage));
    connection.on('state', (change) => this.stateStream.push(change));
    connection.on('retry', (retry) => this.retryStream.push(retry));
  }

  get messages(): ServerMessage[] {
    return this.messageStream.items;
  }

  /** Every state entered, in order. */
  get states(): string[] {
    return this.stateStream.items.map((change) => change.state);
  }

  get retries(): RetryEvent[] {
    return this.retryStream.items;
  }

  nextMessage(match: string | ((message: ServerMessage) => boolean), timeoutMs?: number): Promise<ServerMessage> {
    const predicate = typeof match === 'string' ? (m: ServerMessage) => m.type === match : match;
    return this.messageStream.next(predicate, timeoutMs);
  }

  nextState(state: StateChange['state'], timeoutMs?: number): Promise<StateChange> {
    return this.stateStream.next((change) => change.state === state, timeoutMs);
  }
}

/** A promise to open later: holds a reconnect (inside getToken) while a test acts. */
export class Gate {
  readonly opened: Promise<void>;
  open!: () => void;

  constructor() {
    this.opened = new Promise((resolve) => {
      this.open = resolve;
    });
  }
}

/** Resolves the n-th time `signal()` is called (n counted from 1). */
export class Counter {
  count = 0;
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  signal(): void {
    this.count++;
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.n > this.count) return true;
      waiter.resolve();
      return false;
    });
  }

  reached(n: number): Promise<void> {
    if (this.count >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }
}
