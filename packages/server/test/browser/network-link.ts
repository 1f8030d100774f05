/**
 * A real TCP forwarder between one browser context and the server that a test can cut
 * and heal: a network partition for that user alone, while the server and everyone
 * else stay up. Cut drops every live connection and refuses new ones until healed.
 * (Browser offline emulation does not reliably cut WebSockets, so the cut is here.)
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export class NetworkLink {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private cutOff = false;
  port = 0;

  constructor(private readonly targetPort: number) {
    this.server = createServer((client) => this.forward(client));
  }

  /** Listens on an ephemeral port of 127.0.0.1; browse to `url` to go through the link. */
  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as { port: number }).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Drops every connection through the link and refuses new ones. */
  cut(): void {
    this.cutOff = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  heal(): void {
    this.cutOff = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: Socket): void {
    client.on('error', () => client.destroy());
    if (this.cutOff) {
      client.destroy();
      return;
    }
    const upstream = connect(this.targetPort, '127.0.0.1');
    upstream.on('error', () => upstream.destroy());
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      // Either side ending (the server restarting, the browser closing) ends the pair.
      socket.once('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
