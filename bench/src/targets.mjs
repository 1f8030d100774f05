// The performance targets, as ratios measured in one run on one machine.
export function evaluateTargets(scenarios) {
  const targets = [];
  const get = (scenario, server, key) => scenarios[scenario]?.[server]?.[key];
  for (const scenario of ['fanout100k', 'saturation']) {
    const sb = get(scenario, 'switchboard', 'cpuMicrosPerDelivery');
    const io = get(scenario, 'socketio', 'cpuMicrosPerDelivery');
    const raw = get(scenario, 'raw', 'cpuMicrosPerDelivery');
    if (sb && io) targets.push({ name: `${scenario}: CPU/delivery ≤ 0.5× Socket.IO`, measured: `${(sb / io).toFixed(2)}×`, met: sb / io <= 0.5 });
    if (sb && raw) targets.push({ name: `${scenario}: CPU/delivery ≤ 1.0× raw ws`, measured: `${(sb / raw).toFixed(2)}×`, met: sb / raw <= 1 });
  }
  const sbSat = get('saturation', 'switchboard', 'deliveriesPerSecond');
  const rawSat = get('saturation', 'raw', 'deliveriesPerSecond');
  if (sbSat && rawSat) targets.push({ name: 'saturation throughput ≥ raw ws', measured: `${(sbSat / rawSat).toFixed(2)}×`, met: sbSat >= rawSat });
  const idle = get('idle', 'switchboard', 'bytesPerConnection');
  if (idle) targets.push({ name: 'memory per idle authenticated connection ≤ 6 KB', measured: `${(idle / 1024).toFixed(1)} KB`, met: idle <= 6 * 1024 });
  const connect = get('connect', 'switchboard', 'connectionsPerSecond');
  const perCore = get('connect', 'switchboard', 'connectionsPerServerCoreSecond');
  if (connect) targets.push({ name: '≥ 5000 connections/s with HS256', measured: `${connect}/s (server CPU allows ${perCore}/s per core)`, met: connect >= 5000 });
  const cluster = get('cluster', 'switchboard', 'deliveriesPerSecond');
  if (cluster && sbSat) targets.push({ name: 'cross-instance fan-out ≥ 0.8× single instance', measured: `${(cluster / sbSat).toFixed(2)}×`, met: cluster / sbSat >= 0.8 });
  return targets;
}
