/**
 * The database: Kysely over better-sqlite3 (embedded default) or PostgreSQL
 * (`postgres://…`, required for several instances). Repositories hang off the Store.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations.js';
import { RevokedTokenRepository } from './revoked-tokens.js';
import { UserRepository } from './users.js';
import { WorkspaceRepository } from './workspaces.js';
import { MessageRepository } from './messages.js';
import { DocumentRepository } from './documents.js';
import { NotificationRepository } from './notifications.js';

export type Dialect = 'sqlite' | 'postgres';

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** The file path of a SQLite database URL (`sqlite:path`, `sqlite://path` or a bare path). */
export function sqliteFile(url: string): string {
  return url.startsWith('sqlite:') ? url.slice('sqlite:'.length).replace(/^\/\//, '') : url;
}

export class Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly users: UserRepository;
  readonly revokedTokens: RevokedTokenRepository;
  readonly workspaces: WorkspaceRepository;
  readonly messages: MessageRepository;
  readonly documents: DocumentRepository;
  readonly notifications: NotificationRepository;

  constructor(databaseUrl: string) {
    if (isPostgresUrl(databaseUrl)) {
      this.dialect = 'postgres';
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
      // An idle client losing its server must not crash the process; the next query reconnects.
      pool.on('error', () => {});
      this.db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    } else {
      this.dialect = 'sqlite';
      const file = sqliteFile(databaseUrl);
      if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
      const database = new SQLite(file);
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = NORMAL');
      database.pragma('busy_timeout = 5000');
      database.pragma('foreign_keys = ON');
      this.db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
    }
    this.users = new UserRepository(this.db);
    this.revokedTokens = new RevokedTokenRepository(this.db);
    this.workspaces = new WorkspaceRepository(this.db);
    this.messages = new MessageRepository(this.db);
    this.documents = new DocumentRepository(this.db);
    this.notifications = new NotificationRepository(this.db);
  }

  /** Applies pending migrations; throws with the failing migration's name. */
  async migrate(): Promise<MigrationResultSet> {
    // Features number their migrations in their own ranges, so a core migration added
    // later may sort before one already applied.
    const migrator = new Migrator({ db: this.db, provider: migrationProvider, allowUnorderedMigrations: true });
    const result = await migrator.migrateToLatest();
    if (result.error) {
      const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
    }
    return result;
  }

  /** A trivial round trip, for health checks. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
