/**
 * A WebSocket test client over `ws` that records every message and close, so tests
 * await events (never sleep): `next(type)`, `closed`, `roundTrip()`.
 */
import WebSocket, { type ClientOptions } from 'ws';

export type Message = { type: string; [key: string]: any };

export interface CloseEvent {
  code: number;
  reason: string;
}

interface Waiter {
  predicate: (message: Message) => boolean;
  resolve: (message: Message) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class TestClient {
  readonly ws: WebSocket;
  /** Every message received, in order. */
  readonly received: Message[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<CloseEvent>;
  private cursor = 0;
  private waiters: Waiter[] = [];
  private pingCounter = 0;

  constructor(url: string, options: ClientOptions = {}) {
    this.ws = new WebSocket(url, options);
    this.ws.on('error', () => {});
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      this.ws.once('close', () => reject(new Error('closed before open')));
    });
    this.opened.catch(() => {});
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        for (const waiter of this.waiters) {
          clearTimeout(waiter.timer);
          waiter.reject(new Error(`connection closed (${code} ${reason.toString()}) while waiting`));
        }
        this.waiters = [];
      });
    });
    this.ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = JSON.parse(data.toString()) as Message;
      this.received.push(message);
      this.waiters = this.waiters.filter((waiter) => {
        if (!waiter.predicate(message)) return true;
        clearTimeout(waiter.timer);
        waiter.resolve(message);
        return false;
      });
    });
  }

  static async connect(url: string, options?: ClientOptions): Promise<TestClient> {
    const client = new TestClient(url, options);
    await client.opened;
    return client;
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /**
   * Resolves with the first message after the last one consumed by next() that
   * matches; messages skipped over stay in `received`.
   */
  next(match: string | ((message: Message) => boolean) = () => true, timeoutMs = 5000): Promise<Message> {
    const predicate = typeof match === 'string' ? (m: Message) => m.type === match : match;
    for (let i = this.cursor; i < this.received.length; i++) {
      if (predicate(this.received[i]!)) {
        this.cursor = i + 1;
        return Promise.resolve(this.received[i]!);
      }
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(new Error(`timed out waiting for ${typeof match === 'string' ? match : 'a matching message'}; got ${JSON.stringify(this.received.slice(-5))}`));
      }, timeoutMs);
      this.waiters.push({
        predicate,
        resolve: (message) => {
          this.cursor = this.received.indexOf(message) + 1;
          resolve(message);
        },
        reject,
        timer,
      });
    });
  }

  /**
   * Sends a ping and waits for its pong. The server handles a connection's messages in
   * order and writes in order, so anything it sent this client before handling the ping
   * has arrived once this resolves: the way to assert that something did NOT arrive.
   */
  async roundTrip(): Promise<void> {
    const ref = `rt-${++this.pingCounter}`;
    this.send({ type: 'ping', ref });
    await this.next((m) => m.type === 'pong' && m.ref === ref);
  }

  /** Messages of `type` received so far. */
  all(type: string): Message[] {
    return this.received.filter((m) => m.type === type);
  }

  close(code = 1000): Promise<CloseEvent> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code);
    return this.closed;
  }
}

/** Connects and waits for the close: for handshakes the server must refuse or close. */
export async function closeOf(url: string, options?: ClientOptions): Promise<CloseEvent> {
  const client = new TestClient(url, options);
  return client.closed;
}

/** The HTTP status of a refused upgrade. */
export function upgradeStatus(url: string, options?: ClientOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options);
    ws.on('error', () => {});
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.once('open', () => {
      ws.terminate();
      reject(new Error('upgrade unexpectedly succeeded'));
    });
  });
}
