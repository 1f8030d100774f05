#!/usr/bin/env node
// `npm run bench`: starts each contender fresh per scenario, drives it from this
// separate process, and writes bench/results/latest.{json,md,svg}.
//   --scenarios a,b   subset of: fanout50k fanout100k saturation rooms idle connect cluster
//   --servers a,b     subset of: switchboard socketio raw
//   --quick           smaller sizes, for a smoke run
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { connectRate, fanoutAtRate, fanoutSaturation, idleMemory, manyRooms } from './scenarios.mjs';
import { startCluster, startServer } from './servers.mjs';
import { evaluateTargets } from './targets.mjs';
import { writeResults } from './report.mjs';

const { values } = parseArgs({
  options: {
    scenarios: { type: 'string', default: 'fanout50k,fanout100k,saturation,rooms,idle,connect,cluster' },
    servers: { type: 'string', default: 'switchboard,socketio,raw' },
    quick: { type: 'boolean', default: false },
  },
});
const quick = values.quick;
const seconds = quick ? 3 : 8;
const subscribers = quick ? 200 : 1000;

const SCENARIOS = {
  fanout50k: (s) => fanoutAtRate(s, { subscribers, deliveriesPerSecond: quick ? 10_000 : 50_000, seconds }),
  fanout100k: (s) => fanoutAtRate(s, { subscribers, deliveriesPerSecond: quick ? 20_000 : 100_000, seconds }),
  saturation: (s) => fanoutSaturation(s, { subscribers, seconds }),
  rooms: (s) => manyRooms(s, { connections: quick ? 500 : 5000, seconds }),
  idle: (s) => idleMemory(s, { connections: quick ? 1000 : 10_000 }),
  connect: (s) => connectRate(s, { connections: quick ? 1000 : 10_000 }),
  // Saturation across two instances on Redis: publisher on one, subscribers on the other.
  cluster: (s) => fanoutSaturation(s, { subscribers, seconds, ports: s.ports }),
};

/** Scenarios that only make sense for Switchboard, and how to start it for them. */
const SWITCHBOARD_ONLY = { cluster: startCluster };

const results = {
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version },
  quick,
  scenarios: {},
  targets: [],
};

for (const scenario of values.scenarios.split(',')) {
  const run = SCENARIOS[scenario];
  if (!run) throw new Error(`unknown scenario ${scenario}`);
  results.scenarios[scenario] = {};
  const kinds = SWITCHBOARD_ONLY[scenario] ? ['switchboard'] : values.servers.split(',');
  for (const kind of kinds) {
    const server = SWITCHBOARD_ONLY[scenario] ? await SWITCHBOARD_ONLY[scenario]() : await startServer(kind);
    try {
      process.stdout.write(`${scenario} · ${kind} … `);
      results.scenarios[scenario][kind] = await run(server);
      process.stdout.write(`${JSON.stringify(results.scenarios[scenario][kind])}\n`);
    } catch (error) {
      results.scenarios[scenario][kind] = { error: String(error) };
      process.stdout.write(`failed: ${error}\n`);
    } finally {
      await server.stop();
    }
  }
}

results.targets = evaluateTargets(results.scenarios);
const directory = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
writeResults(directory, results);
process.stdout.write(`\nwritten to ${directory}/latest.{json,md,svg}\n`);
