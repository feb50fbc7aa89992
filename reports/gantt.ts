// Many migrations over time, from a cluster run's `migrations` table (a row per migration): a Gantt
// chart (a bar per migration from its start to its end, a row per VM in order of start, coloured by
// migration policy; the time it waited in the queue lighter before it, its VM's pause in black
// from its first stop for as long as its downtime, a migration that did not converge crossed at its end) and, for any number of migrations,
// how many were under way and how many waited at each moment. A Gantt of 1,000 rows is a strip
// nobody reads: past GANTT_ROWS rows the chart shows an even sample in order of start (the first
// and the last included) and says how many it left out; the count chart shows them all.
import type { TopLevelSpec } from 'vega-lite';
import type { ParamValue } from '../sim/results/record.js';
import { AXIS_NUMBER, COLOURS, VEGA_LITE_SCHEMA, seriesEncoding } from './chart-style.js';
import { formatNumber, inUnit, unitFor } from './units.js';

type Row = Record<string, ParamValue>;

/** Rows of the Gantt chart in all, shared by the variants shown (each gets at least GANTT_MIN_ROWS). */
export const GANTT_ROWS = 60;
export const GANTT_MIN_ROWS = 12;
/** Pixels per row. */
const ROW_STEP = 11;

/** The phases of a migration's bar, as the legend names them. */
export const QUEUED = 'waiting (queued)';
export const MIGRATING = 'migrating (VM runs)';
export const PAUSED = 'VM paused (downtime)';
export const NOT_CONVERGED = 'did not converge';

const num = (v: ParamValue | undefined): number => (typeof v === 'number' ? v : Number.NaN);

/** `cap` items evenly spaced in order, the first and the last among them (all when there are no more). */
export function evenSample<T>(items: readonly T[], cap: number): T[] {
  if (items.length <= cap) return [...items];
  if (cap <= 1) return items.slice(0, cap);
  return Array.from({ length: cap }, (_, i) => items[Math.round((i * (items.length - 1)) / (cap - 1))]);
}

/** A variant's migrations in order of start (then of name), with the rows the chart shows. */
function shownOf(rows: readonly Row[], cap: number): { all: Row[]; shown: Row[] } {
  const all = [...rows].sort((a, b) => num(a.start_s) - num(b.start_s) || String(a.vm).localeCompare(String(b.vm)));
  return { all, shown: evenSample(all, cap) };
}

/** What the chart left out, in words (empty when it shows every migration). */
export function ganttNote(total: number, shown: number, variants: number): string {
  if (shown >= total) return '';
  const per = variants > 1 ? ' per variant' : '';
  return `Showing ${formatNumber(shown)} of ${formatNumber(total)} migrations${per} (an even sample in order of start, the first and the last included); migrations.csv has every one, and the chart of migrations under way counts them all.`;
}

/** Time of the operation in the unit its length calls for (s, or ms for an operation under a second). */
function timeUnit(rows: readonly Row[]): ReturnType<typeof unitFor> {
  const ends = rows.map((r) => num(r.end_s)).filter(Number.isFinite);
  // A loop, not Math.max(...ends): 100,000 arguments overflow the stack.
  return unitFor('t_s', [ends.reduce((m, e) => Math.max(m, e), 1e-9)]);
}

/**
 * The Gantt chart of one point's migrations (trial 0), one panel per variant. `rows` carry a
 * `variant` column beside the migrations table's own.
 */
export function ganttChart(rows: readonly Row[], variants: readonly string[], title: string): { spec: TopLevelSpec; note: string } {
  const cap = Math.max(GANTT_MIN_ROWS, Math.floor(GANTT_ROWS / Math.max(1, variants.length)));
  const tu = timeUnit(rows);
  const t = (v: ParamValue | undefined): number | null => (Number.isFinite(num(v)) ? inUnit(num(v), tu) : null);
  const bars: Array<Record<string, unknown>> = [];
  const marks: Array<Record<string, unknown>> = [];
  let total = 0;
  let shownCount = 0;
  for (const v of variants) {
    const { all, shown } = shownOf(rows.filter((r) => r.variant === v), cap);
    total = Math.max(total, all.length);
    shownCount = Math.max(shownCount, shown.length);
    shown.forEach((r, k) => {
      const base = { variant: v, vm: String(r.vm), row: k, policy: String(r.migration_policy ?? ''), route: `${String(r.from_host)} → ${String(r.to_host)}`, start: t(r.start_s), end: t(r.end_s), downtime_ms: Number.isFinite(num(r.downtime_ms)) ? num(r.downtime_ms) : null, queued: t(r.queued_s), converged: num(r.converged) === 1 ? 'yes' : 'no' };
      const queued = num(r.queued_s);
      if (queued > 0) bars.push({ ...base, phase: QUEUED, from: t(num(r.start_s) - queued), to: t(r.start_s) });
      bars.push({ ...base, phase: MIGRATING, from: t(r.start_s), to: t(r.end_s), outline: base.policy });
      // The pause as long as it lasted (its first stop to the downtime's end); the outline keeps a
      // pause of a few ms in sight.
      if (Number.isFinite(num(r.downtime_start_s))) marks.push({ ...base, what: PAUSED, at: t(r.downtime_start_s), until: t(num(r.downtime_start_s) + (Number.isFinite(num(r.downtime_ms)) ? num(r.downtime_ms) / 1e3 : 0)) });
      if (num(r.converged) === 0) marks.push({ ...base, what: NOT_CONVERGED, at: t(r.end_s) });
    });
  }
  const note = ganttNote(total, shownCount, variants.length);
  const policies = [...new Set(bars.map((b) => b.policy as string))];
  const phases = [QUEUED, MIGRATING].filter((p) => bars.some((b) => b.phase === p));
  // Each panel layers only the marks its variant has: an empty layer has no extent on the shared axis.
  const layer = (v: string) => ganttLayers(policies, phases, marks.filter((m) => m.variant === v), tu.symbol);
  const description = `Each migration's bar from its start to its end, a row per VM (in order of start), a panel per variant; ${note || 'every migration is shown.'}`;
  const base = { $schema: VEGA_LITE_SCHEMA, title: note ? { text: title, subtitle: `${formatNumber(shownCount)} of ${formatNumber(total)} migrations shown` } : title, description, data: { values: [...bars, ...marks] } };
  // A short axis title: a long one, turned, would stand far above a panel of a few rows.
  const y = { field: 'vm', type: 'nominal', title: 'VM', sort: { field: 'row', op: 'min' }, axis: { labelFontSize: 9, labelLimit: 120 } };
  const inner = { width: 560, height: { step: ROW_STEP }, encoding: { y } };
  // A panel per variant (one for one), each with its own rows: a facet cannot give layers of one
  // source their own rows.
  const panels = variants.map((v) => ({ title: { text: v, anchor: 'start', fontSize: 12 }, transform: [{ filter: { field: 'variant', equal: v } }], ...inner, layer: layer(v) }));
  return { spec: { ...base, vconcat: panels, spacing: 14, resolve: { scale: { x: 'shared', y: 'independent' } } } as unknown as TopLevelSpec, note };
}

function ganttLayers(policies: readonly string[], phases: readonly string[], marks: ReadonlyArray<Record<string, unknown>>, unit: string): unknown[] {
  const x = { field: 'from', type: 'quantitative', title: `Time since the operation began (${unit})`, scale: { zero: true, domainMin: 0, nice: false }, axis: AXIS_NUMBER };
  const tooltip = [
    { field: 'vm', title: 'VM' },
    { field: 'variant' },
    { field: 'policy', title: 'migration policy' },
    { field: 'route', title: 'from → to' },
    { field: 'queued', title: `queued (${unit})`, type: 'quantitative', format: ',~r' },
    { field: 'start', title: `start (${unit})`, type: 'quantitative', format: ',~r' },
    { field: 'end', title: `end (${unit})`, type: 'quantitative', format: ',~r' },
    { field: 'downtime_ms', title: 'downtime (ms)', type: 'quantitative', format: ',~r' },
    { field: 'converged' },
  ];
  const layers: unknown[] = [
    {
      transform: [{ filter: 'isValid(datum.phase)' }],
      // The outline keeps a migration far shorter than a pixel of the axis in sight.
      mark: { type: 'bar', cornerRadius: 1, strokeWidth: 1 },
      encoding: {
        x,
        x2: { field: 'to' },
        color: { field: 'policy', type: 'nominal', title: 'migration policy', scale: { domain: [...policies], range: COLOURS.slice(0, Math.max(1, policies.length)) } },
        stroke: { field: 'outline', type: 'nominal', scale: { domain: [...policies], range: COLOURS.slice(0, Math.max(1, policies.length)) }, legend: null },
        // The phase's legend in the first policy's colour: black would read as a pause.
        opacity: { field: 'phase', type: 'ordinal', title: 'phase', sort: [...phases], scale: { domain: [...phases], range: phases.length === 2 ? [0.3, 0.95] : [0.95] }, legend: { symbolType: 'square', symbolFillColor: COLOURS[0], symbolStrokeColor: COLOURS[0] } },
        tooltip,
      },
    },
  ];
  const x2 = { ...x, field: 'at' };
  if (marks.some((m) => m.what === PAUSED)) {
    layers.push({
      transform: [{ filter: `datum.what === '${PAUSED}'` }],
      mark: { type: 'bar', opacity: 1, stroke: '#111', strokeWidth: 1.5 },
      encoding: { x: x2, x2: { field: 'until' }, fill: { datum: PAUSED, type: 'nominal', title: null, scale: { domain: [PAUSED], range: ['#111'] }, legend: { labelLimit: 240 } }, tooltip },
    });
  }
  if (marks.some((m) => m.what === NOT_CONVERGED)) {
    layers.push({
      transform: [{ filter: `datum.what === '${NOT_CONVERGED}'` }],
      mark: { type: 'point', size: 60, strokeWidth: 1.5, filled: false, opacity: 1, color: '#c0392b' },
      encoding: { x: x2, shape: { datum: NOT_CONVERGED, type: 'nominal', title: null, scale: { domain: [NOT_CONVERGED], range: ['M-1,-1L1,1M1,-1L-1,1'] }, legend: { symbolStrokeColor: '#c0392b', symbolStrokeWidth: 1.5, labelLimit: 240 } }, tooltip },
    });
  }
  return layers;
}

/** Migrations waiting and under way at each moment (a step per start, end and queueing). */
export function underWay(rows: readonly Row[]): Array<{ state: string; t: number; count: number }> {
  const steps: Array<[number, string, number]> = [];
  for (const r of rows) {
    const start = num(r.start_s);
    const queued = num(r.queued_s);
    if (queued > 0) steps.push([start - queued, QUEUED, 1], [start, QUEUED, -1]);
    if (Number.isFinite(start)) steps.push([start, MIGRATING, 1]);
    if (Number.isFinite(start) && Number.isFinite(num(r.end_s))) steps.push([num(r.end_s), MIGRATING, -1]);
  }
  steps.sort((a, b) => a[0] - b[0]);
  const count: Record<string, number> = { [QUEUED]: 0, [MIGRATING]: 0 };
  const out: Array<{ state: string; t: number; count: number }> = [];
  const states = steps.some((s) => s[1] === QUEUED) ? [QUEUED, MIGRATING] : [MIGRATING];
  // From nothing under way at 0, unless something starts at 0 (no vertical line at the origin).
  if (!(steps[0]?.[0] <= 0)) for (const s of states) out.push({ state: s, t: 0, count: 0 });
  const said: Record<string, number> = {};
  for (let i = 0; i < steps.length; i++) {
    count[steps[i][1]] += steps[i][2];
    // One point per moment (every step at the same time counted first), and only where a count
    // changed or the chart ends: a step line between them draws the same.
    if (i + 1 < steps.length && steps[i + 1][0] === steps[i][0]) continue;
    const last = i + 1 === steps.length;
    for (const s of states) {
      if (said[s] === count[s] && !last) continue;
      said[s] = count[s];
      out.push({ state: s, t: steps[i][0], count: count[s] });
    }
  }
  return out;
}

/** A line of more steps than this is drawn in UNDER_WAY_BINS slices of time (its data a few hundred kB, not MB). */
export const UNDER_WAY_STEPS = 4000;
export const UNDER_WAY_BINS = 1000;

/** The steps as they are, or, past UNDER_WAY_STEPS, each state's highest count in each slice of time (at the slice's start), and the last step. */
export function peaks(points: ReturnType<typeof underWay>): ReturnType<typeof underWay> {
  if (points.length <= UNDER_WAY_STEPS) return points;
  const end = points.reduce((m, p) => Math.max(m, p.t), 0);
  const width = end / UNDER_WAY_BINS;
  const out: ReturnType<typeof underWay> = [];
  for (const state of [...new Set(points.map((p) => p.state))]) {
    const own = points.filter((p) => p.state === state);
    const high = new Array<number>(UNDER_WAY_BINS).fill(-1);
    // A count holds from its step to the next: it is the count at the start of every slice it spans.
    own.forEach((p, i) => {
      const until = i + 1 < own.length ? own[i + 1].t : end;
      const last = Math.min(UNDER_WAY_BINS - 1, Math.floor(until / width));
      for (let b = Math.min(UNDER_WAY_BINS - 1, Math.floor(p.t / width)); b <= last; b++) if (until > b * width || b * width === p.t) high[b] = Math.max(high[b], p.count);
    });
    high.forEach((c, b) => c >= 0 && out.push({ state, t: b * width, count: c }));
    out.push(own[own.length - 1]);
  }
  return out;
}

/** Variants whose lines lie on an earlier variant's everywhere, in words (empty when none does). */
function sameLines(series: ReadonlyArray<readonly [string, string]>): string {
  const pairs = series.flatMap(([v, line], i) => {
    const under = series.slice(0, i).find(([, l]) => l === line);
    return under === undefined ? [] : [`${v} lies on ${under[0]}`];
  });
  return pairs.length === 0 ? '' : `Identical lines: ${pairs.join('; ')}.`;
}

/** How many migrations waited and ran at each moment, a line per variant (solid: under way; dashed: waiting). */
export function underWayChart(rows: readonly Row[], variants: readonly string[], title: string): { spec: TopLevelSpec; note: string } {
  const tu = timeUnit(rows);
  const exact = variants.map((v) => [v, underWay(rows.filter((r) => r.variant === v))] as const);
  const series = exact.map(([v, points]) => [v, peaks(points)] as const);
  const values = series.flatMap(([v, points]) => points.map((p) => ({ variant: v, state: p.state, t: inUnit(p.t, tu), count: p.count })));
  const states = [MIGRATING, QUEUED].filter((s) => values.some((v) => v.state === s));
  const binned = series.some(([, points], i) => points !== exact[i][1]) ? `Drawn in ${formatNumber(UNDER_WAY_BINS)} slices of time, each at the highest count within it (migrations.csv has every start and end).` : '';
  const note = [sameLines(exact.map(([v, points]) => [v, JSON.stringify(points)] as const)), binned].filter(Boolean).join(' ');
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title,
    description: 'How many migrations were under way (solid) and how many waited for their turn (dashed) at each moment, a colour per variant.',
    data: { values },
    width: 560,
    height: 200,
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.6 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: `Time since the operation began (${tu.symbol})`, scale: { zero: true, domainMin: 0, nice: false }, axis: AXIS_NUMBER },
      y: { field: 'count', type: 'quantitative', title: 'Migrations (count)', scale: { zero: true, domainMin: 0 }, axis: { format: ',d', tickMinStep: 1 } },
      ...seriesEncoding('variant', variants, 'variant'),
      strokeDash: { field: 'state', type: 'nominal', title: 'migrations', scale: { domain: states, range: [[1, 0], [5, 3]].slice(0, states.length) } },
      detail: { field: 'state' },
      tooltip: [{ field: 'variant' }, { field: 'state', title: 'migrations' }, { field: 't', title: `time (${tu.symbol})`, type: 'quantitative', format: ',~r' }, { field: 'count', type: 'quantitative' }],
    },
  };
  return { spec: spec as unknown as TopLevelSpec, note };
}
