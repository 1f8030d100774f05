#!/usr/bin/env node
// Makes sure the system programs the test suites drive exist: redis-server/redis-cli
// (Redis suites), chromium (browser suites; playwright-core never downloads one),
// CPython with `websockets` (seed 002's Python client) and nginx (the load-balancer
// cases of the cluster suite). Found on PATH or in /usr/bin:
// nothing to do. Missing and running as root with apt: installs the Debian package.
// Otherwise: one line saying what is missing and the command that installs it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Each tool: binaries to find (any one of `alternatives` per entry) or a `check`, its
 * Debian package, who needs it, and whether the run stops without it.
 */
export const TOOLS = [
  { name: 'redis', binaries: [['redis-server'], ['redis-cli']], pkg: 'redis-server', purpose: 'the Redis tests', required: true },
  { name: 'chromium', binaries: [['chromium', 'chromium-browser']], pkg: 'chromium', purpose: 'the browser tests', required: true },
  {
    name: 'python3-websockets',
    binaries: [],
    check: () => spawnSync('/usr/bin/python3', ['-c', 'import websockets'], { stdio: 'ignore' }).status === 0,
    pkg: 'python3-websockets',
    purpose: "seed 002's Python client test",
    required: true,
  },
  { name: 'nginx', binaries: [['nginx']], pkg: 'nginx-light', purpose: 'the load-balancer cluster tests', required: false },
];

const SEARCH = () => ['/usr/bin', '/usr/sbin', ...(process.env.PATH ?? '').split(delimiter), '/usr/local/bin'];

/** The absolute path of the first of `names` found, or undefined. */
export function findBinary(names) {
  for (const name of names) {
    const dir = SEARCH().find((candidate) => candidate && existsSync(join(candidate, name)));
    if (dir) return join(dir, name);
  }
  return undefined;
}

function missing(tool) {
  const absent = tool.binaries.filter((alternatives) => !findBinary(alternatives)).map((alternatives) => alternatives[0]);
  if (tool.check && !tool.check()) absent.push(tool.pkg);
  return absent;
}

/** Installs what is missing in one apt run; returns the names of tools still missing. */
export function ensureTools(tools = TOOLS) {
  let absent = tools.filter((tool) => missing(tool).length > 0);
  if (absent.length === 0) return [];
  const install = `apt-get update && apt-get install -y ${absent.map((tool) => tool.pkg).join(' ')}`;
  if (process.getuid?.() === 0 && findBinary(['apt-get'])) {
    console.log(`${absent.map((tool) => tool.name).join(', ')} not found; installing Debian packages`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('sh', ['-c', `${install} >/dev/null`], { stdio: ['ignore', 'inherit', 'inherit'], env });
    absent = absent.filter((tool) => missing(tool).length > 0);
  }
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  for (const tool of absent) {
    console.error(`Missing ${missing(tool).join(' and ')} (needed by ${tool.purpose}): install with "${sudo}apt-get install -y ${tool.pkg}"`);
  }
  return absent.map((tool) => tool.name);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(ensureTools().length === 0 ? 0 : 1);
}
