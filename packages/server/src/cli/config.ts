/**
 * Maps the environment, a JSON config file and command-line flags onto ServerOptions.
 * Precedence: flags > environment > config file > defaults. The CLI (this module and
 * main.ts) is the only place that reads process.env; every variable is listed in ENV_VARS.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULTS, type JwtAlgorithm, type JwtOptions, type ServerOptions } from '../core/options.js';
import { isPostgresUrl, sqliteFile } from '../store/store.js';

type Env = Record<string, string | undefined>;

/** A configuration mistake: the CLI prints the message (which names the variable, flag or file) and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

interface ConfigFlags {
  config?: string;
  port?: string;
  host?: string;
  databaseUrl?: string;
}

/** Every environment variable the server reads, with its meaning (the README's config table). */
export const ENV_VARS: ReadonlyArray<readonly [name: string, meaning: string, fallback: string]> = [
  ['PORT', 'HTTP and WebSocket port', String(DEFAULTS.port)],
  ['HOST', 'interface to bind', DEFAULTS.host],
  ['DATABASE_URL', 'SQLite file path (or `sqlite:<path>`) or `postgres://…`', DEFAULTS.databaseUrl],
  ['REDIS_URL', 'Redis for fan-out and presence across instances (`redis://host:6379`); unset = one instance, in memory', '—'],
  ['REDIS_CLUSTER', '`true`: REDIS_URL is a Redis Cluster seed node (sharded pub/sub)', 'false'],
  ['REDIS_CLUSTER_NODES', 'comma-separated cluster node URLs (implies REDIS_CLUSTER)', '—'],
  ['PRESENCE_TTL_MS', 'how long a dead instance\'s users stay present in Redis', '30000'],
  ['JWT_SECRET', 'HS256 secret (≥ 32 bytes); generated into `data/jwt-secret` on first run if no key is set', 'generated'],
  ['JWT_PUBLIC_KEY', 'PEM public key (or a path to one) for RS256/ES256 verification', '—'],
  ['JWT_PRIVATE_KEY', 'PEM private key (or a path) so the server can issue RS256/ES256 tokens', '—'],
  ['JWT_JWKS_URL', 'JWKS URL of an external identity provider', '—'],
  ['JWT_ALGORITHMS', 'comma-separated pinned algorithms', 'HS256 with a secret, else RS256,ES256'],
  ['JWT_ISSUER', 'required `iss` (checked and issued when set)', '—'],
  ['JWT_AUDIENCE', 'required `aud` (checked and issued when set)', '—'],
  ['ACCESS_TOKEN_TTL_SECONDS', 'lifetime of issued access tokens', String(DEFAULTS.accessTokenTtlSeconds)],
  ['REFRESH_TOKEN_TTL_SECONDS', 'lifetime of issued refresh tokens', String(DEFAULTS.refreshTokenTtlSeconds)],
  ['ALLOWED_ORIGINS', 'comma-separated browser origins allowed to connect (`*` for any)', 'own host + localhost'],
  ['MAX_MESSAGE_BYTES', 'largest client frame; larger closes 1009', String(DEFAULTS.maxMessageBytes)],
  ['MAX_BUFFERED_BYTES', 'send buffer per connection before 4009', String(DEFAULTS.maxBufferedBytes)],
  ['MAX_CONNECTIONS_PER_USER', 'live connections per user before 4008', String(DEFAULTS.maxConnectionsPerUser)],
  ['HEARTBEAT_INTERVAL_MS', 'ping interval', String(DEFAULTS.heartbeatIntervalMs)],
  ['CONNECTION_TIMEOUT_MS', 'silence before a connection is dropped (max 300000)', String(DEFAULTS.connectionTimeoutMs)],
  ['RATE_LIMIT_PER_SECOND', 'messages per second per connection', String(DEFAULTS.rateLimitPerSecond)],
  ['RATE_LIMIT_BURST', 'token-bucket burst per connection', String(DEFAULTS.rateLimitBurst)],
  ['ROOM_MEMBER_LIST_MAX', 'rooms larger than this omit `members` in join notices', String(DEFAULTS.roomMemberListMax)],
  ['ALLOW_REGISTRATION', '`false` disables `POST /api/auth/register`', 'true'],
  ['API_KEY', 'key for server-to-server APIs (`X-API-Key`)', '— (staff tokens only)'],
  ['INSTANCE_ID', 'name of this instance in a cluster (unique per process)', 'hostname:pid'],
  ['LOG_LEVEL', 'pino level: fatal, error, warn, info, debug, trace, silent', 'info'],
  ['SWITCHBOARD_CONFIG', 'path of a JSON config file (same keys as ServerOptions)', '—'],
  ['SWITCHBOARD_PASSWORD', 'password for `user create` when --password is not given', '—'],
];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

type FileValue = 'string' | 'number' | 'boolean' | 'string[]' | 'object';

/**
 * What a config file may set, with the JSON type of each value: every ServerOptions key
 * but the logger (a compile error here means a new option to list).
 */
const FILE_KEYS: Record<Exclude<keyof ServerOptions, 'logger'>, FileValue> = {
  host: 'string',
  port: 'number',
  databaseUrl: 'string',
  jwt: 'object',
  allowedOrigins: 'string[]',
  maxMessageBytes: 'number',
  maxBufferedBytes: 'number',
  maxConnectionsPerUser: 'number',
  heartbeatIntervalMs: 'number',
  connectionTimeoutMs: 'number',
  rateLimitPerSecond: 'number',
  rateLimitBurst: 'number',
  rateLimitAbuseMs: 'number',
  malformedLimit: 'number',
  malformedWindowMs: 'number',
  roomMemberListMax: 'number',
  healthIntervalMs: 'number',
  shutdownTimeoutMs: 'number',
  allowRegistration: 'boolean',
  apiKey: 'string',
  instanceId: 'string',
};

const FILE_JWT_KEYS: Record<keyof JwtOptions, FileValue> = {
  secret: 'string',
  publicKey: 'string',
  privateKey: 'string',
  jwksUrl: 'string',
  algorithms: 'string[]',
  issuer: 'string',
  audience: 'string',
  accessTokenTtlSeconds: 'number',
  refreshTokenTtlSeconds: 'number',
  clockToleranceSeconds: 'number',
};

/** A decimal integer (no `0x`, `1e3` or blanks); `what` names the variable or flag in the error. */
function parseInteger(what: string, raw: string): number {
  if (!/^-?\d+$/.test(raw)) throw new ConfigError(`${what} must be an integer, got "${raw}"`);
  return Number(raw);
}

function int(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  return parseInteger(name, raw);
}

function bool(env: Env, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(value)) return true;
  if (['false', '0', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function logLevel(env: Env): string {
  const raw = env.LOG_LEVEL;
  if (raw === undefined || raw === '') return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  }
  return raw;
}

function list(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw.split(',').map((item) => item.trim()).filter(Boolean);
}

/** A PEM given inline or as a path to a file. */
function pem(name: string, raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (raw.includes('-----BEGIN')) return raw.replace(/\\n/g, '\n');
  try {
    return readFileSync(raw, 'utf8');
  } catch (error) {
    throw new ConfigError(`${name}: cannot read key file ${raw}: ${(error as Error).message}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the JSON config file; unknown keys are errors (a typo must not be silently ignored). */
function readConfigFile(path: string): Partial<ServerOptions> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: invalid JSON: ${(error as Error).message}`);
  }
  if (!isObject(parsed)) throw new ConfigError(`${path}: the config file must hold a JSON object`);
  checkKeys(path, parsed, FILE_KEYS, '');
  if (isObject(parsed.jwt)) checkKeys(path, parsed.jwt, FILE_JWT_KEYS, 'jwt.');
  return parsed as Partial<ServerOptions>;
}

function hasType(value: unknown, type: FileValue): boolean {
  if (type === 'object') return isObject(value);
  if (type === 'string[]') return Array.isArray(value) && value.every((item) => typeof item === 'string');
  return typeof value === type;
}

/** Unknown keys and mistyped values are errors: `"allowRegistration": "false"` must not mean true. */
function checkKeys(path: string, object: Record<string, unknown>, known: Record<string, FileValue>, prefix: string): void {
  for (const [key, value] of Object.entries(object)) {
    if (!Object.hasOwn(known, key)) throw new ConfigError(`${path}: unknown option "${prefix}${key}"`);
    const type = known[key]!;
    if (!hasType(value, type)) {
      throw new ConfigError(`${path}: "${prefix}${key}" must be ${type === 'string[]' ? 'an array of strings' : `a ${type === 'object' ? 'JSON object' : type}`}`);
    }
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The directory of the SQLite database (where the development JWT secret lives), or
 * `./data` for PostgreSQL and in-memory databases.
 */
function dataDirectory(databaseUrl: string): string {
  if (isPostgresUrl(databaseUrl)) return resolve('data');
  const file = sqliteFile(databaseUrl);
  return file === ':memory:' ? resolve('data') : dirname(resolve(file));
}

interface RedisConfig {
  url?: string;
  cluster: boolean;
  clusterNodes?: string[];
  presenceTtlMs?: number;
}

export interface LoadedConfig {
  options: ServerOptions;
  /** Redis for multi-instance deployments; absent fields mean one in-memory instance. */
  redis: RedisConfig;
  /** The database URL after flags, env and file (default applied). */
  databaseUrl: string;
  logLevel: string;
  /** Set by ensureDevSecret when a development secret was generated or reused from the data directory. */
  devSecretFile?: string;
  devSecretCreated?: boolean;
}

export function loadConfig(env: Env, flags: ConfigFlags = {}): LoadedConfig {
  const configPath = flags.config ?? (env.SWITCHBOARD_CONFIG || undefined);
  const fromFile: Partial<ServerOptions> = configPath ? readConfigFile(configPath) : {};
  const fileJwt = fromFile.jwt ?? {};

  if (env.JWT_SECRET && Buffer.byteLength(env.JWT_SECRET) < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 bytes (HS256 needs 256 bits of key)');
  }
  const jwt: JwtOptions = {
    ...fileJwt,
    ...withoutUndefined({
      secret: env.JWT_SECRET || undefined,
      publicKey: pem('JWT_PUBLIC_KEY', env.JWT_PUBLIC_KEY),
      privateKey: pem('JWT_PRIVATE_KEY', env.JWT_PRIVATE_KEY),
      jwksUrl: env.JWT_JWKS_URL || undefined,
      algorithms: list(env.JWT_ALGORITHMS) as JwtAlgorithm[] | undefined,
      issuer: env.JWT_ISSUER || undefined,
      audience: env.JWT_AUDIENCE || undefined,
      accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS'),
      refreshTokenTtlSeconds: int(env, 'REFRESH_TOKEN_TTL_SECONDS'),
    }),
  };

  const options: ServerOptions = {
    ...fromFile,
    ...withoutUndefined({
      port: flags.port !== undefined ? parseInteger('--port', flags.port) : int(env, 'PORT'),
      host: flags.host ?? (env.HOST || undefined),
      databaseUrl: flags.databaseUrl ?? (env.DATABASE_URL || undefined),
      allowedOrigins: list(env.ALLOWED_ORIGINS),
      maxMessageBytes: int(env, 'MAX_MESSAGE_BYTES'),
      maxBufferedBytes: int(env, 'MAX_BUFFERED_BYTES'),
      maxConnectionsPerUser: int(env, 'MAX_CONNECTIONS_PER_USER'),
      heartbeatIntervalMs: int(env, 'HEARTBEAT_INTERVAL_MS'),
      connectionTimeoutMs: int(env, 'CONNECTION_TIMEOUT_MS'),
      rateLimitPerSecond: int(env, 'RATE_LIMIT_PER_SECOND'),
      rateLimitBurst: int(env, 'RATE_LIMIT_BURST'),
      roomMemberListMax: int(env, 'ROOM_MEMBER_LIST_MAX'),
      allowRegistration: bool(env, 'ALLOW_REGISTRATION'),
      apiKey: env.API_KEY || undefined,
      instanceId: env.INSTANCE_ID || undefined,
    }),
    jwt,
  };

  const redis: RedisConfig = {
    cluster: bool(env, 'REDIS_CLUSTER') ?? false,
    ...withoutUndefined({
      url: env.REDIS_URL || undefined,
      clusterNodes: list(env.REDIS_CLUSTER_NODES),
      presenceTtlMs: int(env, 'PRESENCE_TTL_MS'),
    }),
  };
  return { options, redis, databaseUrl: options.databaseUrl ?? DEFAULTS.databaseUrl, logLevel: logLevel(env) };
}

/**
 * Without any JWT key configured, reads the development secret from `jwt-secret` in the
 * data directory, generating it (mode 0600) on first use. Only commands that sign or
 * verify tokens call this, so `migrate` and `user create` never create a key silently.
 */
export function ensureDevSecret(config: LoadedConfig): void {
  const { jwt } = config.options;
  if (jwt.secret || jwt.publicKey || jwt.jwksUrl) return;
  const file = join(dataDirectory(config.databaseUrl), 'jwt-secret');
  mkdirSync(dirname(file), { recursive: true });
  let created = true;
  try {
    // 'wx': two processes starting at once must not overwrite each other's secret.
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
    chmodSync(file, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    created = false;
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (Buffer.byteLength(secret) < 32) {
    throw new ConfigError(`${file} holds no usable secret (fewer than 32 bytes); delete it to generate a new one, or set JWT_SECRET`);
  }
  config.options = { ...config.options, jwt: { ...jwt, secret } };
  config.devSecretFile = file;
  config.devSecretCreated = created;
}
