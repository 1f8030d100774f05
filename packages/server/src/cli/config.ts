/**
 * Maps the environment, a JSON config file and command-line flags onto ServerOptions.
 * Precedence: flags > environment > config file > defaults. This is the only place
 * that reads process.env.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DEFAULTS, type JwtAlgorithm, type ServerOptions } from '../core/options.js';
import { isPostgresUrl } from '../store/store.js';

type Env = Record<string, string | undefined>;

export interface ConfigFlags {
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
  ['INSTANCE_ID', 'name of this instance in a cluster', 'process id'],
  ['LOG_LEVEL', 'pino level: fatal, error, warn, info, debug, trace, silent', 'info'],
  ['SWITCHBOARD_CONFIG', 'path of a JSON config file (same keys as ServerOptions)', '—'],
];

function int(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new Error(`${name} must be an integer, got "${raw}"`);
  return value;
}

function list(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  return raw.split(',').map((item) => item.trim()).filter(Boolean);
}

/** A PEM given inline or as a path to a file. */
function pem(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (raw.includes('-----BEGIN')) return raw.replace(/\\n/g, '\n');
  return readFileSync(raw, 'utf8');
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function dataDirectory(databaseUrl: string): string {
  if (isPostgresUrl(databaseUrl)) return resolve('data');
  const file = databaseUrl.startsWith('sqlite:') ? databaseUrl.slice('sqlite:'.length) : databaseUrl;
  return file === ':memory:' ? resolve('data') : dirname(resolve(file));
}

export interface LoadedConfig {
  options: ServerOptions;
  logLevel: string;
  /** Set when a development secret was generated or reused from the data directory. */
  devSecretFile?: string;
  devSecretCreated?: boolean;
}

export function loadConfig(env: Env, flags: ConfigFlags = {}): LoadedConfig {
  const configPath = flags.config ?? env.SWITCHBOARD_CONFIG;
  const fromFile: Partial<ServerOptions> = configPath ? JSON.parse(readFileSync(configPath, 'utf8')) : {};
  const fileJwt = fromFile.jwt ?? {};

  const jwt = {
    ...fileJwt,
    ...withoutUndefined({
      secret: env.JWT_SECRET || undefined,
      publicKey: pem(env.JWT_PUBLIC_KEY),
      privateKey: pem(env.JWT_PRIVATE_KEY),
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
      port: flags.port !== undefined ? Number(flags.port) : int(env, 'PORT'),
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
      allowRegistration: env.ALLOW_REGISTRATION === undefined ? undefined : env.ALLOW_REGISTRATION !== 'false',
      apiKey: env.API_KEY || undefined,
      instanceId: env.INSTANCE_ID || undefined,
    }),
    jwt,
  };

  const loaded: LoadedConfig = { options, logLevel: env.LOG_LEVEL || 'info' };
  if (!jwt.secret && !jwt.publicKey && !jwt.jwksUrl) {
    const file = join(dataDirectory(options.databaseUrl ?? DEFAULTS.databaseUrl), 'jwt-secret');
    loaded.devSecretFile = file;
    loaded.devSecretCreated = !existsSync(file);
    if (loaded.devSecretCreated) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    jwt.secret = readFileSync(file, 'utf8').trim();
  }
  return loaded;
}
