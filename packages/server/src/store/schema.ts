/**
 * Table types for Kysely. Timestamps are ISO-8601 UTC text and booleans are stored as
 * 0/1 integers, so SQLite and PostgreSQL share one schema and one set of queries.
 * Each app adds its tables here when it lands.
 */
export interface UsersTable {
  id: string;
  username: string;
  name: string;
  password_hash: string;
  is_staff: number;
  created_at: string;
}

export interface RevokedTokensTable {
  jti: string;
  user_id: string;
  /** When the revoked token would have expired anyway; rows past it can be deleted. */
  expires_at: string;
}

export interface Database {
  users: UsersTable;
  revoked_tokens: RevokedTokensTable;
}
