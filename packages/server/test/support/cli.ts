/**
 * Runs the built `switchboard` CLI (dist/cli/main.js, built by `tsc -b`) as real child
 * processes. Every process started here is remembered so `killAll()` (an afterEach)
 * can end it even when a test fails. Tests await output lines and exits, never sleep.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENV_VARS } from '../../src/cli/config.js';

/** `serve` processes get their port up front (PORT), so callers need one. */
export { freePort } from './ports.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
export const CLI_PATH = join(REPO_ROOT, 'packages/server/dist/cli/main.js');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  cwd: string;
  /** Added to a clean environment (see cliEnv). */
  env?: Record<string, string>;
  /** Start in a new process group, so `signalGroup` reaches every descendant. */
  detached?: boolean;
}

/**
 * The parent's environment without any variable the CLI reads, so a developer's
 * JWT_SECRET or PORT can never leak into a test; then `extra`.
 */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name] of ENV_VARS) delete env[name];
  delete env.SWITCHBOARD_PASSWORD;
  return { ...env, ...extra };
}

/** A child process with its output collected and awaitable. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  /** Resolves on 'close': the process exited and every holder of its stdio pipes is gone. */
  readonly exited: Promise<Exit>;
  exit: Exit | undefined;
  /** Leads its own process group (spawned with `detached: true`). */
  readonly detached: boolean;
  private readonly listeners = new Set<() => void>();

  constructor(command: string, args: readonly string[], options: SpawnOptions) {
    this.detached = options.detached ?? false;
    this.child = spawn(command, args, {
      cwd: options.cwd,
      env: cliEnv(options.env),
      detached: this.detached,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.notify();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    this.exited = new Promise((resolveExit, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolveExit(this.exit);
      });
    });
    this.exited.catch(() => {});
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('process did not start');
    return this.child.pid;
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  /** Everything the process wrote so far, for failure messages. */
  transcript(): string {
    return `--- stdout ---\n${this.stdout}\n--- stderr ---\n${this.stderr}`;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /**
   * Resolves with the first match of `pattern` in the stream's output (checked on
   * every chunk); rejects if the process ends first or after `timeoutMs`.
   */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    return new Promise((resolveMatch, reject) => {
      const check = (): void => {
        const match = this[stream].match(pattern);
        if (match) {
          done();
          resolveMatch(match);
        } else if (this.exit) {
          done();
          reject(new Error(`process exited (${JSON.stringify(this.exit)}) before ${stream} matched ${pattern}\n${this.transcript()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${stream} to match ${pattern}\n${this.transcript()}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Sends `signal` to the process, or to its whole group when it was started detached. */
  signal(signal: NodeJS.Signals): void {
    if (this.detached) process.kill(-this.pid, signal);
    else this.child.kill(signal);
  }
}

const running = new Set<CliProcess>();
/** Processes started with `detached: true`: each leads its own process group. */
const groups = new Set<CliProcess>();

/** Starts `node dist/cli/main.js …args`. */
export function spawnCli(args: readonly string[], options: SpawnOptions): CliProcess {
  return track(new CliProcess(process.execPath, [CLI_PATH, ...args], options));
}

/** Starts any command (e.g. `npm start`), tracked and killed like a CLI process. */
export function spawnCommand(command: string, args: readonly string[], options: SpawnOptions): CliProcess {
  return track(new CliProcess(command, args, options));
}

function track(proc: CliProcess): CliProcess {
  running.add(proc);
  if (proc.detached) groups.add(proc);
  void proc.exited.finally(() => running.delete(proc));
  return proc;
}

export interface CliResult extends Exit {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion. */
export async function runCli(args: readonly string[], options: SpawnOptions): Promise<CliResult> {
  const proc = spawnCli(args, options);
  const exit = await proc.exited;
  return { ...exit, stdout: proc.stdout, stderr: proc.stderr };
}

/** A `serve` process that printed its listening line. */
export interface ServeProcess {
  proc: CliProcess;
  port: number;
  httpUrl: string;
  wsUrl(path: string, token?: string): string;
}

export const LISTENING = /Switchboard listening on http:\/\/(\S+):(\d+)\n/;

/** Starts `serve …args` and waits for `Switchboard listening on http://host:port`. */
export async function startServe(args: readonly string[], options: SpawnOptions): Promise<ServeProcess> {
  const proc = spawnCli(['serve', ...args], options);
  return listeningOn(proc);
}

/** Waits for the listening line of a serve process started some other way (npm start). */
export async function listeningOn(proc: CliProcess, timeoutMs?: number): Promise<ServeProcess> {
  const match = await proc.waitFor('stdout', LISTENING, timeoutMs);
  const port = Number(match[2]);
  return {
    proc,
    port,
    httpUrl: `http://127.0.0.1:${port}`,
    wsUrl(path, token) {
      const url = new URL(path, `ws://127.0.0.1:${port}`);
      if (token !== undefined) url.searchParams.set('token', token);
      return url.toString();
    },
  };
}

/** Kills (SIGKILL) every process still running, whole groups for detached ones, and waits for them. */
export async function killAll(): Promise<void> {
  const waiting: Promise<unknown>[] = [];
  for (const proc of running) {
    try {
      if (proc.detached) process.kill(-proc.pid, 'SIGKILL');
      else proc.child.kill('SIGKILL');
    } catch {
      // already gone
    }
    waiting.push(proc.exited.catch(() => undefined));
  }
  for (const proc of groups) {
    // A group leader that exited may leave descendants behind.
    try {
      process.kill(-proc.pid, 'SIGKILL');
    } catch {
      // group empty
    }
  }
  groups.clear();
  await Promise.all(waiting);
}

const directories: string[] = [];

/** A new empty working directory, removed by `removeTempDirs()`. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-cli-'));
  directories.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of directories.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Pids of processes in process group `pgid` that are still alive (not zombies). Linux /proc. */
export function liveProcessesInGroup(pgid: number): number[] {
  const alive: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while we looked
    }
    // pid (comm) state ppid pgrp …; comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') alive.push(Number(entry));
  }
  return alive;
}
