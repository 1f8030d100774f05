// Latency percentiles and the CPU/RSS bookkeeping every scenario reports the same way.
import { cpuTimes, rssBytes } from './proc.mjs';

export class LatencyRecorder {
  constructor(capacity) {
    this.samples = new Float64Array(capacity);
    this.count = 0;
  }

  record(micros) {
    if (this.count < this.samples.length) this.samples[this.count++] = micros;
  }

  summary() {
    const sorted = this.samples.subarray(0, this.count).sort();
    const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
    const ms = (v) => Math.round(v / 10) / 100;
    return { samples: sorted.length, p50Ms: ms(at(0.5)), p99Ms: ms(at(0.99)), maxMs: ms(sorted.length ? sorted[sorted.length - 1] : NaN) };
  }
}

/**
 * Starts measuring one server process or several (a cluster: CPU and RSS are summed);
 * `end(deliveries)` returns CPU µs per delivery and RSS.
 */
export function measureServer(pidOrPids) {
  const pids = Array.isArray(pidOrPids) ? pidOrPids : [pidOrPids];
  const cpuAll = () =>
    pids.reduce(
      (sum, pid) => {
        const { user, system } = cpuTimes(pid);
        return { user: sum.user + user, system: sum.system + system };
      },
      { user: 0, system: 0 },
    );
  const cpuStart = cpuAll();
  const wallStart = performance.now();
  return {
    end(deliveries) {
      const cpuEnd = cpuAll();
      const system = cpuEnd.system - cpuStart.system;
      const cpu = cpuEnd.user - cpuStart.user + system;
      const seconds = (performance.now() - wallStart) / 1000;
      return {
        seconds: Math.round(seconds * 100) / 100,
        deliveries,
        deliveriesPerSecond: Math.round(deliveries / seconds),
        serverCpuPercent: Math.round((cpu / 1e6 / seconds) * 1000) / 10,
        cpuMicrosPerDelivery: deliveries ? Math.round((cpu / deliveries) * 100) / 100 : NaN,
        // Kernel time (mostly socket writes over loopback) as a share of the server's CPU.
        kernelCpuPercent: cpu ? Math.round((system / cpu) * 100) : NaN,
        serverRssMB: Math.round(pids.reduce((sum, pid) => sum + rssBytes(pid), 0) / 1048576),
      };
    },
  };
}
