// One point of a sweep looked at closely: the per-run tables (remaining bytes over time, bytes per
// round, the ISR timeline, a cluster's migrations and links) of every variant at that point, trial 0. The point is the user's
// (`--detail-point`, matched to the nearest value on each numeric axis) or, by default, a telling
// one: among the points where every variant reached its goal, the one where the variants differ
// most in the first headline metric (the largest ratio of highest to lowest mean); if there is no
// such point, the one with the largest ratio overall.
import type { TopLevelSpec } from 'vega-lite';
import type { ParamValue, RunRecord } from '../sim/results/record.js';
import type { Aggregate } from './aggregate.js';
import { AXIS_NUMBER, VEGA_LITE_SCHEMA, seriesEncoding } from './chart-style.js';
import { headlineMetrics } from './headline.js';
import type { Chart } from './sweep-charts.js';
import { variantsOf } from './sweep-charts.js';
import { formatParam, inUnit, label, titleWithUnit, unitFor } from './units.js';
import { ganttChart, underWayChart } from './gantt.js';
import { linkChart } from './link-chart.js';

export interface DetailPoint {
  /** Parameter column -> value of the chosen point. */
  params: Record<string, ParamValue>;
  /** "link bandwidth 1 Gbit/s": the point in words. */
  text: string;
  /** Why this point: chosen by the user, or the default rule. */
  why: string;
}

const same = (a: ParamValue | undefined, b: ParamValue | undefined): boolean => (typeof a === 'number' && typeof b === 'number' ? Number(a.toPrecision(12)) === Number(b.toPrecision(12)) : a === b);

/** The swept parameters (more than one value) in words, for a point. */
function describe(agg: Aggregate, params: Record<string, ParamValue>): string {
  const swept = agg.params.filter((p) => new Set(agg.rows.map((r) => String(r.params[p]))).size > 1);
  return swept.map((p) => `${label(p).toLowerCase()} ${formatParam(p, params[p])}`).join(', ') || 'the only point';
}

/**
 * The point to look at: `wanted` (parameter column -> value; a numeric value picks the nearest value
 * swept, by ratio) or the default rule. Parameters not named keep the default point's values.
 */
export function pickDetailPoint(agg: Aggregate, kind: string, wanted: Readonly<Record<string, ParamValue>> = {}): DetailPoint {
  const points: Array<Record<string, ParamValue>> = [];
  for (const r of agg.rows) if (!points.some((p) => agg.params.every((c) => same(p[c], r.params[c])))) points.push(r.params);
  const metric = headlineMetrics(kind, agg.metrics).find((m) => m !== agg.goal) ?? agg.metrics[0];
  const score = points.map((p) => {
    const rows = agg.rows.filter((r) => r.metric === metric && agg.params.every((c) => same(r.params[c], p[c])));
    const means = rows.map((r) => r.mean).filter((m) => Number.isFinite(m) && m > 0);
    const spread = means.length < 2 ? 1 : Math.max(...means) / Math.min(...means);
    return { p, spread, all: rows.every((r) => r.reached === r.runs) };
  });
  const pool = score.some((s) => s.all) ? score.filter((s) => s.all) : score;
  let best = pool[0];
  for (const s of pool) if (s.spread > best.spread) best = s;
  const named = Object.keys(wanted);
  if (named.length === 0) {
    const why = best.all ? `the point where every variant reached its goal and ${label(metric).toLowerCase()} differs most between them` : `the point where ${label(metric).toLowerCase()} differs most between the variants`;
    return { params: best.p, text: describe(agg, best.p), why: `${why} (choose another with --detail-point)` };
  }
  // Nearest on each named axis, in turn, among the points that match the axes before it.
  let cands = points;
  for (const c of named) {
    const w = wanted[c];
    const dist = (v: ParamValue | undefined): number => (typeof v === 'number' && typeof w === 'number' ? (v > 0 && w > 0 ? Math.abs(Math.log(v / w)) : Math.abs(v - w)) : same(v, w) ? 0 : Infinity);
    const d = Math.min(...cands.map((p) => dist(p[c])));
    cands = cands.filter((p) => dist(p[c]) === d);
  }
  const chosen = cands.find((p) => agg.params.every((c) => named.includes(c) || same(p[c], best.p[c]))) ?? cands[0];
  const asked = named.map((c) => `${label(c).toLowerCase()} ${formatParam(c, wanted[c])}`).join(', ');
  return { params: chosen, text: describe(agg, chosen), why: `chosen with --detail-point (${asked}; the nearest point swept)` };
}

type Row = Record<string, ParamValue>;

/** Charts of the per-run tables of every variant at the point, trial 0. */
export function detailCharts(records: readonly RunRecord[], point: DetailPoint): Chart[] {
  const at = records.filter((r) => r.trial === 0 && Object.entries(point.params).every(([c, v]) => same(r.params[c], v)));
  const variants = variantsOf(at);
  const names = [...new Set(at.flatMap((r) => Object.keys(r.tables ?? {})))];
  const charts: Chart[] = [];
  const where = ` at ${point.text}, trial 0`;
  for (const name of names) {
    const rows: Row[] = at.flatMap((r) => (r.tables?.[name] ?? []).map((t) => ({ ...t, variant: r.variant })));
    if (rows.length === 0) continue;
    const has = (...cols: string[]): boolean => cols.every((c) => c in rows[0]);
    if (has('t_ms', 'remaining_bytes')) charts.push({ name: `detail-${name}`, title: `${REMAINING} over time${where}`, spec: remainingChart(rows, variants, `${REMAINING} over time${where}`) });
    else if (has('round', 'bytes_sent')) {
      charts.push({ name: `detail-${name}`, title: `Bytes sent per round${where}`, spec: roundsChart(rows, variants, `Bytes sent per round${where}`) });
      if (has('pages_dirtied')) charts.push({ name: `detail-${name}-dirtied`, title: `Pages dirtied per round${where}`, spec: roundsChart(rows, variants, `Pages dirtied per round${where}`, 'pages_dirtied') });
    }
    else if (has('phase', 'start_s', 'end_s')) charts.push({ name: `detail-${name}`, title: `Timeline${where}`, spec: timelineChart(rows, variants, `Timeline${where}`) });
    else if (has('vm', 'start_s', 'end_s')) {
      const gantt = ganttChart(rows, variants, `Migrations over time${where}`);
      charts.push({ name: `detail-${name}`, title: `Migrations over time${where}`, spec: gantt.spec, ...(gantt.note ? { note: gantt.note } : {}) });
      const under = underWayChart(rows, variants, `Migrations under way and waiting${where}`);
      charts.push({ name: `detail-${name}-under-way`, title: `Migrations under way and waiting${where}`, spec: under.spec, ...(under.note ? { note: under.note } : {}) });
    } else if (has('link', 't_s', 'utilisation_pct')) {
      const links = linkChart(rows, variants, `The busiest links' utilisation${where}`);
      charts.push({ name: `detail-${name}`, title: `The busiest links' utilisation${where}`, spec: links.spec, ...(links.note ? { note: links.note } : {}) });
    }
  }
  return charts;
}

/** The remaining_bytes column of a run's progress table: at each moment, not only at the end (the metric's name, units.ts). */
const REMAINING = 'Bytes left to send';

/** Live migration: memory not yet at the destination against time, a line per variant. */
export function remainingChart(rows: readonly Row[], variants: readonly string[], title: string): TopLevelSpec {
  const tu = unitFor('t_s', rows.map((r) => (r.t_ms as number) / 1e3));
  const bu = unitFor('remaining_bytes', rows.map((r) => r.remaining_bytes as number));
  const values = rows.map((r) => ({ variant: r.variant, t: inUnit((r.t_ms as number) / 1e3, tu), remaining: inUnit(r.remaining_bytes as number, bu) }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    description: 'Memory not yet at the destination (or stale there) against time since the migration started, one line per variant.',
    data: { values },
    width: 460,
    height: 280,
    mark: { type: 'line', strokeWidth: 1.6, interpolate: 'linear' },
    encoding: {
      x: { field: 't', type: 'quantitative', title: titleWithUnit('t_ms', tu), axis: AXIS_NUMBER },
      y: { field: 'remaining', type: 'quantitative', scale: { zero: true, domainMin: 0 }, title: `${REMAINING} (${bu.symbol})`, axis: AXIS_NUMBER },
      ...seriesEncoding('variant', variants, 'variant', { dash: true }),
      tooltip: [{ field: 'variant' }, { field: 't', type: 'quantitative', format: ',~r' }, { field: 'remaining', type: 'quantitative', format: ',~r' }],
    },
  } as unknown as TopLevelSpec;
}

/** A migration's phases as the rounds table names them, in words, in the order they happen. */
export const ROUND_PHASES: ReadonlyArray<readonly [string, string]> = [
  ['precopy', 'pre-copy (VM runs)'],
  ['downtime', 'stop (VM paused)'],
  ['postcopy', 'post-copy (VM moved)'],
];
const phaseWords = (p: ParamValue | undefined): string => ROUND_PHASES.find(([k]) => k === p)?.[1] ?? String(p ?? '');

/** Bars (a group of one per variant per round) up to this many; a line per variant beyond. */
export const MAX_BARS = 60;
/** The plot's width in pixels, whatever the number of rounds. */
export const ROUNDS_WIDTH = 640;
/** At most this many round numbers on the axis. */
export const MAX_ROUND_TICKS = 16;

/** Round numbers to label: every k-th, k a 1-2-5 step, so at most MAX_ROUND_TICKS. */
export function roundTicks(rounds: readonly number[]): number[] {
  const sorted = [...new Set(rounds)].sort((a, b) => a - b);
  const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
  const k = steps.find((s) => sorted.length / s <= MAX_ROUND_TICKS - 1) ?? Math.ceil(sorted.length / (MAX_ROUND_TICKS - 1));
  return sorted.filter((r) => k === 1 || r % k === 0 || r === sorted[0]);
}

/**
 * Live migration: a per-round quantity (bytes sent, pages dirtied), a colour per variant, the phase
 * of each round marked (pre-copy rounds, the stop, post-copy). Up to MAX_BARS bars, grouped by round;
 * past that, a line per variant with the phases as point shapes; either way ROUNDS_WIDTH wide and
 * round numbers thinned, so 1 round and 1,000 read alike.
 */
export function roundsChart(rows: readonly Row[], variants: readonly string[], title: string, column: 'bytes_sent' | 'pages_dirtied' = 'bytes_sent'): TopLevelSpec {
  const bu = unitFor(column, rows.map((r) => r[column] as number));
  const what = column === 'bytes_sent' ? `Sent in the round (${bu.symbol})` : 'Pages dirtied in the round (pages)';
  const values = rows.map((r) => ({ variant: r.variant, round: r.round, phase: phaseWords(r.phase), value: column === 'bytes_sent' ? inUnit(r[column] as number, bu) : r[column], pages: r.pages_sent, dirtied: r.pages_dirtied }));
  const phases = ROUND_PHASES.map(([, w]) => w).filter((w) => values.some((v) => v.phase === w));
  const others = [...new Set(values.map((v) => v.phase))].filter((p) => !phases.includes(p));
  const phase = { field: 'phase', type: 'ordinal', title: 'phase', scale: { domain: [...phases, ...others] }, legend: { labelLimit: 240 } };
  const y = { field: 'value', type: 'quantitative', title: what, scale: { zero: true, domainMin: 0 }, axis: AXIS_NUMBER };
  const tooltip = [{ field: 'variant' }, { field: 'round', type: 'ordinal' }, { field: 'phase' }, { field: 'pages', title: 'pages sent', type: 'quantitative', format: ',' }, { field: 'dirtied', title: 'pages dirtied', type: 'quantitative', format: ',' }, { field: 'value', title: what, type: 'quantitative', format: ',~r' }];
  const ticks = roundTicks(values.map((v) => v.round as number));
  const base = { $schema: VEGA_LITE_SCHEMA, title, data: { values }, height: 240 };
  const description = `${column === 'bytes_sent' ? 'Bytes' : 'Pages dirtied'} in each round, a colour per variant; the phase of each round (pre-copy while the VM runs, the stop, post-copy) is marked.`;
  // The stop and post-copy written above their round: a phase that is not a pre-copy round is rare.
  const marked = values.some((v) => v.phase !== phaseWords('precopy'));
  const said = { transform: [{ filter: `datum.phase !== '${phaseWords('precopy')}'` }, { calculate: "split(datum.phase, ' (')[0]", as: 'said' }], mark: { type: 'text', dy: -8, fontSize: 9, color: '#444' } };
  if (values.length <= MAX_BARS) {
    const rounds = new Set(values.map((v) => v.round)).size;
    return {
      ...base,
      description,
      // The step sizes each bar (an xOffset splits a round's band): the plot stays ROUNDS_WIDTH at most.
      width: { step: Math.max(6, Math.min(40, Math.floor(ROUNDS_WIDTH / (rounds * variants.length)))) },
      encoding: {
        x: { field: 'round', type: 'ordinal', title: 'Round', axis: { labelAngle: 0, values: ticks } },
        xOffset: { field: 'variant', type: 'nominal', sort: [...variants] },
        y,
      },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: { ...seriesEncoding('variant', variants, 'variant'), fillOpacity: { ...phase, scale: { ...phase.scale, range: [0.95, 0.45, 0.2, 0.7].slice(0, phases.length + others.length) } }, tooltip },
        },
        ...(marked ? [{ ...said, encoding: { text: { field: 'said' } } }] : []),
      ],
    } as unknown as TopLevelSpec;
  }
  const x = { field: 'round', type: 'quantitative', title: 'Round', scale: { zero: false, nice: false }, axis: { format: 'd', values: ticks } };
  return {
    ...base,
    description,
    width: ROUNDS_WIDTH,
    layer: [
      { mark: { type: 'line', strokeWidth: 1.3 }, encoding: { x, y, ...seriesEncoding('variant', variants, 'variant', { dash: true }) } },
      { mark: { type: 'point', filled: true, size: 28, opacity: 0.9 }, encoding: { x, y, color: seriesEncoding('variant', variants, 'variant').color, shape: { ...phase, type: 'nominal', scale: { ...phase.scale, range: ['circle', 'square', 'triangle-up', 'diamond'].slice(0, phases.length + others.length) } }, tooltip } },
      ...(marked ? [{ ...said, encoding: { x, y, text: { field: 'said' } } }] : []),
    ],
  } as unknown as TopLevelSpec;
}

export const ISR_PHASES = ['suspend', 'travel', 'resume', 'run'] as const;

/**
 * ISR timeline with a broken time axis: one panel per phase (suspend, travel, resume, run), each
 * with its own time scale from the phase's start, so an hour of travel does not flatten a minute of
 * resume, nor a late start another variant's run. A bar per variant in each panel, labelled with the
 * phase's duration; the phases' absolute times are in the tooltip and tables/timeline.csv.
 */
export function timelineChart(rows: readonly Row[], variants: readonly string[], title: string): TopLevelSpec {
  const values = rows.map((r) => {
    const d = (r.end_s as number) - (r.start_s as number);
    return { variant: r.variant, phase: r.phase, start: r.start_s, end: r.end_s, from: 0, to: d, duration: formatValueShort(d) };
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    description: 'Suspend, travel, resume and run of each variant; each phase has its own time axis from its start (a broken axis).',
    data: { values },
    facet: { column: { field: 'phase', type: 'nominal', sort: [...ISR_PHASES], title: null, header: { labelFontSize: 12, labelFontWeight: 'bold' } } },
    resolve: { scale: { x: 'independent' } },
    spec: {
      width: 170,
      height: { step: 24 },
      layer: [
        {
          mark: { type: 'bar', stroke: 'white', strokeWidth: 0.5 },
          encoding: {
            y: { field: 'variant', type: 'nominal', sort: [...variants], title: null },
            x: { field: 'from', type: 'quantitative', title: 's since the phase began', axis: { ...AXIS_NUMBER, tickCount: 3 } },
            x2: { field: 'to' },
            ...seriesEncoding('variant', variants, 'variant'),
            tooltip: [{ field: 'variant' }, { field: 'phase' }, { field: 'start', title: 'start (s)', type: 'quantitative', format: ',~r' }, { field: 'end', title: 'end (s)', type: 'quantitative', format: ',~r' }, { field: 'duration' }],
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 },
          encoding: { y: { field: 'variant', type: 'nominal', sort: [...variants], title: null }, x: { field: 'from', type: 'quantitative' }, text: { field: 'duration' } },
        },
      ],
    },
  } as unknown as TopLevelSpec;
}

const formatValueShort = (s: number): string => (s < 1 ? `${Number((s * 1e3).toPrecision(3))} ms` : `${Math.round(s).toLocaleString('en-US')} s`);
