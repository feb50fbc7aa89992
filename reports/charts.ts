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
}

/**
 * Simulated means as bars grouped by bandwidth and coloured by policy, ±sd error bars, published
 * values as black diamonds and published ranges as black rules. For the ISR resume-latency and
 * slowdown tables; put the unit in yTitle ("resume latency (s)").
 */
export function groupedBarsWithReference(cells: ReadonlyArray<ReferenceCell>, opts: { title: string; yTitle: string; logY: boolean }): TopLevelSpec {
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
    };
  });
  const y = { type: 'quantitative', title: opts.yTitle, scale: { type: opts.logY ? 'log' : 'linear' } };
  const policies = [...new Set(cells.map((c) => c.policy))];
  // A log axis has no zero: bars rise from the power of ten below the smallest value shown.
  const shown = values.flatMap((v) => [v.mean, v.lo, v.published, v.published_low]).filter((v): v is number => v !== null && v > 0);
  // One decade of headroom below, so the smallest bars stay visible.
  const base = opts.logY && shown.length > 0 ? 10 ** (Math.floor(Math.log10(Math.min(...shown))) - 1) : 0;
  const barY2 = opts.logY ? { y2: { datum: base } } : {};
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: opts.title,
    description: `${opts.title}: simulated means (bars, ±1 sd) and published values (black diamonds; black rules for published ranges).`,
    data: { values },
    // With an xOffset the step sizes each bar (the offset band), not the group.
    width: { step: 16 },
    height: 300,
    encoding: {
      x: { field: 'bandwidth', type: 'ordinal', title: 'bandwidth', sort: { field: 'bandwidth_bps', op: 'min' }, axis: { labelAngle: 0 } },
      xOffset: { field: 'policy', type: 'nominal', sort: policies },
    },
    layer: [
      { mark: 'bar', encoding: { y: { field: 'mean', ...y }, ...barY2, color: { field: 'policy', type: 'nominal', sort: policies, title: 'policy (simulated)' } } },
      { transform: [{ filter: 'isValid(datum.lo) && isValid(datum.hi)' }], mark: { type: 'errorbar', ticks: { size: 8 }, color: '#333' }, encoding: { y: { field: 'lo', ...y }, y2: { field: 'hi' } } },
      {
        transform: [{ filter: 'isValid(datum.published_low) && isValid(datum.published_high)' }],
        mark: { type: 'rule', color: 'black', strokeWidth: 2 },
        encoding: { y: { field: 'published_low', ...y }, y2: { field: 'published_high' } },
      },
      {
        transform: [{ filter: 'isValid(datum.published)' }],
        mark: { type: 'point', shape: 'diamond', filled: true, color: 'black', size: 70, opacity: 1 },
        encoding: { y: { field: 'published', ...y }, shape: { datum: 'published', type: 'nominal', scale: { range: ['diamond'] }, legend: { title: null } } },
      },
    ],
  } as unknown as TopLevelSpec;
}

