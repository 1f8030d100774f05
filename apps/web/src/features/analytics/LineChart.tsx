/** A small SVG line chart: time on x, a "nice" rounded maximum on y, one polyline per series. */
import type { ReactNode } from 'react';

export interface ChartLine {
  readonly name: string;
  readonly label: string;
  readonly color: string;
  readonly values: readonly number[];
}

const WIDTH = 600;
const HEIGHT = 200;
const PAD = { left: 40, right: 12, top: 12, bottom: 24 };

/** 1, 2, 5, 10, 20, 50… at or above `value`. */
export function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

function clock(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function LineChart({ times, lines, testId }: { times: readonly number[]; lines: readonly ChartLine[]; testId: string }): ReactNode {
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const max = niceMax(Math.max(0, ...lines.flatMap((line) => line.values)));
  const first = times[0] ?? 0;
  const span = Math.max(1, (times[times.length - 1] ?? 0) - first);
  const x = (at: number) => PAD.left + ((at - first) / span) * plotWidth;
  const y = (value: number) => PAD.top + plotHeight - (value / max) * plotHeight;
  const ticks = [0, max / 2, max];

  return (
    <figure className="chart" data-testid={testId} data-points={times.length}>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={lines.map((line) => line.label).join(', ')}>
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} className="chart-grid" />
            <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" className="chart-label">
              {Number.isInteger(tick) ? tick : tick.toFixed(1)}
            </text>
          </g>
        ))}
        {times.length > 1 && (
          <>
            <text x={PAD.left} y={HEIGHT - 6} className="chart-label">
              {clock(first)}
            </text>
            <text x={WIDTH - PAD.right} y={HEIGHT - 6} textAnchor="end" className="chart-label">
              {clock(times[times.length - 1]!)}
            </text>
          </>
        )}
        {lines.map((line) =>
          times.length === 1 ? (
            <circle key={line.name} cx={PAD.left + plotWidth} cy={y(line.values[0] ?? 0)} r={3} fill={line.color} data-testid="chart-series" data-name={line.name} />
          ) : (
            <polyline
              key={line.name}
              points={times.map((at, index) => `${x(at).toFixed(1)},${y(line.values[index] ?? 0).toFixed(1)}`).join(' ')}
              fill="none"
              stroke={line.color}
              strokeWidth={2}
              strokeLinejoin="round"
              data-testid="chart-series"
              data-name={line.name}
            />
          ),
        )}
      </svg>
      <figcaption className="chart-legend">
        {lines.map((line) => (
          <span key={line.name}>
            <span className="legend-swatch" style={{ background: line.color }} />
            {line.label}: {line.values.length ? formatValue(line.values[line.values.length - 1]!) : '–'}
          </span>
        ))}
      </figcaption>
      {times.length === 0 && <div className="muted chart-empty">Waiting for the first figures…</div>}
    </figure>
  );
}
