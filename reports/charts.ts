// Vega-Lite specs from plain rows: data in, spec out, nothing else (rendering is in render.ts).
// Every spec carries its data inline, so a .vl.json file opens as is in the Vega editor, a notebook
// or vega-embed, and can be restyled there. Field names inside the data are plain identifiers
// (x, mean, variant): Vega-Lite reads dots in field names as nested access, and our column names
// (link.bandwidth_bps) have dots; the column in words, with its unit, goes into the axis title.
// Sweep charts are in sweep-charts.ts, per-run tables at one point in detail.ts; this module holds
// the reproduction charts and re-exports the rest.
import type { TopLevelSpec } from 'vega-lite';
import { VEGA_LITE_SCHEMA, finiteOrNull } from './chart-style.js';

export { VEGA_LITE_SCHEMA, spansDecades } from './chart-style.js';
export { sweepCharts, varies, type Chart } from './sweep-charts.js';
export { ISR_PHASES, remainingChart, roundsChart, timelineChart } from './detail.js';

/** "64 kbit/s", "1.5 Mbit/s": a bandwidth as a reader writes it. */
export function formatBitRate(bps: number): string {
  const steps: Array<[number, string]> = [
    [1e9, 'Gbit/s'],
    [1e6, 'Mbit/s'],
    [1e3, 'kbit/s'],
  ];
  for (const [f, u] of steps) if (bps >= f) return `${Number((bps / f).toPrecision(4))} ${u}`;
  return `${Number(bps.toPrecision(4))} bit/s`;
}

export interface ReferenceCell {
  policy: string;
  bandwidth_bps: number;
  mean: number;
  sd: number;
  published?: number;
  published_low?: number;
  published_high?: number;
  /** Whether the simulated value is within the tolerance of the published one (null: not judged). */
  holds?: boolean | null;
}

/**
 * Simulated means as dots grouped by bandwidth and coloured by policy (a dot, not a bar: on a log
 * axis a bar would rise from an arbitrary floor), ±1 sd error bars; published values as black
 * diamonds, published ranges as grey bands across the policy's slot; simulated values outside their
 * tolerance ringed in red. Every mark has its legend entry. Put the unit in yTitle.
 */
export function referenceDotsChart(cells: ReadonlyArray<ReferenceCell>, opts: { title: string; yTitle: string; logY: boolean }): TopLevelSpec {
  const values = cells.map((c) => {
    const lo = c.mean - c.sd;
    return {
      policy: c.policy,
      bandwidth_bps: c.bandwidth_bps,
      bandwidth: formatBitRate(c.bandwidth_bps),
      mean: finiteOrNull(c.mean),
      sd: finiteOrNull(c.sd),
      lo: Number.isFinite(lo) && (!opts.logY || lo > 0) ? lo : null,
      hi: finiteOrNull(c.mean + c.sd),
      published: c.published ?? null,
      published_low: c.published_low ?? null,
      published_high: c.published_high ?? null,
      miss: c.holds === false ? c.mean : null,
    };
  });
  // Room below the smallest value, so a published range there is not on the axis's edge.
  const shownMin = Math.min(...values.flatMap((v) => [v.mean, v.published, v.published_low]).filter((v): v is number => v !== null && v > 0));
  const shownMax = Math.max(...values.flatMap((v) => [v.hi, v.mean, v.published, v.published_high]).filter((v): v is number => v !== null && v > 0));
  const scale = opts.logY && Number.isFinite(shownMin) ? { type: 'log', domain: [shownMin / 2, shownMax * 2] } : { type: opts.logY ? 'log' : 'linear' };
  const y = { type: 'quantitative', title: opts.yTitle, scale, axis: { format: ',~f' } };
  const policies = [...new Set(cells.map((c) => c.policy))];
  const tooltip = [{ field: 'policy' }, { field: 'bandwidth' }, { field: 'mean', title: 'simulated', format: ',.3~r' }, { field: 'sd', format: ',.3~r' }, { field: 'published', format: ',.3~r' }];
  const legend = (title: string | null) => ({ title, orient: 'right' });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: opts.title,
    description: `${opts.title}: simulated means (dots, ±1 sd), published values (black diamonds), published ranges (grey bands); red rings mark simulated values outside their tolerance.`,
    data: { values },
    // With an xOffset the step sizes each policy's slot, not the group.
    width: { step: 18 },
    height: 300,
    encoding: {
      x: { field: 'bandwidth', type: 'ordinal', title: 'bandwidth', sort: { field: 'bandwidth_bps', op: 'min' }, axis: { labelAngle: 0 } },
      xOffset: { field: 'policy', type: 'nominal', sort: policies },
    },
    // A legend entry only for what the chart shows: no band or ring without a range or a miss.
    layer: [
      ...(values.some((v) => v.published_low !== null && v.published_high !== null) ? [{
        transform: [{ filter: 'isValid(datum.published_low) && isValid(datum.published_high)' }],
        mark: { type: 'bar', opacity: 0.6, stroke: '#333', strokeWidth: 1 },
        encoding: { y: { field: 'published_low', ...y }, y2: { field: 'published_high' }, fill: { datum: 'published range', type: 'nominal', scale: { range: ['#7f7f7f'] }, legend: legend(null) } },
      }] : []),
      // A narrow range is a thin band on a log axis: its values are written beside it.
      ...(values.some((v) => v.published_low !== null && v.published_high !== null) ? [{
        transform: [{ filter: 'isValid(datum.published_low) && isValid(datum.published_high)' }, { calculate: "format(datum.published_low, '~g') + '-' + format(datum.published_high, '~g')", as: 'range_text' }],
        mark: { type: 'text', align: 'right', dx: -10, fontSize: 9, color: '#444' },
        encoding: { y: { field: 'published_high', ...y }, text: { field: 'range_text' } },
      }] : []),
      { transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }], mark: { type: 'errorbar', ticks: { size: 6 }, color: '#333' }, encoding: { y: { field: 'lo', ...y }, y2: { field: 'hi' } } },
      {
        mark: { type: 'point', filled: true, size: 70, opacity: 1 },
        encoding: { y: { field: 'mean', ...y }, color: { field: 'policy', type: 'nominal', sort: policies, title: 'policy (simulated)', legend: legend('policy (simulated)') }, tooltip },
      },
      {
        transform: [{ filter: 'isValid(datum.published)' }],
        mark: { type: 'point', shape: 'diamond', filled: true, color: 'black', size: 60, opacity: 1 },
        encoding: { y: { field: 'published', ...y }, shape: { datum: 'published', type: 'nominal', scale: { range: ['diamond'] }, legend: legend(null) }, tooltip },
      },
      ...(values.some((v) => v.miss !== null) ? [{
        transform: [{ filter: 'isValid(datum.miss)' }],
        mark: { type: 'point', filled: false, size: 260, strokeWidth: 2, opacity: 1 },
        encoding: { y: { field: 'miss', ...y }, stroke: { datum: 'outside tolerance', type: 'nominal', scale: { range: ['#d62728'] }, legend: legend(null) }, tooltip },
      }] : []),
    ],
  } as unknown as TopLevelSpec;
}
