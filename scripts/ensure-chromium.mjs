#!/usr/bin/env node
// Makes sure a Chromium binary exists (the browser suites drive it with playwright-core,
// which never downloads a browser of its own). Found on PATH or in /usr/bin: nothing to
// do. Missing and running as root: installs Debian's chromium package. Otherwise: one
// line with the command that installs it, and exit code 1.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const NAMES = ['chromium', 'chromium-browser'];
const INSTALL = 'apt-get update && apt-get install -y chromium';

/** The absolute path of the Chromium binary, or undefined. */
export function findChromium() {
  const dirs = ['/usr/bin', ...(process.env.PATH ?? '').split(delimiter), '/usr/local/bin'];
  for (const name of NAMES) {
    const dir = dirs.find((candidate) => candidate && existsSync(join(candidate, name)));
    if (dir) return join(dir, name);
  }
  return undefined;
}

export function ensureChromium() {
  if (findChromium()) return true;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log("chromium not found; installing Debian's chromium package");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const result = spawnSync('sh', ['-c', `${INSTALL} >/dev/null`], { stdio: ['ignore', 'inherit', 'inherit'], env });
    if (result.status === 0 && findChromium()) return true;
  }
  const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
  console.error(`Missing chromium (needed by the browser tests): install with "${sudo}${INSTALL.replace('&& ', `&& ${sudo}`)}"`);
  return false;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(ensureChromium() ? 0 : 1);
}
