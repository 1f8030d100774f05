/**
 * `switchboard monitor [--continuous] [--interval S] [--url URL] [--json]`: live
 * connections of the whole cluster.
 *
 * By default it reads the database every instance writes its connection records and
 * heartbeats to, so it needs no running server, no token and no address, and sees every
 * instance sharing the database. With `--url` it asks one server's `GET /api/admin/stats`
 * instead, signing a short-lived staff token with the configured JWT key; that adds
 * presence-based figures and the counters of the instance that answered.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { OPERATIONS_DEFAULTS, staleBefore, type AdminStats, type InstanceStats } from '../../apps/operations/index.js';
import { resolveOptions } from '../../core/options.js';
import { TokenIssuer, type TokenSubject } from '../../core/tokens.js';
import { ConnectionRecordRepository, type LiveInstance, type RouteCount } from '../../store/connections.js';
import { ConfigError, ensureDevSecret, type LoadedConfig } from '../config.js';
import { withStore } from '../database.js';
import { out, table } from '../output.js';

interface MonitorFlags {
  continuous: boolean;
  interval?: string | undefined;
  url?: string | undefined;
  json: boolean;
}

interface MonitorSample {
  /** `database`, or the origin of the server asked. */
  source: string;
  generated_at: string;
  cluster: {
    connections: number;
    users: number;
    routes: RouteCount[];
    instances: LiveInstance[];
  };
  /** The answering server's own counters (with `--url` only). */
  instance?: InstanceStats;
}

type Sampler = () => Promise<MonitorSample>;

const DEFAULT_INTERVAL_SECONDS = 30;
const MONITOR_SUBJECT: TokenSubject = { id: 'switchboard-monitor', name: 'switchboard monitor', isStaff: true };
/** Each sample signs a fresh token that lives just long enough for its request. */
const TOKEN_TTL_SECONDS = 60;
const REQUEST_TIMEOUT_MS = 10_000;

function parseInterval(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_INTERVAL_SECONDS;
  if (!/^\d+$/.test(raw) || Number(raw) === 0) throw new ConfigError(`--interval must be a positive number of seconds, got "${raw}"`);
  return Number(raw);
}

function parseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`--url must be an http(s) URL such as http://localhost:8000, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`--url must be an http(s) URL, got "${raw}"`);
  return new URL('/api/admin/stats', url);
}

function databaseSampler(records: ConnectionRecordRepository): Sampler {
  return async () => {
    const now = new Date();
    const live = await records.liveSummary(staleBefore(now, OPERATIONS_DEFAULTS.instanceStaleMs));
    return {
      source: 'database',
      generated_at: now.toISOString(),
      cluster: { connections: live.connections, users: live.users, routes: live.routes, instances: live.instances },
    };
  };
}

function staffTokenIssuer(config: LoadedConfig): TokenIssuer {
  ensureDevSecret(config);
  const issuer = new TokenIssuer(resolveOptions(config.options).jwt);
  if (!issuer.canIssue) {
    throw new ConfigError('monitor --url signs a staff token and needs JWT_SECRET or JWT_PRIVATE_KEY; without --url, monitor reads the database');
  }
  return issuer;
}

function serverSampler(endpoint: URL, issuer: TokenIssuer): Sampler {
  return async () => {
    const token = await issuer.access(MONITOR_SUBJECT, TOKEN_TTL_SECONDS);
    let response: Response;
    try {
      response = await fetch(endpoint, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`cannot reach ${endpoint.origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    if (response.status === 401) {
      throw new Error(`${endpoint.origin} rejected the monitor's staff token: run monitor with the server's JWT configuration (JWT_SECRET or JWT_PRIVATE_KEY)`);
    }
    if (response.status === 404) throw new Error(`${endpoint} not found: not a Switchboard server with the operations app`);
    if (!response.ok) throw new Error(`${endpoint} answered HTTP ${response.status}`);
    const stats = (await response.json()) as AdminStats;
    const { connections, users, routes, instances } = stats.cluster;
    return { source: endpoint.origin, generated_at: stats.generated_at, cluster: { connections, users, routes, instances }, instance: stats.instance };
  };
}

function secondsAgo(iso: string, now: number): string {
  return `${Math.max(0, Math.round((now - Date.parse(iso)) / 1000))}s ago`;
}

function print(sample: MonitorSample, json: boolean): void {
  if (json) {
    out(JSON.stringify(sample));
    return;
  }
  const now = Date.parse(sample.generated_at);
  const { cluster } = sample;
  out(`Switchboard cluster at ${sample.generated_at} (from ${sample.source})`);
  out(`connections: ${cluster.connections}`);
  out(`users: ${cluster.users}`);
  out(`instances: ${cluster.instances.length}`);
  if (cluster.instances.length > 0) {
    for (const line of table([
      ['INSTANCE', 'VERSION', 'CONNECTIONS', 'STARTED', 'LAST SEEN'],
      ...cluster.instances.map((i) => [i.instance_id, i.version, i.connections, i.started_at, secondsAgo(i.last_seen_at, now)]),
    ])) {
      out(line);
    }
  }
  out(`routes: ${cluster.routes.length === 0 ? 'none' : cluster.routes.length}`);
  if (cluster.routes.length > 0) {
    for (const line of table([['ROUTE', 'INSTANCE', 'CONNECTIONS'], ...cluster.routes.map((r) => [r.route, r.instance_id, r.connections])])) {
      out(line);
    }
  }
  const { instance } = sample;
  if (instance) {
    out(
      `this instance (${instance.instance_id}): up ${instance.uptime_seconds}s, ${instance.connections} connections, ` +
        `messages in ${instance.messages_in}, out ${instance.messages_out}`,
    );
  }
}

/** One sample, or one every interval until SIGINT/SIGTERM; a failed sample is reported and the next one tried. */
async function run(sample: Sampler, continuous: boolean, intervalSeconds: number, json: boolean): Promise<void> {
  if (!continuous) {
    print(await sample(), json);
    return;
  }
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    let first = true;
    while (!stop.signal.aborted) {
      try {
        const result = await sample();
        if (!first && !json) out('');
        print(result, json);
        first = false;
      } catch (error) {
        process.stderr.write(`switchboard: monitor: ${(error as Error).message}\n`);
      }
      try {
        await sleep(intervalSeconds * 1000, undefined, { signal: stop.signal });
      } catch {
        break; // interrupted
      }
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

export async function monitor(config: LoadedConfig, flags: MonitorFlags): Promise<void> {
  if (flags.interval !== undefined && !flags.continuous) throw new ConfigError('--interval needs --continuous');
  const intervalSeconds = parseInterval(flags.interval);
  if (flags.url !== undefined) {
    const endpoint = parseUrl(flags.url);
    return run(serverSampler(endpoint, staffTokenIssuer(config)), flags.continuous, intervalSeconds, flags.json);
  }
  return withStore(config, (store) =>
    run(databaseSampler(new ConnectionRecordRepository(store.db)), flags.continuous, intervalSeconds, flags.json),
  );
}
