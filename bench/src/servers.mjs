// Starts each contender fresh in its own process on a free port and stops it after.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
export const JWT_SECRET = 'bench-secret-that-is-at-least-32-bytes-long!!';

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const COMMANDS = {
  switchboard: () => [join(repo, 'packages/server/dist/cli/main.js'), 'serve'],
  socketio: () => [join(here, '..', 'servers', 'socketio.mjs')],
  raw: () => [join(here, '..', 'servers', 'raw-ws.mjs')],
};

/** Starts `kind` and resolves once it listens: { kind, port, pid, stop() }. */
export async function startServer(kind, extraEnv = {}) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), `bench-${kind}-`));
  const env = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    JWT_SECRET,
    DATABASE_URL: join(dataDir, 'bench.db'),
    LOG_LEVEL: 'warn',
    // The benchmark's publisher sends far above a chat client's rate on purpose.
    RATE_LIMIT_PER_SECOND: '1000000',
    RATE_LIMIT_BURST: '1000000',
    ...extraEnv,
  };
  const nodeFlags = ['--expose-gc', '--require', join(here, '..', 'servers', 'gc-on-signal.cjs')];
  // BENCH_CPU_PROF=<dir> writes a V8 CPU profile of each server process (node --cpu-prof).
  if (process.env.BENCH_CPU_PROF) nodeFlags.push('--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF);
  // BENCH_NODE_FLAGS adds node flags to every server, e.g. `--heapsnapshot-signal=SIGUSR1`.
  if (process.env.BENCH_NODE_FLAGS) nodeFlags.push(...process.env.BENCH_NODE_FLAGS.split(' ').filter(Boolean));
  const child = spawn(process.execPath, [...nodeFlags, ...COMMANDS[kind]()], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  await new Promise((resolve, reject) => {
    let stdout = '';
    const onData = (chunk) => {
      stdout += chunk;
      if (/ready|listening/i.test(stdout)) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}: ${stderr}`)));
  });
  return {
    kind,
    port,
    pid: child.pid,
    /** Asks the server process for a full GC (see gc-on-signal.cjs). */
    collectGarbage() {
      child.kill('SIGUSR2');
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A throwaway redis-server for the cluster scenario (no persistence). */
export async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Two Switchboard instances on one Redis: the publisher connects to `a`, subscribers
 * to `b`, so every delivery crosses Redis. Shares one SQLite file is not possible across
 * processes safely, so each instance has its own (the rooms endpoint stores nothing).
 */
export async function startCluster() {
  const redis = await startRedis();
  const a = await startServer('switchboard', { REDIS_URL: redis.url, INSTANCE_ID: 'bench-a' });
  const b = await startServer('switchboard', { REDIS_URL: redis.url, INSTANCE_ID: 'bench-b' });
  return {
    kind: 'switchboard',
    port: b.port,
    pid: b.pid,
    pids: [a.pid, b.pid],
    ports: { publisher: a.port, subscribers: b.port },
    collectGarbage() {
      a.collectGarbage();
      b.collectGarbage();
    },
    async stop() {
      await Promise.all([a.stop(), b.stop()]);
      await redis.stop();
    },
  };
}
