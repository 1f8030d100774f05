/**
 * Issues access and refresh tokens in Django simplejwt's shape, so tokens from this
 * server and from a seed's Django backend are interchangeable.
 */
import { createSecretKey, randomUUID } from 'node:crypto';
import { SignJWT, importPKCS8, importSPKI, jwtVerify, type JWTPayload } from 'jose';
import type { ResolvedJwtOptions } from './options.js';

export interface TokenSubject {
  id: string;
  name: string;
  isStaff: boolean;
}

export interface TokenPair {
  access: string;
  refresh: string;
}

export interface RefreshClaims {
  userId: string;
  jti: string;
  exp: number;
}

type SigningKey = Parameters<SignJWT['sign']>[0];

export class TokenIssuer {
  private keyPromise: Promise<SigningKey> | undefined;
  private readonly algorithm: string;

  constructor(private readonly options: Readonly<ResolvedJwtOptions>) {
    this.algorithm = options.algorithms[0]!;
  }

  /** False when the server only verifies tokens of an external issuer. */
  get canIssue(): boolean {
    return this.algorithm.startsWith('HS') ? Boolean(this.options.secret) : Boolean(this.options.privateKey);
  }

  private key(): Promise<SigningKey> {
    if (!this.canIssue) throw new Error('token issuing needs jwt.secret or jwt.privateKey');
    this.keyPromise ??= this.algorithm.startsWith('HS')
      ? Promise.resolve(createSecretKey(Buffer.from(this.options.secret!, 'utf8')))
      : importPKCS8(this.options.privateKey!, this.algorithm);
    return this.keyPromise;
  }

  private async sign(claims: JWTPayload, subject: string, ttlSeconds: number): Promise<string> {
    let jwt = new SignJWT(claims)
      .setProtectedHeader({ alg: this.algorithm, typ: 'JWT' })
      .setSubject(subject)
      .setIssuedAt()
      .setJti(randomUUID().replaceAll('-', ''))
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds);
    if (this.options.issuer) jwt = jwt.setIssuer(this.options.issuer);
    if (this.options.audience) jwt = jwt.setAudience(this.options.audience);
    return jwt.sign(await this.key());
  }

  async access(subject: TokenSubject, ttlSeconds = this.options.accessTokenTtlSeconds): Promise<string> {
    return this.sign(
      { user_id: subject.id, name: subject.name, is_staff: subject.isStaff, token_type: 'access' },
      subject.id,
      ttlSeconds,
    );
  }

  async pair(subject: TokenSubject): Promise<TokenPair> {
    const [access, refresh] = await Promise.all([
      this.access(subject),
      this.sign({ user_id: subject.id, token_type: 'refresh' }, subject.id, this.options.refreshTokenTtlSeconds),
    ]);
    return { access, refresh };
  }

  /** Verifies a refresh token's signature, expiry and type; revocation is the caller's check. */
  async verifyRefresh(token: string): Promise<RefreshClaims | undefined> {
    try {
      const key = this.algorithm.startsWith('HS')
        ? await this.key()
        : this.options.publicKey
          ? await importSPKI(this.options.publicKey, this.algorithm)
          : undefined;
      if (!key) return undefined;
      const { payload } = await jwtVerify(token, key, {
        algorithms: [this.algorithm],
        requiredClaims: ['exp', 'jti'],
        ...(this.options.issuer ? { issuer: this.options.issuer } : {}),
        ...(this.options.audience ? { audience: this.options.audience } : {}),
      });
      if (payload.token_type !== 'refresh' || typeof payload.sub !== 'string') return undefined;
      return { userId: payload.sub, jti: payload.jti!, exp: payload.exp! };
    } catch {
      return undefined;
    }
  }
}
