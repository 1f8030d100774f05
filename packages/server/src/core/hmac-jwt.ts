/**
 * Synchronous verification of HS256/HS384/HS512 compact JWTs with node:crypto, for the
 * WebSocket handshake. jose verifies through WebCrypto, whose per-call algorithm
 * normalisation and async job were a third of a connect's CPU (bench `connect`
 * profile); an HMAC with node:crypto takes a few microseconds. Public-key algorithms
 * and JWKS still go through jose. The checks mirror jose's `jwtVerify` for the options
 * the server uses (pinned algorithms, required `exp`, `nbf`, issuer, audience, clock
 * tolerance); a differential test runs both on the same tokens.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512';

export interface HmacVerifyOptions {
  readonly algorithms: readonly string[];
  readonly clockToleranceSeconds: number;
  readonly issuer?: string;
  readonly audience?: string;
}

export type HmacVerifyResult =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; reason: 'invalid' | 'expired' };

const HASHES: Record<HmacAlgorithm, string> = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' };
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const INVALID = { ok: false, reason: 'invalid' } as const;
const EXPIRED = { ok: false, reason: 'expired' } as const;

export class HmacJwtVerifier {
  private readonly key: KeyObject;
  /** Nearly every token carries the same header: its last parse is reused. */
  private lastHeader = '';
  private lastAlg: HmacAlgorithm | undefined;

  constructor(
    secret: string,
    private readonly options: HmacVerifyOptions,
  ) {
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  verify(token: string, nowSeconds = Math.floor(Date.now() / 1000)): HmacVerifyResult {
    const firstDot = token.indexOf('.');
    const secondDot = token.indexOf('.', firstDot + 1);
    if (firstDot <= 0 || secondDot === -1 || token.indexOf('.', secondDot + 1) !== -1) return INVALID;
    const encodedHeader = token.slice(0, firstDot);
    const encodedPayload = token.slice(firstDot + 1, secondDot);
    const encodedSignature = token.slice(secondDot + 1);
    // Buffer's base64url decoder skips characters outside the alphabet; JOSE does not.
    if (!BASE64URL.test(encodedHeader) || !BASE64URL.test(encodedPayload) || !BASE64URL.test(encodedSignature)) {
      return INVALID;
    }

    const alg = encodedHeader === this.lastHeader ? this.lastAlg : this.algorithmOf(encodedHeader);
    if (alg === undefined) return INVALID;

    const signature = Buffer.from(encodedSignature, 'base64url');
    const expected = createHmac(HASHES[alg], this.key)
      .update(token.slice(0, secondDot), 'latin1')
      .digest();
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return INVALID;

    const payload = parseObject(encodedPayload);
    if (!payload) return INVALID;
    return this.checkClaims(payload, nowSeconds);
  }

  /** The header's algorithm when it is pinned and the header is acceptable, else undefined. */
  private algorithmOf(encodedHeader: string): HmacAlgorithm | undefined {
    const header = parseObject(encodedHeader);
    const alg = header?.alg;
    // No JWS extension is understood, so any `crit` is refused (and `b64` never applies).
    const accepted =
      typeof alg === 'string' && this.options.algorithms.includes(alg) && alg in HASHES && header!.crit === undefined;
    this.lastHeader = encodedHeader;
    this.lastAlg = accepted ? (alg as HmacAlgorithm) : undefined;
    return this.lastAlg;
  }

  private checkClaims(payload: Record<string, unknown>, now: number): HmacVerifyResult {
    const { exp, nbf, iat, iss, aud } = payload;
    const tolerance = this.options.clockToleranceSeconds;
    if (typeof exp !== 'number') return INVALID;
    if (iat !== undefined && typeof iat !== 'number') return INVALID;
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + tolerance)) return INVALID;
    if (this.options.issuer !== undefined && iss !== this.options.issuer) return INVALID;
    if (this.options.audience !== undefined) {
      const audiences = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
      if (!audiences.includes(this.options.audience)) return INVALID;
    }
    if (exp <= now - tolerance) return EXPIRED;
    return { ok: true, payload };
  }
}

function parseObject(encoded: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
