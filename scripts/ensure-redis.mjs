#!/usr/bin/env node
// Makes sure `redis-server` and `redis-cli` exist (the Redis test suites start real
// servers). Found on PATH or in /usr/bin: nothing to do. Missing and running as root:
// installs Debian's redis-server package. Otherwise: one line saying what is missing
// and the command that installs it, and exit code 1.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const BINARIES = ['redis-server', 'redis-cli'];
const INSTALL = 'apt-get update && apt-get install -y redis-server';

function find(name) {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/local/bin'];
  return dirs.find((dir) => dir && existsSync(join(dir, name)));
}

export function missingRedisBinaries() {
  return BINARIES.filter((name) => !find(name));
}

export function ensureRedis() {
  let missing = missingRedisBinaries();
  if (missing.length === 0) return true;
  if (process.getuid?.() === 0 && find('apt-get')) {
    console.log(`${missing.join(' and ')} not found; installing Debian's redis-server package`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const result = spawnSync('sh', ['-c', `${INSTALL} >/dev/null`], { stdio: ['ignore', 'inherit', 'inherit'], env });
    missing = missingRedisBinaries();
    if (result.status === 0 && missing.length === 0) return true;
  }
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  console.error(`Missing ${missing.join(' and ')} (needed by the Redis tests): install with "${sudo}${INSTALL.replace('&& ', `&& ${sudo}`)}"`);
  return false;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(ensureRedis() ? 0 : 1);
}
