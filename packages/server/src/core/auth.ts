/**
 * JWT verification (PROTOCOL.md §1 Authentication) and token extraction from an
 * upgrade request. Tokens are never logged: callers get a reason code, not the token.
 */
import type { IncomingMessage } from 'node:http';
import {
  createRemoteJWKSet,
  importSPKI,
  jwtVerify,
  errors as joseErrors,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { HmacJwtVerifier } from './hmac-jwt.js';
import type { ResolvedJwtOptions } from './options.js';

export interface AuthUser {
  /** `sub`, else `user_id` (Django simplejwt), as a string. */
  readonly id: string;
  /** `name` claim, else filled from the store, else the id. */
  name: string;
  readonly isStaff: boolean;
  /** Expiry, seconds since the epoch. */
  readonly exp: number;
}

export type AuthFailure = 'missing' | 'invalid' | 'expired';

export type VerifyResult = { ok: true; user: AuthUser } | { ok: false; reason: AuthFailure };

type Key = Parameters<typeof jwtVerify>[1] | JWTVerifyGetKey;

export class TokenVerifier {
  private keyPromise: Promise<Key> | undefined;
  /** HS* tokens are verified synchronously with node:crypto (see hmac-jwt.ts). */
  private readonly hmac: HmacJwtVerifier | undefined;

  constructor(private readonly options: Readonly<ResolvedJwtOptions>) {
    if (options.algorithms[0]!.startsWith('HS')) this.hmac = new HmacJwtVerifier(options.secret!, options);
  }

  private key(): Promise<Key> {
    this.keyPromise ??= this.loadKey();
    return this.keyPromise;
  }

  private async loadKey(): Promise<Key> {
    const { publicKey, jwksUrl, algorithms } = this.options;
    if (jwksUrl) return createRemoteJWKSet(new URL(jwksUrl));
    return importSPKI(publicKey!, algorithms[0]!);
  }

  /**
   * The result without waiting when the key is at hand (HS*: always), else undefined
   * and the caller uses `verify`. Keeps the handshake synchronous on the common path.
   */
  verifyNow(token: string | undefined): VerifyResult | undefined {
    if (!token) return { ok: false, reason: 'missing' };
    if (!this.hmac) return undefined;
    const result = this.hmac.verify(token);
    return result.ok ? userFromPayload(result.payload) : result;
  }

  async verify(token: string | undefined): Promise<VerifyResult> {
    // verifyNow answers a missing token itself, so jose only ever gets one.
    return this.verifyNow(token) ?? this.verifyWithJose(token!);
  }

  private async verifyWithJose(token: string): Promise<VerifyResult> {
    let payload: JWTPayload;
    try {
      const key = await this.key();
      const verifyOptions = {
        algorithms: this.options.algorithms,
        requiredClaims: ['exp'],
        clockTolerance: this.options.clockToleranceSeconds,
        ...(this.options.issuer ? { issuer: this.options.issuer } : {}),
        ...(this.options.audience ? { audience: this.options.audience } : {}),
      };
      // Two call shapes because jose types a key function and a static key separately.
      const result =
        typeof key === 'function' ? await jwtVerify(token, key, verifyOptions) : await jwtVerify(token, key, verifyOptions);
      payload = result.payload;
    } catch (error) {
      return { ok: false, reason: error instanceof joseErrors.JWTExpired ? 'expired' : 'invalid' };
    }
    return userFromPayload(payload);
  }
}

/** Checks the claims the server relies on and keeps only what a connection uses. */
function userFromPayload(payload: JWTPayload): VerifyResult {
  if (payload.token_type !== undefined && payload.token_type !== 'access') return { ok: false, reason: 'invalid' };
  const rawId = payload.sub ?? (payload.user_id as unknown);
  if ((typeof rawId !== 'string' && typeof rawId !== 'number') || rawId === '') return { ok: false, reason: 'invalid' };
  const id = String(rawId);
  const name = typeof payload.name === 'string' && payload.name ? payload.name : id;
  return {
    ok: true,
    // Only what is used is kept: the payload would cost memory on every connection.
    user: { id, name, isStaff: payload.is_staff === true, exp: payload.exp! },
  };
}

const COOKIE_NAME = 'sb_access';

/** Reads a token from, in order: `?token=`, `Authorization: Bearer`, the `sb_access` cookie. */
export function extractToken(request: IncomingMessage, query: URLSearchParams): string | undefined {
  const fromQuery = query.get('token');
  if (fromQuery) return fromQuery;
  const authorization = request.headers.authorization;
  if (authorization && authorization.length > 7 && authorization.slice(0, 7).toLowerCase() === 'bearer ') {
    return authorization.slice(7).trim() || undefined;
  }
  return readCookie(request.headers.cookie, COOKIE_NAME);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value) || undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
