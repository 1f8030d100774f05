/**
 * Real Redis for tests: `redis-server` processes on free ports (Debian's redis-server
 * package; `npm test` installs it). A standalone server, or a 3-master Redis Cluster
 * built with `redis-cli --cluster create`. Everything lives in a temporary directory
 * and is killed on stop() or, as a last resort, when the test process exits.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.js';

const run = promisify(execFile);
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

function findBinary(name: string): string {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin']) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  throw new Error(`${name} not found: install it with "apt-get install -y redis-server" (or run "npm test", which does)`);
}

/** One redis-server process that can be stopped and started again on the same port. */
class RedisProcess {
  private child: ChildProcess | undefined;

  constructor(
    readonly port: number,
    private readonly args: string[],
  ) {}

  /** Starts and resolves once the server accepts connections. */
  async start(): Promise<void> {
    const child = spawn(findBinary('redis-server'), ['--port', String(this.port), ...this.args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    this.child = child;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          child.stdout!.off('data', onData);
          child.stdout!.resume();
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.resume();
      child.once('exit', (code) => reject(new Error(`redis-server on ${this.port} exited (${code}): ${output.slice(-500)}`)));
    });
  }

  /** Stops the process and resolves once it exited (the port is free again). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
    live.delete(child);
  }

  /** Stops and starts again on the same port with the same data directory. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}

const COMMON_ARGS = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', '--loglevel', 'notice'];

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Kills the server and starts it again on the same port (clients must reconnect). */
  restart(): Promise<void>;
  /** Kills the server, leaving the port free (as an outage). */
  kill(): Promise<void>;
  /** Starts a killed server again on the same port. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-redis-'));
  const port = await freePort();
  const server = new RedisProcess(port, [...COMMON_ARGS, '--dir', dir]);
  await server.start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    restart: () => server.restart(),
    kill: () => server.stop(),
    start: () => server.start(),
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface RedisCluster {
  /** Seed URLs, one per master. */
  readonly urls: string[];
  /** Kills every node and starts it again on its port with its cluster config; resolves when the cluster is ok. */
  restart(): Promise<void>;
  /** Kills one master (its slots become unreachable). */
  killNode(index: number): Promise<void>;
  /** Starts a killed master again; resolves when the cluster is ok. */
  startNode(index: number): Promise<void>;
  stop(): Promise<void>;
}

/** A 3-master Redis Cluster without replicas, ready (cluster_state:ok on every node). */
export async function startRedisCluster(masters = 3): Promise<RedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'switchboard-redis-cluster-'));
  const nodes: RedisProcess[] = [];
  try {
    for (let i = 0; i < masters; i++) {
      const [port, busPort] = [await freePort(), await freePort()];
      const node = new RedisProcess(port, [
        ...COMMON_ARGS,
        '--dir', dir,
        '--cluster-enabled', 'yes',
        '--cluster-config-file', `nodes-${port}.conf`,
        '--cluster-port', String(busPort),
        '--cluster-node-timeout', '2000',
      ]);
      await node.start();
      nodes.push(node);
    }
    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    await run(findBinary('redis-cli'), ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    await waitForClusterOk(nodes.map((node) => node.port));
  } catch (error) {
    await Promise.all(nodes.map((node) => node.stop()));
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    urls: nodes.map((node) => `redis://127.0.0.1:${node.port}`),
    restart: async () => {
      await Promise.all(nodes.map((node) => node.stop()));
      await Promise.all(nodes.map((node) => node.start()));
      await waitForClusterOk(nodes.map((node) => node.port));
    },
    killNode: (index) => nodes[index]!.stop(),
    startNode: async (index) => {
      await nodes[index]!.start();
      await waitForClusterOk(nodes.map((node) => node.port));
    },
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls CLUSTER INFO until every node reports the cluster up (gossip takes a moment). */
async function waitForClusterOk(ports: number[], timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const cli = findBinary('redis-cli');
  for (;;) {
    const states = await Promise.all(
      ports.map((port) => run(cli, ['-p', String(port), 'cluster', 'info']).then((result) => result.stdout, () => '')),
    );
    if (states.every((info) => info.includes('cluster_state:ok'))) return;
    if (Date.now() > deadline) throw new Error(`Redis Cluster not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
