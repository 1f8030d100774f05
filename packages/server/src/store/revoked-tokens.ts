/** Blacklist of refresh tokens (rotation and logout), as simplejwt's token_blacklist. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export class RevokedTokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Revokes `jti`; false when it was already revoked (a replayed refresh token). */
  async revoke(jti: string, userId: string, expiresAtSeconds: number): Promise<boolean> {
    const result = await this.db
      .insertInto('revoked_tokens')
      .values({ jti, user_id: userId, expires_at: new Date(expiresAtSeconds * 1000).toISOString() })
      .onConflict((oc) => oc.column('jti').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /** Deletes rows whose tokens have expired anyway (`switchboard cleanup`); returns how many. */
  async purgeExpired(now = new Date()): Promise<number> {
    const result = await this.db.deleteFrom('revoked_tokens').where('expires_at', '<', now.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
