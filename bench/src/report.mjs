// Writes results as JSON, a markdown table and an SVG bar chart.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LABELS = { switchboard: 'Switchboard', socketio: 'Socket.IO 4', raw: 'raw ws relay' };

function row(cells) {
  return `| ${cells.join(' | ')} |`;
}

export function markdown(results) {
  const lines = [`# Benchmark results`, '', `${results.date} · ${results.machine.cpu} (${results.machine.cores} cores) · Node ${results.machine.node}`, ''];
  for (const [scenario, byServer] of Object.entries(results.scenarios)) {
    const servers = Object.keys(byServer);
    const keys = [...new Set(servers.flatMap((s) => Object.keys(byServer[s] ?? {})))];
    lines.push(`## ${scenario}`, '', row(['metric', ...servers.map((s) => LABELS[s] ?? s)]), row(['---', ...servers.map(() => '---:')]));
    for (const key of keys) lines.push(row([key, ...servers.map((s) => String(byServer[s]?.[key] ?? '—'))]));
    lines.push('');
  }
  if (results.targets.length) {
    lines.push('## Targets', '', row(['target', 'measured', 'met']), row(['---', '---', ':---:']));
    for (const t of results.targets) lines.push(row([t.name, t.measured, t.met ? 'yes' : 'no']));
    lines.push('');
  }
  return lines.join('\n');
}

/** Bars of CPU µs per delivery and deliveries/s for each scenario that has them. */
export function svgChart(results) {
  const bars = [];
  for (const [scenario, byServer] of Object.entries(results.scenarios)) {
    for (const [server, r] of Object.entries(byServer)) {
      if (r && Number.isFinite(r.cpuMicrosPerDelivery)) bars.push({ scenario, server, value: r.cpuMicrosPerDelivery });
    }
  }
  const colors = { switchboard: '#2563eb', socketio: '#f59e0b', raw: '#6b7280' };
  const max = Math.max(1, ...bars.map((b) => b.value));
  const barHeight = 18;
  const width = 760;
  const left = 260;
  const height = 60 + bars.length * (barHeight + 6);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="system-ui, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="16" y="24" font-size="15" font-weight="600">Server CPU µs per delivered message (lower is better)</text>`,
  ];
  bars.forEach((bar, i) => {
    const y = 44 + i * (barHeight + 6);
    const w = Math.max(1, ((width - left - 70) * bar.value) / max);
    parts.push(`<text x="16" y="${y + 13}">${bar.scenario} · ${LABELS[bar.server] ?? bar.server}</text>`);
    parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${colors[bar.server] ?? '#999'}"/>`);
    parts.push(`<text x="${left + w + 6}" y="${y + 13}">${bar.value}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

export function writeResults(directory, results) {
  const stamp = results.date.replace(/[:.]/g, '-');
  writeFileSync(join(directory, `results-${stamp}.json`), JSON.stringify(results, null, 2));
  writeFileSync(join(directory, 'latest.json'), JSON.stringify(results, null, 2));
  writeFileSync(join(directory, 'latest.md'), markdown(results));
  writeFileSync(join(directory, 'latest.svg'), svgChart(results));
}
