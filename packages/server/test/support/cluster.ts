/**
 * A real Switchboard cluster for tests: N `switchboard serve` processes (the built CLI)
 * on 127.0.0.1, sharing one redis-server (or a 3-master Redis Cluster) and one
 * PostgreSQL database, with the same JWT_SECRET and API_KEY, as a deployment behind a
 * load balancer would run them.
 * Instances can be killed (-9), stopped (SIGTERM) and started again on their port with
 * their INSTANCE_ID; Redis can be killed and restarted on its port.
 *
 * PRESENCE_TTL_MS is small (3 s by default) so a dead instance's users expire quickly;
 * production keeps the 30 s default.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { LISTENING, REPO_ROOT, freePort, removeTempDirs, runCli, spawnCli, spawnCommand, tempDir, type CliProcess, type Exit } from './cli.js';
import { TestClient, type Message } from './client.js';
import { postgresUrl } from './databases.js';
import { startRedis, startRedisCluster, type RedisCluster, type RedisServer } from './redis.js';
import { TEST_SECRET } from './server.js';

export const CLUSTER_API_KEY = 'cluster-test-api-key';
export const CLUSTER_PRESENCE_TTL_MS = 3_000;
export const PASSWORD = 'correct horse battery staple';

/** Startup includes migrations and the Redis handshake; generous on a loaded two-core machine. */
const START_TIMEOUT_MS = 45_000;

/** Processes started here, killed if the test process exits without stopping them. */
const live = new Set<CliProcess>();
process.once('exit', () => {
  for (const proc of live) proc.child.kill('SIGKILL');
});

function track(proc: CliProcess): CliProcess {
  live.add(proc);
  void proc.exited.finally(() => live.delete(proc));
  return proc;
}

export interface ClusterOptions {
  /** Number of instances (default 3). */
  size?: number;
  presenceTtlMs?: number;
  /** Extra environment for every instance. */
  env?: Record<string, string>;
}

/** One `switchboard serve` process of the cluster; it keeps its name, INSTANCE_ID and port across restarts. */
export class ClusterInstance {
  private proc: CliProcess | undefined;
  private boundPort = 0;
  private readonly cwd = tempDir();

  constructor(
    readonly name: string,
    private readonly env: Record<string, string>,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  get httpUrl(): string {
    return `http://127.0.0.1:${this.boundPort}`;
  }

  get running(): boolean {
    return this.proc?.running ?? false;
  }

  /** Everything the current process wrote, for failure messages. */
  transcript(): string {
    return this.proc?.transcript() ?? '(not started)';
  }

  wsUrl(path: string, token?: string): string {
    const url = new URL(path, `ws://127.0.0.1:${this.boundPort}`);
    if (token !== undefined) url.searchParams.set('token', token);
    return url.toString();
  }

  /** Starts the process (again on the same port after a stop) and waits for its listening line. */
  async start(): Promise<void> {
    if (this.running) throw new Error(`instance ${this.name} is already running`);
    const proc = track(spawnCli(['serve', '--host', '127.0.0.1', '--port', String(this.boundPort)], { cwd: this.cwd, env: this.env }));
    this.proc = proc;
    const match = await proc.waitFor('stdout', LISTENING, START_TIMEOUT_MS);
    this.boundPort = Number(match[2]);
  }

  /** SIGKILL: no close frames, no presence cleanup; resolves once the process is gone. */
  async kill(): Promise<Exit> {
    const proc = this.requireProcess();
    proc.child.kill('SIGKILL');
    return proc.exited;
  }

  /** SIGTERM: the graceful shutdown (1001 to every client); resolves with the exit. */
  async stop(): Promise<Exit> {
    const proc = this.requireProcess();
    proc.child.kill('SIGTERM');
    return proc.exited;
  }

  private requireProcess(): CliProcess {
    if (!this.proc || !this.proc.running) throw new Error(`instance ${this.name} is not running`);
    return this.proc;
  }
}

interface Instances {
  readonly databaseUrl: string;
  readonly presenceTtlMs: number;
  readonly instances: ClusterInstance[];
}

export interface Cluster extends Instances {
  readonly redis: RedisServer;
  /** Kills every instance and Redis. */
  stop(): Promise<void>;
}

/** The same on a 3-master Redis Cluster (sharded pub/sub), named by REDIS_CLUSTER_NODES. */
export interface ShardedCluster extends Instances {
  readonly redisCluster: RedisCluster;
  stop(): Promise<void>;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const redis = await startRedis();
  try {
    const started = await startInstances({ REDIS_URL: redis.url }, options);
    return { ...started, redis, stop: () => stopAll(started.instances, () => redis.stop()) };
  } catch (error) {
    await redis.stop();
    throw error;
  }
}

export async function startShardedCluster(options: ClusterOptions = {}): Promise<ShardedCluster> {
  const redisCluster = await startRedisCluster();
  try {
    const started = await startInstances({ REDIS_CLUSTER_NODES: redisCluster.urls.join(',') }, options);
    return { ...started, redisCluster, stop: () => stopAll(started.instances, () => redisCluster.stop()) };
  } catch (error) {
    await redisCluster.stop();
    throw error;
  }
}

/**
 * Migrates a fresh PostgreSQL database once with `switchboard migrate`, as the
 * deployment guide recommends, then starts the instances in parallel.
 */
async function startInstances(redisEnv: Record<string, string>, options: ClusterOptions): Promise<Instances> {
  const size = options.size ?? 3;
  const presenceTtlMs = options.presenceTtlMs ?? CLUSTER_PRESENCE_TTL_MS;
  const databaseUrl = await postgresUrl();
  const migrated = await runCli(['migrate'], { cwd: tempDir(), env: { DATABASE_URL: databaseUrl } });
  if (migrated.code !== 0) throw new Error(`switchboard migrate failed: ${migrated.stderr}`);
  const instances: ClusterInstance[] = [];
  for (let i = 0; i < size; i++) {
    const name = String.fromCharCode('a'.charCodeAt(0) + i);
    instances.push(
      new ClusterInstance(name, {
        DATABASE_URL: databaseUrl,
        ...redisEnv,
        JWT_SECRET: TEST_SECRET,
        API_KEY: CLUSTER_API_KEY,
        PRESENCE_TTL_MS: String(presenceTtlMs),
        INSTANCE_ID: `instance-${name}`,
        LOG_LEVEL: 'warn',
        ...options.env,
      }),
    );
  }
  try {
    await Promise.all(instances.map((instance) => instance.start()));
  } catch (error) {
    await stopAll(instances, async () => {});
    throw error;
  }
  return { databaseUrl, presenceTtlMs, instances };
}

async function stopAll(instances: ClusterInstance[], stopRedis: () => Promise<void>): Promise<void> {
  await Promise.all(instances.filter((instance) => instance.running).map((instance) => instance.kill()));
  await stopRedis();
  removeTempDirs();
}

// ---- HTTP and accounts ----

export interface Reply {
  status: number;
  body: any;
}

export interface CallOptions {
  token?: string;
  apiKey?: string;
  body?: unknown;
}

export async function call(instance: ClusterInstance, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${instance.httpUrl}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

export interface Account {
  id: string;
  username: string;
  name: string;
  /** An access token issued by the cluster (`POST /api/auth/token`). */
  token: string;
}

/** Registers a user on one instance and logs in on another: accounts are cluster-wide. */
export async function register(registerOn: ClusterInstance, loginOn: ClusterInstance, label: string): Promise<Account> {
  const username = `${label}_${randomUUID().slice(0, 8)}`;
  const name = `${label[0]!.toUpperCase()}${label.slice(1)}`;
  const registered = await call(registerOn, 'POST', '/api/auth/register', { body: { username, password: PASSWORD, name } });
  if (registered.status !== 201) throw new Error(`register ${username}: ${registered.status} ${JSON.stringify(registered.body)}`);
  const login = await call(loginOn, 'POST', '/api/auth/token', { body: { username, password: PASSWORD } });
  if (login.status !== 200) throw new Error(`login ${username}: ${login.status} ${JSON.stringify(login.body)}`);
  return { id: registered.body.id, username, name, token: login.body.access };
}

/** A workspace owned by `owner` (created on `instance`) with the others as members, and one public channel. */
export async function workspaceWithChannel(
  instance: ClusterInstance,
  owner: Account,
  members: Account[],
): Promise<{ workspaceId: string; channelId: string }> {
  const workspace = await call(instance, 'POST', '/api/workspaces', { token: owner.token, body: { name: `ws-${randomUUID().slice(0, 8)}` } });
  if (workspace.status !== 201) throw new Error(`create workspace: ${workspace.status} ${JSON.stringify(workspace.body)}`);
  const workspaceId: string = workspace.body.id;
  for (const member of members) {
    const added = await call(instance, 'POST', `/api/workspaces/${workspaceId}/members`, { token: owner.token, body: { user_id: member.id } });
    if (added.status !== 201 && added.status !== 200) throw new Error(`add member: ${added.status} ${JSON.stringify(added.body)}`);
  }
  const channel = await call(instance, 'POST', `/api/workspaces/${workspaceId}/channels`, {
    token: owner.token,
    body: { name: `general-${randomUUID().slice(0, 6)}`, type: 'public' },
  });
  if (channel.status !== 201) throw new Error(`create channel: ${channel.status} ${JSON.stringify(channel.body)}`);
  return { workspaceId, channelId: channel.body.id };
}

// ---- clients ----

/** Connects and waits for the first message of `type` (the endpoint's greeting). */
export async function connectAndGreet(url: string, type: string, track?: TestClient[]): Promise<{ client: TestClient; greeting: Message }> {
  const client = new TestClient(url);
  track?.push(client);
  await client.opened;
  return { client, greeting: await client.next(type, 10_000) };
}

/**
 * Polls `probe` every `intervalMs` until it returns a value other than undefined, or
 * throws after `timeoutMs` (naming the probe's last error, if any). For conditions that
 * have no event to await (a TTL passing, a process coming back); never a fixed sleep.
 */
export async function pollUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 15_000, intervalMs = 100 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not reached within ${timeoutMs} ms${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** GET /health of one instance: its `status` (or `unreachable` when the request fails). */
export async function healthStatus(instance: ClusterInstance): Promise<string> {
  try {
    const reply = await call(instance, 'GET', '/health');
    return reply.body?.status ?? `HTTP ${reply.status}`;
  } catch {
    return 'unreachable';
  }
}

// ---- nginx in front (deploy/nginx.conf) ----

/** The nginx binary, or undefined when it is not installed (Debian: apt-get install nginx-light). */
export function findNginx(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin']) {
    if (dir && existsSync(join(dir, 'nginx'))) return join(dir, 'nginx');
  }
  return undefined;
}

export interface Nginx {
  readonly httpUrl: string;
  wsUrl(path: string, token?: string): string;
  stop(): Promise<void>;
}

/**
 * Runs nginx in the foreground with the shipped deploy/nginx.conf, only its upstream
 * servers pointed at the instances and its listen address at a free local port;
 * everything else (headers, timeouts, retries) is the file as deployed.
 */
export async function startNginx(instances: readonly ClusterInstance[]): Promise<Nginx> {
  const binary = findNginx();
  if (!binary) throw new Error('nginx not found: install it with "apt-get install -y nginx-light"');
  const shipped = readFileSync(join(REPO_ROOT, 'deploy/nginx.conf'), 'utf8');
  const upstreams = shipped.match(/^\s*server 127\.0\.0\.1:\d+[^\n]*\n/gm) ?? [];
  if (upstreams.length !== instances.length) throw new Error(`deploy/nginx.conf lists ${upstreams.length} upstream servers, the cluster has ${instances.length}`);
  let site = shipped;
  upstreams.forEach((line, i) => {
    site = site.replace(line, line.replace(/127\.0\.0\.1:\d+/, `127.0.0.1:${instances[i]!.port}`));
  });
  const port = await freePort();
  if (!/^\s*listen 80;$/m.test(site)) throw new Error('deploy/nginx.conf: expected a "listen 80;" line');
  site = site.replace(/^(\s*)listen 80;$/m, `$1listen 127.0.0.1:${port};`);

  const dir = tempDir();
  writeFileSync(join(dir, 'switchboard.conf'), site);
  writeFileSync(
    join(dir, 'nginx.conf'),
    [
      'daemon off;',
      'master_process off;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${dir}/${kind};`),
      `  include ${dir}/switchboard.conf;`,
      '}',
    ].join('\n'),
  );
  const proc = track(spawnCommand(binary, ['-p', dir, '-e', `${dir}/error.log`, '-c', `${dir}/nginx.conf`], { cwd: dir }));
  const httpUrl = `http://127.0.0.1:${port}`;
  await pollUntil('nginx answering /health', async () => {
    if (!proc.running) throw new Error(`nginx exited: ${proc.transcript()}`);
    const response = await fetch(`${httpUrl}/health`).catch(() => undefined);
    return response?.ok ? true : undefined;
  });
  return {
    httpUrl,
    wsUrl(path, token) {
      const url = new URL(path, `ws://127.0.0.1:${port}`);
      if (token !== undefined) url.searchParams.set('token', token);
      return url.toString();
    },
    async stop() {
      if (!proc.running) return;
      proc.child.kill('SIGKILL');
      await proc.exited;
    },
  };
}
