/** Fresh databases for tests: a temporary SQLite file, or a new PostgreSQL database. */
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';

export type DialectName = 'sqlite' | 'postgres';
export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

export function sqliteUrl(): string {
  return join(mkdtempSync(join(tmpdir(), 'switchboard-test-')), 'test.db');
}

/** Creates an empty database in the shared test PostgreSQL and returns its URL. */
export async function postgresUrl(): Promise<string> {
  const admin = inject('postgresUrl');
  const name = `t_${randomUUID().replaceAll('-', '')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function databaseUrl(dialect: DialectName): Promise<string> {
  return dialect === 'sqlite' ? sqliteUrl() : postgresUrl();
}
