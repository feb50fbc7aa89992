// One point of a sweep looked at closely: the per-run tables (remaining bytes over time, bytes per
// round, the ISR timeline) of every variant at that point, trial 0. The point is the user's
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
    if (has('t_ms', 'remaining_bytes')) charts.push({ name: `detail-${name}`, title: `Bytes left to send over time${where}`, spec: remainingChart(rows, variants, `Bytes left to send over time${where}`) });
    else if (has('round', 'bytes_sent')) charts.push({ name: `detail-${name}`, title: `Bytes sent per round${where}`, spec: roundsChart(rows, variants, `Bytes sent per round${where}`) });
    else if (has('phase', 'start_s', 'end_s')) charts.push({ name: `detail-${name}`, title: `Timeline${where}`, spec: timelineChart(rows, variants, `Timeline${where}`) });
  }
  return charts;
}

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
      x: { field: 't', type: 'quantitative', title: titleWithUnit('t_s', tu).replace(/^T /, 'Time '), axis: AXIS_NUMBER },
      y: { field: 'remaining', type: 'quantitative', title: titleWithUnit('remaining_bytes', bu).replace('Bytes left to send at the end', 'Bytes left to send'), axis: AXIS_NUMBER },
      ...seriesEncoding('variant', variants, 'variant', { dash: true }),
      tooltip: [{ field: 'variant' }, { field: 't', type: 'quantitative', format: ',~r' }, { field: 'remaining', type: 'quantitative', format: ',~r' }],
    },
  } as unknown as TopLevelSpec;
}

/** Live migration: bytes sent in each round, bars grouped by round, a colour per variant. */
export function roundsChart(rows: readonly Row[], variants: readonly string[], title: string): TopLevelSpec {
  const bu = unitFor('bytes_sent', rows.map((r) => r.bytes_sent as number));
  const values = rows.map((r) => ({ variant: r.variant, round: r.round, phase: r.phase, bytes: inUnit(r.bytes_sent as number, bu), pages: r.pages_sent }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    description: 'Bytes (and pages) sent in each round: pre-copy rounds while the VM runs, the stopped round, post-copy.',
    data: { values },
    // With an xOffset the step sizes each bar, not the group of a round.
    width: { step: 9 },
    height: 260,
    mark: 'bar',
    encoding: {
      x: { field: 'round', type: 'ordinal', title: 'Round', axis: { labelAngle: 0 } },
      xOffset: { field: 'variant', type: 'nominal', sort: [...variants] },
      y: { field: 'bytes', type: 'quantitative', title: `Sent in the round (${bu.symbol})`, axis: AXIS_NUMBER },
      ...seriesEncoding('variant', variants, 'variant'),
      tooltip: [{ field: 'variant' }, { field: 'round', type: 'ordinal' }, { field: 'phase' }, { field: 'pages', type: 'quantitative', format: ',' }, { field: 'bytes', title: `sent (${bu.symbol})`, type: 'quantitative', format: ',~r' }],
    },
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
