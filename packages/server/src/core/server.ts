/**
 * SwitchboardServer: one node `http` server shared by Fastify (REST) and `ws`
 * (WebSocket upgrades, noServer mode, compression off). Owns the connection set,
 * the heartbeat sweep, token expiry, and graceful shutdown.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { WebSocket, WebSocketServer } from 'ws';
import { CloseCode, CloseReason } from '@switchboard/protocol';
import type { App, WsRoute } from './app.js';
import { TokenVerifier, extractToken, type AuthUser, type VerifyResult } from './auth.js';
import { ConnectionState, type Connection } from './connection.js';
import type { Consumer } from './consumer.js';
import { CONNECTIONS_TOPIC, type ConnectionListener, type ServerContext } from './context.js';
import { compactValues } from './compact-set.js';
import { CONTROL_GROUP, controlMember, encodeControl } from './control.js';
import { ExpiryTracker } from './expiry.js';
import { TolerantLayer } from './fanout.js';
import { sweepConnections } from './heartbeat.js';
import { resolveOptions, type ResolvedOptions, type ServerOptions } from './options.js';
import { isOriginAllowed } from './origin.js';
import { Router } from './router.js';
import { ServerStats } from './stats.js';
import { TokenIssuer } from './tokens.js';
import { MemoryChannelLayer } from '../layer/memory.js';
import { userGroup, type ChannelLayer } from '../layer/types.js';
import { MemoryPresence } from '../presence/memory.js';
import type { Presence } from '../presence/types.js';
import { Store } from '../store/store.js';
import { setupHttp } from '../http/setup.js';
import { SERVER_VERSION } from '../version.js';

/**
 * ws's WebSocket with a slot for its consumer. ws reports events through `emit`; this
 * class hands them straight to the consumer instead of registering listeners, so a
 * connection carries no listener table and no closures (memory per idle connection).
 * Listeners added by anyone else still run.
 */
class SwitchboardSocket extends WebSocket {
  consumer: Consumer | undefined;

  override emit(event: string | symbol, first?: unknown, second?: unknown): boolean {
    const consumer = this.consumer;
    if (consumer !== undefined) {
      if (event === 'message') consumer.receive(first as Buffer, second as boolean);
      else if (event === 'pong') consumer.lastSeenAt = Date.now();
      else if (event === 'ping') consumer.answerPing(first as Buffer);
      else if (event === 'close') (consumer.host as SwitchboardServer).trackClose(consumer, first as number);
    }
    // Socket errors (resets, protocol violations) are followed by 'close', where cleanup
    // happens; without a listener EventEmitter would throw them.
    if (event === 'error' && this.listenerCount('error') === 0) return false;
    return super.emit(event, first, second);
  }
}

function ignoreError(): void {
  // Socket errors (resets, protocol violations) are followed by 'close', where cleanup happens.
}

const ANONYMOUS: AuthUser = Object.freeze({ id: 'anonymous', name: 'anonymous', isStaff: false, exp: 0 });
const ANONYMOUS_RESULT: VerifyResult = Object.freeze({ ok: true, user: ANONYMOUS });

export interface ServerDependencies {
  layer?: ChannelLayer;
  presence?: Presence;
  store?: Store;
  apps?: readonly App[];
}

export class SwitchboardServer implements ServerContext {
  readonly options: ResolvedOptions;
  readonly stats = new ServerStats();
  readonly logger: Logger;
  readonly layer: ChannelLayer;
  readonly presence: Presence;
  readonly store: Store;
  readonly tokens: TokenIssuer;
  readonly http: FastifyInstance;
  readonly connections = new Set<Consumer>();

  private readonly apps: readonly App[];
  private readonly verifier: TokenVerifier;
  private readonly router = new Router<WsRoute>();
  private readonly wss: WebSocketServer;
  private readonly expiry = new ExpiryTracker();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly control = controlMember((command) => {
    if (command.command === 'close_user') this.closeUserConnections(command.userId, command.code, command.reason);
  });
  private readonly listeners = { open: new Set<ConnectionListener>(), close: new Set<ConnectionListener>() };
  private shuttingDown = false;
  private drained: (() => void) | undefined;
  private started = false;

  constructor(options: ServerOptions, dependencies: ServerDependencies = {}) {
    this.options = resolveOptions(options);
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.layer = new TolerantLayer(dependencies.layer ?? new MemoryChannelLayer(), this.logger);
    this.presence = dependencies.presence ?? new MemoryPresence();
    this.store = dependencies.store ?? new Store(this.options.databaseUrl);
    this.apps = dependencies.apps ?? [];
    this.verifier = new TokenVerifier(this.options.jwt);
    this.tokens = new TokenIssuer(this.options.jwt);
    this.wss = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: this.options.maxMessageBytes,
      clientTracking: false,
      WebSocket: SwitchboardSocket,
      // Never echo an offered subprotocol: some clients smuggle tokens in it.
      handleProtocols: () => false,
      // Pings are answered by Connection.answerPing: ws's autoPong keeps a closure per socket.
      autoPong: false,
    });
    this.http = Fastify({
      loggerInstance: this.logger as FastifyBaseLogger,
      // Request logs would carry URLs; tokens must never reach logs.
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: this.options.maxMessageBytes,
      serverFactory: (handler) => createServer(handler),
    });
    this.http.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(request, socket, head),
    );
    for (const app of this.apps) for (const route of app.routes ?? []) this.router.add(route.path, route);
  }

  get server(): Server {
    return this.http.server;
  }

  /** Migrates the database, registers HTTP routes, listens. Resolves with the bound address. */
  async start(): Promise<AddressInfo> {
    if (this.started) throw new Error('server already started');
    this.started = true;
    await this.store.migrate();
    await setupHttp(this.http, SERVER_VERSION);
    for (const app of this.apps) await app.http?.(this.http, this);
    await this.http.listen({ host: this.options.host, port: this.options.port });
    await this.layer.groupAdd(CONTROL_GROUP, this.control);
    for (const app of this.apps) await app.start?.(this);
    const sweepEvery = Math.min(this.options.heartbeatIntervalMs, Math.ceil(this.options.connectionTimeoutMs / 2));
    this.timers.push(setInterval(() => sweepConnections(this.connections, this.options), sweepEvery));
    this.timers.push(setInterval(() => this.expiry.tick(), 1000));
    for (const timer of this.timers) timer.unref();
    const address = this.server.address() as AddressInfo;
    this.logger.info({ port: address.port, routes: this.router.patterns() }, 'switchboard listening');
    return address;
  }

  // ---- ServerContext ----

  verifyToken(token: string): Promise<VerifyResult> {
    return this.verifier.verify(token);
  }

  connectionCount(): number {
    return this.connections.size;
  }

  rescheduleExpiry(connection: Connection): void {
    this.expiry.reschedule(connection);
  }

  onConnectionEvent(kind: 'open' | 'close', listener: ConnectionListener): () => void {
    this.listeners[kind].add(listener);
    return () => this.listeners[kind].delete(listener);
  }

  private emitConnectionEvent(kind: 'open' | 'close', consumer: Consumer, code?: number): void {
    const listeners = this.listeners[kind];
    if (listeners.size === 0) return;
    const event = { connectionId: consumer.id, userId: consumer.user.id, route: consumer.route, params: consumer.params, at: new Date(), code };
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.error({ err: error }, 'connection listener failed');
      }
    }
  }

  async closeUserConnectionsEverywhere(userId: string, code: number, reason: string): Promise<number> {
    const local = this.closeUserConnections(userId, code, reason);
    try {
      await this.layer.groupSend(CONTROL_GROUP, encodeControl({ command: 'close_user', userId, code, reason }), { except: this.control });
    } catch (error) {
      this.logger.warn({ err: error }, 'could not reach other instances to close connections');
    }
    return local;
  }

  closeUserConnections(userId: string, code: number, reason: string): number {
    let closed = 0;
    for (const consumer of this.connections) {
      if (consumer.user.id === userId && consumer.isOpen) {
        consumer.close(code, reason);
        closed++;
      }
    }
    return closed;
  }

  // ---- upgrade and connection lifecycle ----

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', ignoreError);
    if (this.shuttingDown) return rejectUpgrade(socket, 503, 'Server shutting down');
    if (!isOriginAllowed(request.headers.origin, request.headers.host, this.options.allowedOrigins)) {
      return rejectUpgrade(socket, 403, 'Origin not allowed');
    }
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = this.router.match(url.pathname);
    if (!match) return rejectUpgrade(socket, 404, 'No WebSocket endpoint at this path');
    const route = match.target;
    const complete = (result: VerifyResult): void => {
      if (socket.destroyed) return;
      // Corked so the 101 response leaves with the first frame (see Connection.holdHandshake).
      socket.cork();
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        this.accept(ws as SwitchboardSocket, socket, route, match.params, result);
      });
    };
    if (route.anonymous) return complete(ANONYMOUS_RESULT);
    const token = extractToken(request, url.searchParams);
    // HS* tokens verify synchronously; public keys may need a JWKS fetch first.
    const immediate = this.verifier.verifyNow(token);
    if (immediate) return complete(immediate);
    this.verifier.verify(token).then(complete, (error: unknown) => {
      this.logger.error({ err: error }, 'token verification failed unexpectedly');
      rejectUpgrade(socket, 500, 'Internal error');
    });
  }

  private accept(
    ws: SwitchboardSocket,
    socket: Duplex,
    route: WsRoute,
    params: Record<string, string>,
    auth: VerifyResult,
  ): void {
    // ws listens for socket errors now; ours only covered the handshake.
    socket.removeListener('error', ignoreError);
    if (!auth.ok) {
      // Accept-then-close so browsers can read the code (a refused upgrade shows only 1006).
      const reason = auth.reason === 'expired' ? CloseReason.TokenExpired : CloseReason.AuthenticationFailed;
      this.stats.countClose(CloseCode.Unauthenticated);
      ws.close(CloseCode.Unauthenticated, reason);
      socket.uncork();
      return;
    }
    if (this.shuttingDown) {
      ws.close(CloseCode.GoingAway, CloseReason.ServerShutdown);
      socket.uncork();
      return;
    }
    let consumer: Consumer;
    try {
      consumer = new route.consumer({ ws, socket, user: auth.user, host: this, route: route.path, params });
    } catch (error) {
      // An app's constructor bug must neither crash the server nor leave the 101 corked.
      this.logger.error({ err: error, route: route.path }, 'consumer constructor failed');
      this.stats.countClose(CloseCode.InternalError);
      ws.close(CloseCode.InternalError, CloseReason.InternalError);
      socket.uncork();
      return;
    }
    consumer.holdHandshake();
    ws.consumer = consumer;
    ws.pause();
    this.connections.add(consumer);
    this.stats.connectionsOpened++;
    consumer.opening = this.open(consumer, route).finally(() => {
      consumer.opening = undefined;
    });
  }

  private async open(consumer: Consumer, route: WsRoute): Promise<void> {
    try {
      if (!route.anonymous) {
        const { user } = consumer;
        await this.presence.join(CONNECTIONS_TOPIC, { userId: user.id, userName: user.name }, consumer.id);
        if ((await this.presence.userConnectionCount(CONNECTIONS_TOPIC, user.id)) > this.options.maxConnectionsPerUser) {
          consumer.close(CloseCode.PolicyViolation, CloseReason.TooManyConnections);
          return;
        }
        if (user.name === user.id) user.name = (await this.store.users.findById(user.id))?.name ?? user.id;
        this.expiry.add(consumer);
        await consumer.join(userGroup(user.id));
      }
      if (consumer.state !== ConnectionState.Connecting) return;
      if (!(await consumer.authorize())) {
        consumer.close(CloseCode.Forbidden, CloseReason.Forbidden);
        return;
      }
      if (consumer.state !== ConnectionState.Connecting) return;
      consumer.connectStarted = true;
      await consumer.onConnect();
      if (consumer.state === ConnectionState.Connecting) {
        consumer.markOpen();
        consumer.announced = true;
        this.emitConnectionEvent('open', consumer);
      }
    } catch (error) {
      this.logger.error({ err: error, route: route.path }, 'connect failed');
      consumer.close(CloseCode.InternalError, CloseReason.InternalError);
    }
  }

  /** Disconnect handlers still running; shutdown waits for them before closing the store. */
  private readonly closing = new Set<Promise<void>>();

  /** @internal Called by SwitchboardSocket when its connection closed. */
  trackClose(consumer: Consumer, code: number): void {
    const done = this.onClosed(consumer, code).finally(() => this.closing.delete(done));
    this.closing.add(done);
  }

  private async onClosed(consumer: Consumer, code: number): Promise<void> {
    consumer.state = ConnectionState.Closed;
    this.connections.delete(consumer);
    if (this.connections.size === 0) this.drained?.();
    this.expiry.remove(consumer);
    // Let a connect in progress settle first, so onDisconnect sees everything it set up.
    await consumer.opening;
    // Out of the connections topic before onDisconnect: a handler that asks who is online
    // (channel presence) must not count this connection, even when a user's tabs close at once.
    if (consumer.user !== ANONYMOUS) {
      try {
        await this.presence.leave(CONNECTIONS_TOPIC, consumer.user.id, consumer.id);
      } catch (error) {
        this.logger.error({ err: error }, 'connection cleanup failed');
      }
    }
    if (consumer.announced) this.emitConnectionEvent('close', consumer, code);
    try {
      if (consumer.connectStarted) await consumer.onDisconnect(code);
    } catch (error) {
      this.logger.error({ err: error, route: consumer.route }, 'disconnect handler failed');
    }
    const cleanup: Promise<unknown>[] = [];
    for (const group of compactValues(consumer.groups)) cleanup.push(this.layer.groupDiscard(group, consumer));
    consumer.groups = undefined;
    for (const result of await Promise.allSettled(cleanup)) {
      if (result.status === 'rejected') this.logger.error({ err: result.reason }, 'connection cleanup failed');
    }
  }

  /**
   * Graceful shutdown: refuse new upgrades, close every connection with 1001 (after
   * flushing what is queued), wait for them up to `shutdownTimeoutMs`, then close HTTP,
   * apps, layer, presence and the database.
   */
  async stop(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const consumer of this.connections) consumer.close(CloseCode.GoingAway, CloseReason.ServerShutdown);
    if (this.connections.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.drained = resolve;
        timer = setTimeout(resolve, this.options.shutdownTimeoutMs);
      });
      clearTimeout(timer);
      for (const consumer of this.connections) consumer.terminate();
    }
    await Promise.allSettled([...this.closing]);
    for (const app of this.apps) await app.stop?.();
    await this.http.close();
    await this.layer.close();
    await this.presence.close();
    await this.store.close();
    this.logger.info('switchboard stopped');
  }
}

const STATUS_TEXT: Record<number, string> = { 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 503: 'Service Unavailable' };

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\nContent-Type: text/plain\r\n` +
      `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  );
}
