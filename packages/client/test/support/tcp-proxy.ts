/**
 * A real TCP proxy between a client and the server, to reproduce network failures
 * the server cannot cause itself: a connection that goes silent (packets lost, the
 * TCP connection still "up"), replies that never arrive, or an abrupt drop.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

interface Pair {
  client: Socket;
  upstream: Socket;
  toServer: boolean;
  toClient: boolean;
}

export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private acceptedCount = 0;
  private waiters: Array<{ n: number; resolve: () => void }> = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const proxy = new TcpProxy(server, (server.address() as { port: number }).port);
    server.on('connection', (client) => proxy.accept(client, targetPort));
    return proxy;
  }

  private accept(client: Socket, targetPort: number): void {
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: Pair = { client, upstream, toServer: true, toClient: true };
    this.pairs.add(pair);
    client.on('data', (data) => pair.toServer && upstream.write(data));
    upstream.on('data', (data) => pair.toClient && client.write(data));
    const end = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
    this.acceptedCount++;
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.n > this.acceptedCount) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves once `n` connections were accepted in total. */
  accepted(n: number): Promise<void> {
    if (this.acceptedCount >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  /** The live connections silently lose every byte (in both directions, or only the server's replies). */
  blackhole(direction: 'both' | 'replies' = 'both'): void {
    for (const pair of this.pairs) {
      pair.toClient = false;
      if (direction === 'both') pair.toServer = false;
    }
  }

  /** Drops the live connections abruptly (the client sees 1006). */
  cut(): void {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
