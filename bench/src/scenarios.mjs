// The benchmark scenarios. Each gets a freshly started server and returns plain numbers.
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchClient, closeAll, nowMicros, openClients, signToken, stampedText } from './clients.mjs';
import { handshake } from './handshake.mjs';
import { cpuTimes, rssBytes } from './proc.mjs';
import { LatencyRecorder, measureServer } from './stats.mjs';

/** Resolves when `predicate()` holds, checking every `everyMs`, or after `timeoutMs`. */
async function until(predicate, timeoutMs, everyMs = 5) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate() && Date.now() < deadline) await sleep(everyMs);
  return predicate();
}

async function fanoutSetup(server, subscribers, onDelivery, publisherPort = server.port, subscriberPort = server.port) {
  const clients = await openClients(server.kind, subscriberPort, subscribers, { onDelivery });
  for (let i = 0; i < clients.length; i += 100) await Promise.all(clients.slice(i, i + 100).map((c) => c.join('fanout')));
  const publisher = new BenchClient(server.kind, publisherPort, await signToken('publisher'));
  await publisher.opened;
  await publisher.join('fanout');
  return { clients, publisher };
}

/** Open loop: 1 publisher → `subscribers` in one room at a fixed delivery rate. */
export async function fanoutAtRate(server, { subscribers = 1000, deliveriesPerSecond, seconds = 8, ports } = {}) {
  const latency = new LatencyRecorder(deliveriesPerSecond * (seconds + 2));
  let delivered = 0;
  const onDelivery = (stamp) => {
    delivered++;
    latency.record(nowMicros() - stamp);
  };
  const { clients, publisher } = await fanoutSetup(server, subscribers, onDelivery, ports?.publisher, ports?.subscribers);
  await sleep(500); // let join notices drain before measuring
  delivered = 0;
  latency.count = 0;
  const messages = Math.round((deliveriesPerSecond / subscribers) * seconds);
  const intervalMicros = 1e6 / (deliveriesPerSecond / subscribers);
  const measure = measureServer(server.pids ?? server.pid);
  const start = nowMicros();
  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = nowMicros();
      // Stamp the scheduled time, not the actual one, so queueing delay shows in latency.
      while (sent < messages && start + sent * intervalMicros <= now) {
        publisher.publish('fanout', stampedText(Math.round(start + sent * intervalMicros)));
        sent++;
      }
      if (sent < messages) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const expected = messages * subscribers;
  await until(() => delivered >= expected, 10_000);
  const result = { ...measure.end(delivered), expected, ...latency.summary() };
  await closeAll([...clients, publisher]);
  return result;
}

/** Closed loop: the publisher keeps `window` messages in flight; measures maximum deliveries/s. */
export async function fanoutSaturation(server, { subscribers = 1000, window = 128, seconds = 8, ports } = {}) {
  let delivered = 0;
  let sent = 0;
  let publisher;
  let stopAt = Infinity;
  const latency = new LatencyRecorder(20_000_000);
  const pump = () => {
    while (sent - delivered / subscribers < window && performance.now() < stopAt) {
      publisher.publish('fanout', stampedText(nowMicros()));
      sent++;
    }
  };
  const onDelivery = (stamp) => {
    delivered++;
    latency.record(nowMicros() - stamp);
    if (delivered % subscribers === 0) pump();
  };
  const setup = await fanoutSetup(server, subscribers, onDelivery, ports?.publisher, ports?.subscribers);
  publisher = setup.publisher;
  await sleep(500);
  delivered = 0;
  sent = 0;
  latency.count = 0;
  const measure = measureServer(server.pids ?? server.pid);
  stopAt = performance.now() + seconds * 1000;
  pump();
  await until(() => performance.now() >= stopAt, seconds * 1000 + 1000, 50);
  await until(() => delivered >= sent * subscribers, 10_000);
  const result = { ...measure.end(delivered), window, ...latency.summary() };
  await closeAll([...setup.clients, publisher]);
  return result;
}

/** Many rooms: `connections` clients in rooms of `roomSize`, each sending `ratePerClient` msg/s. */
export async function manyRooms(server, { connections = 5000, roomSize = 10, ratePerClient = 1, seconds = 8 } = {}) {
  const expected = connections * ratePerClient * seconds * roomSize;
  const latency = new LatencyRecorder(expected + connections * roomSize);
  let delivered = 0;
  const onDelivery = (stamp) => {
    delivered++;
    latency.record(nowMicros() - stamp);
  };
  const clients = await openClients(server.kind, server.port, connections, { onDelivery });
  const roomOf = (i) => `room-${Math.floor(i / roomSize)}`;
  for (let i = 0; i < clients.length; i += 200) await Promise.all(clients.slice(i, i + 200).map((c, j) => c.join(roomOf(i + j))));
  await sleep(500);
  delivered = 0;
  latency.count = 0;
  const total = connections * ratePerClient * seconds;
  const intervalMicros = 1e6 / (connections * ratePerClient);
  const measure = measureServer(server.pid);
  const start = nowMicros();
  let sent = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = nowMicros();
      while (sent < total && start + sent * intervalMicros <= now) {
        const i = sent % connections;
        clients[i].publish(roomOf(i), stampedText(Math.round(start + sent * intervalMicros)));
        sent++;
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await until(() => delivered >= expected, 10_000);
  const result = { ...measure.end(delivered), expected, ...latency.summary() };
  await closeAll(clients);
  return result;
}

/** RSS per idle authenticated connection. */
export async function idleMemory(server, { connections = 10_000 } = {}) {
  // Warm up code paths first so lazily compiled code is not billed to connections.
  await closeAll(await openClients(server.kind, server.port, 200, { userPrefix: 'warm' }));
  server.collectGarbage();
  await sleep(1000);
  const before = rssBytes(server.pid);
  const clients = await openClients(server.kind, server.port, connections);
  server.collectGarbage();
  await sleep(1000);
  const after = rssBytes(server.pid);
  await closeAll(clients);
  return {
    connections,
    rssBeforeMB: Math.round(before / 1048576),
    rssAfterMB: Math.round(after / 1048576),
    bytesPerConnection: Math.round((after - before) / connections),
  };
}

/**
 * Connections per second including JWT verification, `concurrency` handshakes in flight.
 * Runs `rounds` rounds of `connections` each (closed between rounds) and reports the
 * median round: one round on a shared two-core machine swings by ±15%.
 */
export async function connectRate(server, { connections = 5000, concurrency = 64, rounds = 3 } = {}) {
  const tokens = await Promise.all(Array.from({ length: connections }, (_, i) => signToken(`c${i}`)));
  // Warm up first (JIT, pools), so the measurement shows the steady-state rate.
  const warm = await Promise.all(Array.from({ length: concurrency }, (_, i) => signToken(`warm${i}`)));
  for (let round = 0; round < 32; round++) {
    for (const socket of await Promise.all(warm.map((token) => handshake(server.kind, server.port, token)))) socket.destroy();
  }
  const results = [];
  for (let round = 0; round < rounds; round++) {
    // Let the server finish closing the previous round's connections first.
    await sleep(1000);
    results.push(await connectRound(server, tokens, concurrency));
  }
  results.sort((a, b) => a.connectionsPerSecond - b.connectionsPerSecond);
  const median = results[Math.floor(results.length / 2)];
  return { ...median, rounds, roundRates: results.map((r) => r.connectionsPerSecond).join(' / ') };
}

async function connectRound(server, tokens, concurrency) {
  const connections = tokens.length;
  const sockets = new Array(connections);
  const cpuBefore = cpuTimes(server.pid);
  const generatorBefore = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  async function worker() {
    while (next < connections) {
      const i = next++;
      sockets[i] = await handshake(server.kind, server.port, tokens[i]);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const generator = process.cpuUsage(generatorBefore);
  const cpuAfter = cpuTimes(server.pid);
  const systemMicros = cpuAfter.system - cpuBefore.system;
  const cpuPerConnection = (cpuAfter.user - cpuBefore.user + systemMicros) / connections;
  for (const socket of sockets) socket.destroy();
  return {
    connections,
    concurrency,
    seconds: Math.round(seconds * 100) / 100,
    connectionsPerSecond: Math.round(connections / seconds),
    // Server CPU per accepted connection, and what one fully busy core would sustain:
    // on a shared two-core machine the generator, not the server, often sets the rate.
    serverCpuMicrosPerConnection: Math.round(cpuPerConnection),
    kernelCpuPercent: Math.round((systemMicros / connections / cpuPerConnection) * 100),
    connectionsPerServerCoreSecond: Math.round(1e6 / cpuPerConnection),
    // The generator shares the machine: its CPU per connection bounds the measured rate too.
    generatorCpuMicrosPerConnection: Math.round((generator.user + generator.system) / connections),
  };
}
