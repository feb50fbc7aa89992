// Vega-Lite specs from plain rows: data in, spec out, nothing else (rendering is in render.ts).
// Every spec carries its data inline, so a .vl.json file opens as is in the Vega editor, a notebook
// or vega-embed, and can be restyled there. Field names inside the data are plain identifiers
// (x, mean, policy): Vega-Lite reads dots in field names as nested access, and our column names
// (link.bandwidth_bps) have dots; the column name, with its unit, goes into the axis title.
import type { TopLevelSpec } from 'vega-lite';
import type { ParamValue } from '../sim/results/record.js';
import type { Aggregate, AggregateRow } from './aggregate.js';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export interface Chart {
  /** File-name stem: total_time_ms-vs-link.bandwidth_bps. */
  name: string;
  title: string;
  spec: TopLevelSpec;
}

/** Metrics that count the simulator's own work rather than measure the transfer. */
const NOT_CHARTED = new Set(['events']);

/** Whether a metric's per-point means differ anywhere (NaN counts as a value of its own). */
export function varies(rows: ReadonlyArray<{ mean: number }>): boolean {
  const first = rows[0]?.mean;
  return rows.some((r) => !Object.is(r.mean, first));
}

/** A log axis when every value is positive and the values span at least two decades. */
export function spansDecades(values: readonly number[]): boolean {
  const xs = values.filter((v) => Number.isFinite(v));
  if (xs.length < 2 || xs.some((v) => v <= 0)) return false;
  return Math.max(...xs) / Math.min(...xs) >= 100;
}

/** SI-prefixed tick labels (20M rather than 20,000,000) on log axes and for large values. */
function axisFormat(values: readonly number[], log: boolean): { format?: string } {
  const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
  const big = finite.some((v) => Math.abs(v) >= 1e5);
  // SI prefixes below 1 read as milli, micro (0.2% shown as "200m"): plain numbers there.
  const small = finite.some((v) => Math.abs(v) < 1);
  if (small) return { format: '~g' };
  return log || big ? { format: '~s' } : {};
}

// Parameter values as the CSV writes them (12 significant digits): a label must not round a size.
const label = (v: ParamValue | undefined): string => (typeof v === 'number' ? String(Number(v.toPrecision(12))) : String(v ?? ''));
const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

/**
 * Sweep charts: for every metric, its mean against each swept numeric parameter, one line per
 * policy, error bars from the trials' 95% interval; other swept parameters become facets. With no
 * numeric parameter swept, a bar per policy (and point). Log axes where the values span decades.
 */
export function sweepCharts(agg: Aggregate, scenario: string): Chart[] {
  const charts: Chart[] = [];
  for (const metric of agg.metrics) {
    if (NOT_CHARTED.has(metric)) continue;
    const rows = agg.rows.filter((r) => r.metric === metric);
    // A metric with one value everywhere (a post-copy counter in a stop-and-copy sweep) is a flat
    // line: the CSV has it, the charts leave it out.
    if (!varies(rows)) continue;
    const swept = agg.params.filter((p) => new Set(rows.map((r) => label(r.params[p]))).size > 1);
    const numeric = swept.filter((p) => rows.every((r) => typeof r.params[p] === 'number'));
    // A parameter with only two values makes a poor x axis when another one has more.
    const distinct = (p: string): number => new Set(rows.map((r) => r.params[p])).size;
    const xs = numeric.filter((p) => distinct(p) >= 3);
    if (xs.length === 0) xs.push(...numeric);
    if (numeric.length === 0) {
      charts.push({ name: metric, title: `${metric} by policy`, spec: barsByPoint(rows, metric, swept, scenario) });
      continue;
    }
    for (const x of xs) {
      const others = swept.filter((p) => p !== x);
      charts.push({ name: `${metric}-vs-${x}`, title: `${metric} vs ${x}`, spec: metricVsParam(rows, metric, x, others, scenario) });
    }
  }
  return charts;
}

function metricVsParam(rows: readonly AggregateRow[], metric: string, x: string, others: readonly string[], scenario: string): TopLevelSpec {
  const order = new Map<string, number>();
  const values = rows.map((r) => ({
    policy: r.variant,
    x: r.params[x] as number,
    series: others.map((p) => `${p}=${label(r.params[p])}`).join(', '),
    series_order: 0,
    n: r.n,
    mean: finiteOrNull(r.mean),
    sd: finiteOrNull(r.sd),
    ci95_low: finiteOrNull(r.ci95_low),
    ci95_high: finiteOrNull(r.ci95_high),
  }));
  // Facets in grid order, not in the alphabetical order of their labels.
  for (const v of values) {
    if (!order.has(v.series)) order.set(v.series, order.size);
    v.series_order = order.get(v.series)!;
  }
  const logX = spansDecades(values.map((v) => v.x));
  const logY = spansDecades(values.map((v) => v.mean ?? NaN));
  const xEnc = { field: 'x', type: 'quantitative', title: x, scale: logX ? { type: 'log' } : { type: 'linear', zero: false }, axis: axisFormat(values.map((v) => v.x), logX) };
  const yScale = logY ? { type: 'log' } : { type: 'linear', zero: true };
  const yAxis = axisFormat(values.map((v) => v.mean ?? NaN), logY);
  const color = { field: 'policy', type: 'nominal', title: 'variant' };
  // On a log axis an interval reaching zero or below cannot be drawn; such bars are left out.
  const barFilter = logY ? 'isValid(datum.ci95_low) && datum.ci95_low > 0' : 'isValid(datum.ci95_low)';
  const layer = [
    {
      mark: { type: 'line', point: true },
      encoding: {
        x: xEnc,
        y: { field: 'mean', type: 'quantitative', title: `${metric} (mean)`, scale: yScale, axis: yAxis },
        color,
        tooltip: [
          { field: 'policy' },
          { field: 'x', title: x, type: 'quantitative' },
          { field: 'mean', title: metric, type: 'quantitative' },
          { field: 'sd', type: 'quantitative' },
          { field: 'n', type: 'quantitative' },
        ],
      },
    },
    {
      transform: [{ filter: barFilter }],
      mark: { type: 'errorbar', ticks: true },
      encoding: { x: xEnc, y: { field: 'ci95_low', type: 'quantitative', title: `${metric} (mean)`, scale: yScale, axis: yAxis }, y2: { field: 'ci95_high' }, color },
    },
  ];
  const description = `${scenario}: ${metric} against ${x}; lines join the means over trials, bars show the 95% interval of the mean.`;
  const base = { $schema: VEGA_LITE_SCHEMA, title: `${metric} vs ${x}`, description, data: { values } };
  if (others.length === 0) return { ...base, width: 420, height: 280, layer } as unknown as TopLevelSpec;
  return {
    ...base,
    facet: { field: 'series', type: 'nominal', title: others.join(', '), sort: { field: 'series_order', op: 'min' } },
    columns: 3,
    spec: { width: 260, height: 200, layer },
  } as unknown as TopLevelSpec;
}

function barsByPoint(rows: readonly AggregateRow[], metric: string, swept: readonly string[], scenario: string): TopLevelSpec {
  const others = swept.filter((p) => p !== 'policy');
  const values = rows.map((r) => ({
    policy: r.variant,
    point: [r.variant, ...others.map((p) => `${p}=${label(r.params[p])}`)].join(', '),
    n: r.n,
    mean: finiteOrNull(r.mean),
    ci95_low: finiteOrNull(r.ci95_low),
    ci95_high: finiteOrNull(r.ci95_high),
  }));
  const logY = spansDecades(values.map((v) => v.mean ?? NaN));
  const yScale = { type: logY ? 'log' : 'linear' };
  const xEnc = { field: 'point', type: 'nominal', title: null, sort: null, axis: { labelAngle: -30, labelLimit: 240 } };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: `${metric} by policy`,
    description: `${scenario}: mean ${metric} per policy over trials, with the 95% interval of the mean.`,
    data: { values },
    width: { step: 40 },
    height: 260,
    layer: [
      { mark: 'bar', encoding: { x: xEnc, y: { field: 'mean', type: 'quantitative', title: `${metric} (mean)`, scale: yScale }, color: { field: 'policy', type: 'nominal' } } },
      {
        transform: [{ filter: logY ? 'isValid(datum.ci95_low) && datum.ci95_low > 0' : 'isValid(datum.ci95_low)' }],
        mark: { type: 'errorbar', ticks: true },
        encoding: { x: xEnc, y: { field: 'ci95_low', type: 'quantitative', scale: yScale, title: `${metric} (mean)` }, y2: { field: 'ci95_high' } },
      },
    ],
  } as unknown as TopLevelSpec;
}

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

export const ISR_PHASES = ['suspend', 'travel', 'resume', 'run'] as const;

export interface TimelineRow {
  policy: string;
  phase: (typeof ISR_PHASES)[number];
  start_s: number;
  end_s: number;
}

/** ISR timeline: one bar per policy, segments suspend, travel, resume, run on a time axis. */
export function isrTimelineChart(rows: ReadonlyArray<TimelineRow>, opts: { title?: string } = {}): TopLevelSpec {
  const policies = [...new Set(rows.map((r) => r.policy))];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: opts.title ?? 'ISR timeline per policy',
    description: 'Suspend, travel, resume and run phases of each policy on one time axis.',
    data: { values: rows.map((r) => ({ ...r, duration_s: r.end_s - r.start_s })) },
    width: 480,
    height: { step: 26 },
    mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
    encoding: {
      y: { field: 'policy', type: 'nominal', sort: policies, title: 'policy' },
      x: { field: 'start_s', type: 'quantitative', title: 'time (s)' },
      x2: { field: 'end_s' },
      color: { field: 'phase', type: 'nominal', scale: { domain: [...ISR_PHASES], range: ['#9e9e9e', '#f28e2b', '#e15759', '#59a14f'] }, title: 'phase' },
      tooltip: [{ field: 'policy' }, { field: 'phase' }, { field: 'start_s', type: 'quantitative' }, { field: 'end_s', type: 'quantitative' }, { field: 'duration_s', type: 'quantitative' }],
    },
  } as unknown as TopLevelSpec;
}

export interface RemainingRow {
  policy: string;
  t_ms: number;
  remaining_bytes: number;
}

/** Live migration: bytes still to send over time, one line per policy. */
export function migrationRemainingChart(rows: ReadonlyArray<RemainingRow>, opts: { title?: string } = {}): TopLevelSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: opts.title ?? 'Remaining bytes over time',
    description: 'Bytes left to transfer against time since the migration started, per policy.',
    data: { values: rows.map((r) => ({ ...r })) },
    width: 480,
    height: 280,
    mark: { type: 'line', point: true, interpolate: 'linear' },
    encoding: {
      x: { field: 't_ms', type: 'quantitative', title: 'time (ms)' },
      y: { field: 'remaining_bytes', type: 'quantitative', title: 'remaining (bytes)' },
      color: { field: 'policy', type: 'nominal', title: 'policy' },
      tooltip: [{ field: 'policy' }, { field: 't_ms', type: 'quantitative' }, { field: 'remaining_bytes', type: 'quantitative' }],
    },
  } as unknown as TopLevelSpec;
}

export interface RoundRow {
  policy: string;
  round: number;
  pages_sent: number;
  bytes: number;
}

/** Live migration: bytes sent in each round, bars grouped by round and coloured by policy. */
export function migrationRoundsChart(rows: ReadonlyArray<RoundRow>, opts: { title?: string } = {}): TopLevelSpec {
  const policies = [...new Set(rows.map((r) => r.policy))];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: opts.title ?? 'Bytes per round',
    description: 'Bytes (and pages) sent in each pre-copy round, per policy.',
    data: { values: rows.map((r) => ({ ...r })) },
    width: { step: Math.max(24, 12 * policies.length + 8) },
    height: 280,
    mark: 'bar',
    encoding: {
      x: { field: 'round', type: 'ordinal', title: 'round', axis: { labelAngle: 0 } },
      xOffset: { field: 'policy', type: 'nominal', sort: policies },
      y: { field: 'bytes', type: 'quantitative', title: 'sent in the round (bytes)' },
      color: { field: 'policy', type: 'nominal', sort: policies, title: 'policy' },
      tooltip: [{ field: 'policy' }, { field: 'round', type: 'ordinal' }, { field: 'pages_sent', type: 'quantitative' }, { field: 'bytes', type: 'quantitative' }],
    },
  } as unknown as TopLevelSpec;
}
