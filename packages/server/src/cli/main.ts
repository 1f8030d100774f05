#!/usr/bin/env node
/**
 * The `switchboard` command: serve, migrate, user create, token, and the operations
 * commands monitor, cleanup and seed-demo (each in commands/).
 */
import { parseArgs } from 'node:util';
import pino from 'pino';
import { builtinApps } from '../apps/index.js';
import { createBackends } from '../layer/index.js';
import { defaultInstanceId, resolveOptions } from '../core/options.js';
import { SwitchboardServer } from '../core/server.js';
import { TokenIssuer } from '../core/tokens.js';
import { UsernameTakenError } from '../store/users.js';
import { SERVER_VERSION } from '../version.js';
import { cleanup } from './commands/cleanup.js';
import { monitor } from './commands/monitor.js';
import { seedDemo } from './commands/seed-demo.js';
import { ENV_VARS, ensureDevSecret, loadConfig, type LoadedConfig } from './config.js';
import { withStore } from './database.js';
import { out } from './output.js';

const USAGE = `switchboard ${SERVER_VERSION} — self-hosted realtime backend

Usage:
  switchboard serve [--port N] [--host H] [--database-url URL] [--config FILE]
  switchboard migrate [--database-url URL]
  switchboard user create <username> [--password P] [--name NAME] [--staff]
  switchboard token <username> [--ttl SECONDS]
  switchboard monitor [--continuous] [--interval SECONDS] [--url http://host:port] [--json]
      live connections per route and instance, read from the database (or, with --url,
      from that server's /api/admin/stats with a staff token signed by this command)
  switchboard cleanup [--hours 24] [--json]
      delete connection records closed more than N hours ago, and expired revoked refresh tokens
  switchboard seed-demo
      demo users alice, bob, carol and staff admin (password: password123) and demo data
  switchboard help

Configuration comes from flags, then environment variables, then the JSON file named by
--config or SWITCHBOARD_CONFIG. Environment variables:
${ENV_VARS.map(([name, meaning, fallback]) => `  ${name.padEnd(27)} ${meaning} (default: ${fallback})`).join('\n')}
`;

function fail(message: string): never {
  process.stderr.write(`switchboard: ${message}\n`);
  process.exit(2);
}

function warnAboutDevSecret(config: LoadedConfig): void {
  if (!config.devSecretFile) return;
  const verb = config.devSecretCreated ? 'generated a development JWT secret in' : 'using the development JWT secret in';
  process.stderr.write(
    `switchboard: WARNING: no JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL set; ${verb} ${config.devSecretFile}.\n` +
      '  Set JWT_SECRET (or a public key) in production so tokens survive a new data directory and match your issuer.\n',
  );
}

/**
 * A repeat of the signal within this window is the same keypress or `docker stop` delivered
 * twice (the terminal signals the whole process group and `npm start` forwards its copy), not
 * an impatient second Ctrl-C: it must not cut the graceful shutdown short.
 */
const DUPLICATE_SIGNAL_WINDOW_MS = 1000;
/** Added to shutdownTimeoutMs: closing HTTP, apps and the database after the connections drained. */
const SHUTDOWN_GRACE_MS = 10_000;

async function serve(config: LoadedConfig): Promise<void> {
  ensureDevSecret(config);
  warnAboutDevSecret(config);
  const logger = pino({ level: config.logLevel });
  const { redis } = config;
  // One id for the server, the channel layer and presence, so cluster records agree.
  config.options = { ...config.options, instanceId: config.options.instanceId ?? defaultInstanceId() };
  const backends = await createBackends({
    ...(redis.url ? { redisUrl: redis.url } : {}),
    redisCluster: redis.cluster,
    ...(redis.clusterNodes ? { clusterNodes: redis.clusterNodes } : {}),
    ...(redis.presenceTtlMs ? { presenceTtlMs: redis.presenceTtlMs } : {}),
    instanceId: config.options.instanceId,
    logger,
  });
  const server = new SwitchboardServer(
    { ...config.options, logger },
    { apps: builtinApps(), layer: backends.layer, presence: backends.presence },
  );
  const ready = server.start();
  let stoppingSince: number | undefined;
  const shutdown = (signal: string): void => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < DUPLICATE_SIGNAL_WINDOW_MS) return;
      process.stderr.write(`switchboard: ${signal} again, exiting before the graceful shutdown finished\n`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, 'shutting down');
    const deadline = server.options.shutdownTimeoutMs + SHUTDOWN_GRACE_MS;
    setTimeout(() => {
      process.stderr.write(`switchboard: shutdown did not finish within ${deadline} ms, exiting\n`);
      process.exit(1);
    }, deadline).unref();
    // A signal during startup stops the server once it has started.
    ready.then(() => server.stop()).then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // Installed before the listening line: whoever waits for that line may signal at once.
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  const address = await ready;
  if (stoppingSince !== undefined) return;
  const wildcard = address.address === '0.0.0.0' || address.address === '::';
  const host = wildcard ? 'localhost' : address.address.includes(':') ? `[${address.address}]` : address.address;
  out(`Switchboard listening on http://${host}:${address.port}`);
  out(`  rooms WebSocket: ws://${host}:${address.port}/api/v1/ws?token=<access token>`);
  out(`  API docs:        http://${host}:${address.port}/api/docs`);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'database-url': { type: 'string' },
      config: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      staff: { type: 'boolean', default: false },
      ttl: { type: 'string' },
      continuous: { type: 'boolean', default: false },
      interval: { type: 'string' },
      url: { type: 'string' },
      hours: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    out(USAGE);
    return;
  }
  const config = loadConfig(process.env, {
    ...(values.config !== undefined ? { config: values.config } : {}),
    ...(values.port !== undefined ? { port: values.port } : {}),
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values['database-url'] !== undefined ? { databaseUrl: values['database-url'] } : {}),
  });

  switch (command) {
    case 'serve':
      return serve(config);
    case 'migrate': {
      await withStore(config, async () => undefined);
      out('migrations applied');
      return;
    }
    case 'user': {
      const [action, username] = rest;
      if (action !== 'create' || !username) fail('usage: switchboard user create <username> [--password P] [--name NAME] [--staff]');
      const password = values.password ?? process.env.SWITCHBOARD_PASSWORD;
      if (!password || password.length < 8) fail('a password of at least 8 characters is required (--password or SWITCHBOARD_PASSWORD)');
      const user = await withStore(config, async (store) => {
        try {
          return await store.users.create({ username, password, isStaff: values.staff, ...(values.name ? { name: values.name } : {}) });
        } catch (error) {
          if (error instanceof UsernameTakenError) fail(`user ${username} already exists`);
          throw error;
        }
      });
      out(JSON.stringify({ id: user.id, username: user.username, name: user.name, is_staff: user.isStaff }));
      return;
    }
    case 'token': {
      const [username] = rest;
      if (!username) fail('usage: switchboard token <username> [--ttl SECONDS]');
      const ttl = values.ttl !== undefined ? Number(values.ttl) : undefined;
      if (ttl !== undefined && !(/^\d+$/.test(values.ttl!) && ttl > 0)) fail('--ttl must be a positive integer');
      ensureDevSecret(config);
      warnAboutDevSecret(config);
      const options = resolveOptions(config.options);
      const user = await withStore(config, (store) => store.users.findByUsername(username));
      if (!user) fail(`no user named ${username} (create one with: switchboard user create ${username} --password …)`);
      out(await new TokenIssuer(options.jwt).access(user, ttl));
      return;
    }
    case 'monitor':
      return monitor(config, { continuous: values.continuous, interval: values.interval, url: values.url, json: values.json });
    case 'cleanup':
      return cleanup(config, { hours: values.hours, json: values.json });
    case 'seed-demo':
      return seedDemo(config);
    default:
      fail(`unknown command "${command}"; run switchboard help`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  fail(error instanceof Error ? error.message : String(error));
});
