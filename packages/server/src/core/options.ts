/**
 * Server options: validated once, defaults applied, then frozen. Units are in the
 * names. Nothing in the library reads the environment; the CLI maps env vars,
 * flags and a config file onto these options.
 */
import { hostname } from 'node:os';
import type { Logger } from 'pino';

export type JwtAlgorithm = 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384' | 'ES512';

export interface JwtOptions {
  /** Shared secret for HS* algorithms (also used to sign tokens the server issues). */
  secret?: string;
  /** PEM public key (SPKI) for RSA/EC verification. */
  publicKey?: string;
  /** PEM private key (PKCS#8) so the server can issue RSA/EC tokens itself. */
  privateKey?: string;
  /** JWKS URL for RSA/EC verification (an external identity provider). */
  jwksUrl?: string;
  /** Pinned list of accepted algorithms; defaults to HS256 with a secret, else RS256 + ES256. */
  algorithms?: JwtAlgorithm[];
  issuer?: string;
  audience?: string;
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  clockToleranceSeconds?: number;
}

export interface ServerOptions {
  host?: string;
  port?: number;
  /** `sqlite:<file>` / a file path (default `./data/switchboard.db`) or `postgres://…`. */
  databaseUrl?: string;
  jwt: JwtOptions;
  /** Exact origins (`https://app.example.com`) or `*`. The server's own host is always allowed; localhost only while this list is empty. */
  allowedOrigins?: string[];
  maxMessageBytes?: number;
  maxBufferedBytes?: number;
  maxConnectionsPerUser?: number;
  heartbeatIntervalMs?: number;
  connectionTimeoutMs?: number;
  rateLimitPerSecond?: number;
  rateLimitBurst?: number;
  /** Continuous excess over the rate limit that closes the connection with 4008. */
  rateLimitAbuseMs?: number;
  malformedLimit?: number;
  malformedWindowMs?: number;
  roomMemberListMax?: number;
  healthIntervalMs?: number;
  shutdownTimeoutMs?: number;
  allowRegistration?: boolean;
  /** Server-to-server key for the publish/notification APIs. */
  apiKey?: string;
  /** Identifies this process in a cluster (defaults to host:pid). */
  instanceId?: string;
  logger?: Logger;
}

export interface ResolvedJwtOptions extends JwtOptions {
  algorithms: JwtAlgorithm[];
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  clockToleranceSeconds: number;
}

export interface ResolvedOptions extends Readonly<Required<Omit<ServerOptions, 'jwt' | 'apiKey' | 'logger'>>> {
  readonly jwt: Readonly<ResolvedJwtOptions>;
  readonly apiKey: string | undefined;
}

export const DEFAULTS = {
  host: '0.0.0.0',
  port: 8000,
  databaseUrl: './data/switchboard.db',
  allowedOrigins: [] as string[],
  maxMessageBytes: 64 * 1024,
  maxBufferedBytes: 1024 * 1024,
  maxConnectionsPerUser: 10,
  heartbeatIntervalMs: 30_000,
  connectionTimeoutMs: 75_000,
  rateLimitPerSecond: 20,
  rateLimitBurst: 50,
  rateLimitAbuseMs: 3_000,
  malformedLimit: 10,
  malformedWindowMs: 60_000,
  roomMemberListMax: 100,
  healthIntervalMs: 10_000,
  shutdownTimeoutMs: 5_000,
  allowRegistration: true,
  accessTokenTtlSeconds: 60 * 60,
  refreshTokenTtlSeconds: 7 * 24 * 60 * 60,
  clockToleranceSeconds: 0,
} as const;

const MAX_CONNECTION_TIMEOUT_MS = 300_000;

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new TypeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/** host:pid, unique across the machines of a cluster. */
export function defaultInstanceId(): string {
  return `${hostname()}:${process.pid}`;
}

export function resolveOptions(options: ServerOptions): ResolvedOptions {
  const jwt = options.jwt ?? {};
  if (!jwt.secret && !jwt.publicKey && !jwt.jwksUrl) {
    throw new TypeError('jwt needs one of secret, publicKey or jwksUrl');
  }
  if (jwt.secret !== undefined && Buffer.byteLength(jwt.secret) < 32) {
    throw new TypeError('jwt.secret must be at least 32 bytes (HS256 needs 256 bits of key)');
  }
  const algorithms = jwt.algorithms ?? (jwt.secret ? ['HS256'] : ['RS256', 'ES256']);
  if (algorithms.length === 0) throw new TypeError('jwt.algorithms must not be empty');
  for (const alg of algorithms) {
    const symmetric = alg.startsWith('HS');
    if (symmetric && !jwt.secret) throw new TypeError(`jwt algorithm ${alg} needs jwt.secret`);
    if (!symmetric && !jwt.publicKey && !jwt.jwksUrl) throw new TypeError(`jwt algorithm ${alg} needs jwt.publicKey or jwt.jwksUrl`);
  }
  // A key of one family must never verify the other (HS/RS confusion).
  if (algorithms.some((a) => a.startsWith('HS')) && algorithms.some((a) => !a.startsWith('HS'))) {
    throw new TypeError('jwt.algorithms must not mix HMAC (HS256/384/512) and public-key algorithms');
  }

  const resolved = {
    host: options.host ?? DEFAULTS.host,
    port: options.port ?? DEFAULTS.port,
    databaseUrl: options.databaseUrl ?? DEFAULTS.databaseUrl,
    allowedOrigins: Object.freeze([...(options.allowedOrigins ?? DEFAULTS.allowedOrigins)]) as string[],
    maxMessageBytes: positiveInt('maxMessageBytes', options.maxMessageBytes ?? DEFAULTS.maxMessageBytes),
    maxBufferedBytes: positiveInt('maxBufferedBytes', options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes),
    maxConnectionsPerUser: positiveInt('maxConnectionsPerUser', options.maxConnectionsPerUser ?? DEFAULTS.maxConnectionsPerUser),
    heartbeatIntervalMs: positiveInt('heartbeatIntervalMs', options.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs),
    connectionTimeoutMs: positiveInt('connectionTimeoutMs', options.connectionTimeoutMs ?? DEFAULTS.connectionTimeoutMs),
    rateLimitPerSecond: positiveInt('rateLimitPerSecond', options.rateLimitPerSecond ?? DEFAULTS.rateLimitPerSecond),
    rateLimitBurst: positiveInt('rateLimitBurst', options.rateLimitBurst ?? DEFAULTS.rateLimitBurst),
    rateLimitAbuseMs: positiveInt('rateLimitAbuseMs', options.rateLimitAbuseMs ?? DEFAULTS.rateLimitAbuseMs),
    malformedLimit: positiveInt('malformedLimit', options.malformedLimit ?? DEFAULTS.malformedLimit),
    malformedWindowMs: positiveInt('malformedWindowMs', options.malformedWindowMs ?? DEFAULTS.malformedWindowMs),
    roomMemberListMax: positiveInt('roomMemberListMax', options.roomMemberListMax ?? DEFAULTS.roomMemberListMax),
    healthIntervalMs: positiveInt('healthIntervalMs', options.healthIntervalMs ?? DEFAULTS.healthIntervalMs),
    shutdownTimeoutMs: positiveInt('shutdownTimeoutMs', options.shutdownTimeoutMs ?? DEFAULTS.shutdownTimeoutMs),
    allowRegistration: options.allowRegistration ?? DEFAULTS.allowRegistration,
    apiKey: options.apiKey || undefined,
    instanceId: options.instanceId ?? defaultInstanceId(),
    jwt: Object.freeze({
      ...jwt,
      algorithms,
      accessTokenTtlSeconds: jwt.accessTokenTtlSeconds ?? DEFAULTS.accessTokenTtlSeconds,
      refreshTokenTtlSeconds: jwt.refreshTokenTtlSeconds ?? DEFAULTS.refreshTokenTtlSeconds,
      clockToleranceSeconds: jwt.clockToleranceSeconds ?? DEFAULTS.clockToleranceSeconds,
    }),
  };
  if (resolved.connectionTimeoutMs > MAX_CONNECTION_TIMEOUT_MS) {
    throw new TypeError(`connectionTimeoutMs must be at most ${MAX_CONNECTION_TIMEOUT_MS}`);
  }
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65535) {
    throw new TypeError(`port must be an integer from 0 to 65535, got ${resolved.port}`);
  }
  return Object.freeze(resolved);
}
