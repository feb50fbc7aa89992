// Sweep charts from the aggregate: a metric's mean against a swept parameter, one series per variant
// (colour, marker and dash, in the order given), the 95% interval of the mean as error bars, further
// swept parameters as facets. Titles in words with the unit the values are shown in, chosen by
// magnitude (s, ms, GB, Mbit/s); log axes where values span decades; with no numeric parameter, a
// bar per point, or a dot where the axis is logarithmic (a bar on a log axis would rise from an
// arbitrary floor), each labelled in full with what tells it apart, a panel per variant when there
// are too many for one. Points where runs did not reach their goal (a migration that did not converge)
// are marked with a cross: on the point where the metric still has a value (over the runs that
// have one), else in a strip of their own below the plot, a row per variant, outside the value axis
// (a cross on a log axis would read as a value), with its own legend entry.
import type { TopLevelSpec } from 'vega-lite';
import type { ParamValue } from '../sim/results/record.js';
import { appliesTo, type Aggregate, type AggregateRow } from './aggregate.js';
import { AXIS_NUMBER, VEGA_LITE_SCHEMA, finiteOrNull, seriesEncoding, spansDecades, type Chart } from './chart-style.js';
import { tradeoffCharts } from './tradeoff.js';
import { headlineMetrics } from './headline.js';
import { formatParam, inUnit, label, quantityOf, titleWithUnit, unitFor, type Unit } from './units.js';

export type { Chart } from './chart-style.js';

/** Counters of the simulation itself (not of the migration): in the CSV, not in the report. */
export const NOT_CHARTED = new Set(['events', 'transfers']);

/** Whether a metric's per-point means differ anywhere (NaN counts as a value of its own). */
export function varies(rows: ReadonlyArray<{ mean: number }>): boolean {
  const first = rows[0]?.mean;
  return rows.some((r) => !Object.is(r.mean, first));
}

const key = (v: ParamValue | undefined): string => (typeof v === 'number' ? String(Number(v.toPrecision(12))) : String(v ?? ''));

/** Variants in the order the records first show them (the grid's order). */
export const variantsOf = (rows: ReadonlyArray<{ variant: string }>): string[] => [...new Set(rows.map((r) => r.variant))];

/** The parameters that take more than one value, and of those the numeric ones to draw along x. */
export function sweptAxes(agg: Aggregate): { swept: string[]; xs: string[] } {
  const swept = agg.params.filter((p) => new Set(agg.rows.map((r) => key(r.params[p]))).size > 1);
  const numeric = swept.filter((p) => agg.rows.every((r) => typeof r.params[p] === 'number'));
  // A parameter with only two values makes a poor x axis when another one has more.
  const xs = numeric.filter((p) => new Set(agg.rows.map((r) => r.params[p])).size >= 3);
  return { swept, xs: xs.length > 0 ? xs : numeric };
}

/** The goal metric is charted as the share of runs that reached it, in percent. */
function shownMean(r: AggregateRow, goal: string | undefined): { mean: number; lo: number; hi: number } {
  if (r.metric === goal) return { mean: r.runs > 0 ? (100 * r.reached) / r.runs : NaN, lo: NaN, hi: NaN };
  return { mean: r.mean, lo: r.ci95_low, hi: r.ci95_high };
}

function yUnit(metric: string, goal: string | undefined, rows: readonly AggregateRow[]): Unit & { toBase: number } {
  if (metric === goal) return { symbol: '%', factor: 1, toBase: 1 };
  return unitFor(metric, rows.flatMap((r) => [r.mean, r.ci95_high]));
}

/** Every chart of a sweep: headline metrics of the kind first, then every other metric that varies. */
export function sweepCharts(agg: Aggregate, scenario: string, kind = ''): Chart[] {
  const { swept, xs } = sweptAxes(agg);
  const head = headlineMetrics(kind, agg.metrics);
  const order = [...head, ...agg.metrics.filter((m) => !head.includes(m))];
  const charts: Chart[] = [];
  for (const metric of order) {
    if (NOT_CHARTED.has(metric)) continue;
    const rows = agg.rows.filter((r) => r.metric === metric);
    // A metric with one value everywhere (a post-copy counter in a stop-and-copy sweep) is a flat
    // line: the CSV has it, the charts leave it out.
    if (!varies(rows) && !(metric === agg.goal && rows.some((r) => r.reached < r.runs))) continue;
    const headline = head.includes(metric);
    const note = [missingNote(agg, rows, metric), overlapNote(rows)].filter(Boolean).join(' ') || undefined;
    if (xs.length === 0) {
      const spec = byPoint(rows, metric, swept, scenario, agg.goal);
      charts.push({ name: metric, title: spec.title as string, spec: spec as unknown as TopLevelSpec, headline, note });
      continue;
    }
    for (const x of xs) {
      const spec = metricVsParam(rows, metric, x, swept.filter((p) => p !== x), scenario, agg.goal);
      charts.push({ name: `${metric}-vs-${x}`, title: spec.title as string, spec: spec as unknown as TopLevelSpec, headline, note });
    }
  }
  // The trade-off charts follow the headline metrics' own (which come first).
  charts.splice(charts.filter((c) => c.headline).length, 0, ...tradeoffCharts(agg, swept, xs, scenario, kind));
  return charts;
}

function missingNote(agg: Aggregate, rows: readonly AggregateRow[], metric: string): string | undefined {
  if (agg.goal === undefined || metric === agg.goal) return undefined;
  const short = rows.filter((r) => r.reached < r.runs);
  if (short.length === 0) return undefined;
  const none = short.some((r) => r.n === 0);
  const some = short.some((r) => r.n > 0);
  const where = [some ? 'on the point where the metric has a value (over all runs)' : '', none ? `in the "no value" strip under the plot where it has none (${label(metric).toLowerCase()} is missing for such runs; the line breaks)` : ''].filter(Boolean).join('; ');
  return `✕ marks points where runs did not reach their goal (${agg.goal} = 0): ${where}.`;
}

/** Series that lie on top of each other (means within 2% wherever both have one), said in words. */
function overlapNote(rows: readonly AggregateRow[]): string | undefined {
  const variants = variantsOf(rows);
  const at = new Map(rows.map((r) => [JSON.stringify([r.variant, r.params]), r.mean]));
  const pairs: string[] = [];
  for (let i = 0; i < variants.length; i++) {
    for (let j = i + 1; j < variants.length; j++) {
      const both = rows.filter((r) => r.variant === variants[i]).map((r) => [r.mean, at.get(JSON.stringify([variants[j], r.params]))] as const).filter(([a, b]) => Number.isFinite(a) && b !== undefined && Number.isFinite(b));
      if (both.length > 0 && both.every(([a, b]) => Math.abs(a - b!) <= 0.02 * Math.max(Math.abs(a), Math.abs(b!)))) pairs.push(`${variants[j]} lies on ${variants[i]}`);
    }
  }
  return pairs.length === 0 ? undefined : `Overlapping series (within 2% at every point): ${pairs.join('; ')}.`;
}

/** Height of the no-value strip under the plot: its name on a row of its own, then a row of crosses per variant. */
const stripHeight = (variants: number): number => 22 + 9 * variants;
/** Pixel row of a variant's crosses in the strip (the strip spans the plot's bottom `strip` pixels), below the strip's name. */
const crossY = (height: number, strip: number, k: number): number => height - strip + 20 + 9 * k;
/** The legend entry of the no-value crosses: "no value (not converged)" (the symbol is the cross). */
export const noValueLegend = (goal: string | undefined): string => `no value (not ${goal ?? 'reached'})`;
/** Vega's legend and axis label size. */
const LEGEND_FONT = 10;
const AXIS_LABEL_FONT = 10;
/** A labelLimit that keeps a text of `chars` characters whole: Vega's width estimate on Node is 0.8 em a character, and it truncates a label past its limit. */
const labelLimitFor = (chars: number, fontSize: number): number => Math.ceil(0.8 * chars * fontSize) + 8;
const legendLimit = (text: string): number => labelLimitFor([...text].length, LEGEND_FONT);

/**
 * The strip's marks: a rule above it, its name (on a row above the crosses, which can sit at the
 * axis' very start), and a cross per variant and point without a value.
 */
function noValueLayers(xEnc: unknown, height: number, strip: number, goal: string | undefined, colour: unknown, tooltip: unknown): unknown[] {
  const legend = noValueLegend(goal);
  return [
    { mark: { type: 'rule', color: '#999', strokeDash: [3, 3] }, encoding: { y: { value: height - strip + 2 } } },
    { mark: { type: 'text', align: 'left', baseline: 'top', fontSize: 9, color: '#777', text: 'no value' }, encoding: { x: { value: 2 }, y: { value: height - strip + 4 } } },
    {
      transform: [{ filter: 'isValid(datum.cross_y)' }],
      mark: { type: 'point', shape: 'cross', angle: 45, size: 60, strokeWidth: 0.6, filled: true, opacity: 1 },
      encoding: {
        x: xEnc,
        y: { field: 'cross_y', type: 'quantitative', scale: null },
        color: colour,
        stroke: { datum: legend, type: 'nominal', scale: { range: ['#222'] }, legend: { title: null, symbolType: 'cross', orient: 'right', labelFontSize: LEGEND_FONT, labelLimit: legendLimit(legend) } },
        tooltip,
      },
    },
  ];
}

interface Datum {
  variant: string;
  x: number | string;
  facet: string;
  facet_order: number;
  mean: number | null;
  lo: number | null;
  hi: number | null;
  n: number;
  runs: number;
  reached: number;
  cross_y: number | null;
  cross_mean: number | null;
  missing: string;
}

function data(rows: readonly AggregateRow[], metric: string, others: readonly string[], goal: string | undefined, unit: Unit & { toBase: number }, height: number, strip: number, x: (r: AggregateRow) => number | string): Datum[] {
  const variants = variantsOf(rows);
  const facets = new Map<string, number>();
  return rows.map((r) => {
    const facet = others.map((p) => `${label(p)} = ${formatParam(p, r.params[p])}`).join(', ');
    if (!facets.has(facet)) facets.set(facet, facets.size);
    const s = shownMean(r, goal);
    // A metric that does not apply to the variant is no value it failed to reach: no cross.
    const short = r.reached < r.runs && metric !== goal && appliesTo(rows, r.variant, metric);
    return {
      variant: r.variant,
      x: x(r),
      facet,
      facet_order: facets.get(facet)!,
      mean: finiteOrNull(inUnit(s.mean, unit)),
      // No metric charted here can be negative: an interval of the mean does not reach below zero.
      lo: finiteOrNull(Math.max(0, inUnit(s.lo, unit))),
      hi: finiteOrNull(inUnit(s.hi, unit)),
      n: r.n,
      runs: r.runs,
      reached: r.reached,
      // A point with no value gets its cross in the strip; one with a value, on the point.
      cross_y: short && !Number.isFinite(s.mean) ? crossY(height, strip, variants.indexOf(r.variant)) : null,
      cross_mean: short && Number.isFinite(s.mean) ? finiteOrNull(inUnit(s.mean, unit)) : null,
      missing: short ? `${r.runs - r.reached} of ${r.runs} runs did not reach the goal` : '',
    };
  });
}

/** Whether some point has runs that missed their goal and no value of the metric at all. */
const needsStrip = (rows: readonly AggregateRow[], metric: string, goal: string | undefined): boolean =>
  metric !== goal && rows.some((r) => r.reached < r.runs && !Number.isFinite(r.mean) && appliesTo(rows, r.variant, metric));

function metricVsParam(rows: readonly AggregateRow[], metric: string, x: string, others: readonly string[], scenario: string, goal: string | undefined): Record<string, unknown> {
  const faceted = others.length > 0;
  const height = faceted ? 200 : 280;
  const yu = yUnit(metric, goal, rows);
  const xu = unitFor(x, rows.map((r) => r.params[x] as number));
  const variants = variantsOf(rows);
  const strip = needsStrip(rows, metric, goal) ? stripHeight(variants.length) : 0;
  const values = data(rows, metric, others, goal, yu, height, strip, (r) => inUnit(r.params[x] as number, xu));
  const logX = spansDecades(values.map((v) => v.x as number));
  const logY = spansDecades(values.flatMap((v) => (v.mean === null ? [] : [v.mean])));
  const xTitle = titleWithUnit(x, xu);
  const yTitle = titleWithUnit(metric, yu);
  // A count (VMs at once, hosts) has no ticks between its values.
  const whole = quantityOf(x).quantity === 'count' && values.every((v) => Number.isInteger(v.x));
  const xEnc = { field: 'x', type: 'quantitative', title: xTitle, scale: logX ? { type: 'log' } : { type: 'linear', zero: false }, axis: whole && !logX ? { ...AXIS_NUMBER, tickMinStep: 1 } : AXIS_NUMBER };
  const yScale = { ...(logY ? { type: 'log' } : { type: 'linear', zero: true, domainMin: 0 }), ...(strip > 0 ? { range: [height - strip - 6, 0] } : {}) };
  const y = { field: 'mean', type: 'quantitative', title: yTitle, scale: yScale, axis: AXIS_NUMBER };
  const series = 'variant';
  const tooltip = [
    { field: 'variant' },
    { field: 'x', title: xTitle, type: 'quantitative', format: ',~r' },
    { field: 'mean', title: yTitle, type: 'quantitative', format: ',~r' },
    { field: 'n', title: 'runs with a value', type: 'quantitative' },
    { field: 'runs', type: 'quantitative' },
  ];
  const barFilter = logY ? 'isValid(datum.lo) && datum.lo > 0' : 'isValid(datum.lo)';
  const layer: unknown[] = [
    { mark: { type: 'line', strokeWidth: 1.6 }, encoding: { x: xEnc, y, ...seriesEncoding(series, variants, 'variant', { dash: true }) } },
    { transform: [{ filter: barFilter }], mark: { type: 'errorbar', ticks: true }, encoding: { x: xEnc, y: { ...y, field: 'lo' }, y2: { field: 'hi' }, color: seriesEncoding(series, variants, 'variant').color } },
    { mark: { type: 'point', filled: true, size: 70, opacity: 0.85, stroke: 'white', strokeWidth: 0.5 }, encoding: { x: xEnc, y, ...seriesEncoding(series, variants, 'variant', { shape: true }), tooltip } },
  ];
  const crossTip = [{ field: 'variant' }, { field: 'x', title: xTitle, type: 'quantitative', format: ',~r' }, { field: 'missing', title: 'not reached' }];
  if (strip > 0) layer.push(...noValueLayers(xEnc, height, strip, goal, seriesEncoding(series, variants, 'variant').color, crossTip));
  if (values.some((v) => v.cross_mean !== null)) {
    layer.push({
      transform: [{ filter: 'isValid(datum.cross_mean)' }],
      mark: { type: 'point', shape: 'cross', angle: 45, size: 150, strokeWidth: 1.5, filled: false, color: '#222', opacity: 1 },
      encoding: { x: xEnc, y: { ...y, field: 'cross_mean' }, tooltip: crossTip },
    });
  }
  const title = `${yTitle} against ${label(x).toLowerCase()}`;
  const description = `${scenario}: ${label(metric).toLowerCase()} (mean over trials, ${yu.symbol || 'count'}) against ${label(x).toLowerCase()}; error bars show the 95% interval of the mean.`;
  const base = { $schema: VEGA_LITE_SCHEMA, title, description, data: { values } };
  if (!faceted) return { ...base, width: 460, height, layer };
  return {
    ...base,
    facet: { field: 'facet', type: 'nominal', title: null, sort: { field: 'facet_order', op: 'min' } },
    columns: 3,
    spec: { width: 260, height, layer },
  };
}

/** A bar's width and the widest a bar chart grows before its bars narrow (down to the least step). */
const BAR_STEP = 48;
const BAR_CHART_MAX_WIDTH = 720;
const BAR_STEP_MIN = 14;
/** The least step at which all bars share one panel. */
const BAR_STEP_READABLE = 24;

/**
 * The bar axis: each bar labelled with only what tells it from the others in its panel (its variant
 * where several share the panel, the swept values), the names once in the axis title ("Variant, VM
 * working set"), every label whole (a limit from Vega's estimate), in the records' order. Bars narrow
 * past the widest chart, their labels upright once slanted ones would touch; more bars than fit
 * at a readable step get a panel per variant.
 */
function barAxis(rows: readonly AggregateRow[], swept: readonly string[]): { text: (r: AggregateRow) => string; panels: boolean; step: number; x: Record<string, unknown> } {
  const variants = variantsOf(rows);
  // A parameter with one value where it is set (a pre-copy setting post-copy lacks) tells no two bars of a variant apart: said once, after the names.
  const valuesOf = (p: string): string[] => [...new Set(rows.flatMap((r) => (r.params[p] === undefined ? [] : [formatParam(p, r.params[p])])))];
  const shown = swept.filter((p) => valuesOf(p).length > 1);
  const fixed = swept.filter((p) => valuesOf(p).length === 1).map((p) => `${label(p).toLowerCase()} ${valuesOf(p)[0]}`);
  const params = (r: AggregateRow): string[] => shown.map((p) => (r.params[p] === undefined ? '–' : formatParam(p, r.params[p])));
  const panels = variants.length > 1 && shown.length > 0 && new Set(rows.map((r) => JSON.stringify([r.variant, ...params(r)]))).size * BAR_STEP_READABLE > BAR_CHART_MAX_WIDTH;
  const withVariant = (variants.length > 1 && !panels) || shown.length === 0;
  const text = (r: AggregateRow): string => [...(withVariant ? [r.variant] : []), ...params(r)].join(', ');
  const names = [...(withVariant ? ['Variant'] : []), ...shown.map((p) => label(p))].join(', ');
  const title = fixed.length === 0 ? names : `${names} (${fixed.join(', ')} where set)`;
  const longest = rows.reduce((m, r) => Math.max(m, [...text(r)].length), 0);
  const bars = panels ? Math.max(...variants.map((v) => new Set(rows.filter((r) => r.variant === v).map(text)).size)) : new Set(rows.map(text)).size;
  const step = Math.max(BAR_STEP_MIN, Math.min(BAR_STEP, Math.floor(BAR_CHART_MAX_WIDTH / Math.max(1, bars))));
  // Slanted labels 30° apart lie step/2 apart: a line of text needs about 1.2 em.
  const angle = step / 2 >= 1.2 * AXIS_LABEL_FONT ? -30 : -90;
  const order = [...new Set(rows.map(text))];
  const x = { field: 'x', type: 'nominal', title, sort: order, axis: { labelAngle: angle, labelFontSize: AXIS_LABEL_FONT, labelLimit: labelLimitFor(longest, AXIS_LABEL_FONT) } };
  return { text, panels, step, x };
}

/** Whether a layer shown only where a field is valid (error bars, crosses) has anything to draw: an empty one's scale extent is infinite. */
function drawsAny(layer: unknown, values: readonly Datum[]): boolean {
  const filter = (layer as { transform?: Array<{ filter?: unknown }> }).transform?.[0]?.filter;
  const field = typeof filter === 'string' ? /^isValid\(datum\.(\w+)\)/.exec(filter)?.[1] : undefined;
  return field === undefined || values.some((d) => d[field as keyof Datum] !== null);
}

function byPoint(rows: readonly AggregateRow[], metric: string, swept: readonly string[], scenario: string, goal: string | undefined): Record<string, unknown> {
  const axis = barAxis(rows, swept);
  const height = axis.panels ? 200 : 260;
  const yu = yUnit(metric, goal, rows);
  const variants = variantsOf(rows);
  const strip = needsStrip(rows, metric, goal) ? stripHeight(1) : 0;
  const values = data(rows, metric, [], goal, yu, height, strip, axis.text).map((v) => (v.cross_y === null ? v : { ...v, cross_y: crossY(height, strip, 0) }));
  const logY = spansDecades(values.flatMap((v) => (v.mean === null ? [] : [v.mean])));
  const yTitle = titleWithUnit(metric, yu);
  const y = { field: 'mean', type: 'quantitative', title: yTitle, scale: { ...(logY ? { type: 'log' } : { type: 'linear', zero: true, domainMin: 0 }), ...(strip > 0 ? { range: [height - strip - 6, 0] } : {}) }, axis: AXIS_NUMBER };
  const xEnc = axis.x;
  const colour = seriesEncoding('variant', variants, 'variant');
  const tooltip = [{ field: 'variant' }, { field: 'x', title: 'point' }, { field: 'mean', title: yTitle, type: 'quantitative', format: ',~r' }, { field: 'n', title: 'runs with a value', type: 'quantitative' }];
  // On a log axis a bar would rise from an arbitrary floor: a dot at the mean instead.
  const main = logY
    ? { mark: { type: 'point', filled: true, size: 80 }, encoding: { x: xEnc, y, ...seriesEncoding('variant', variants, 'variant', { shape: true }), tooltip } }
    : { mark: 'bar', encoding: { x: xEnc, y, ...colour, tooltip } };
  const layer: unknown[] = [
    main,
    { transform: [{ filter: logY ? 'isValid(datum.lo) && datum.lo > 0' : 'isValid(datum.lo)' }], mark: { type: 'errorbar', ticks: true }, encoding: { x: xEnc, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } },
  ];
  const tip = [{ field: 'variant' }, { field: 'x', title: 'point' }, { field: 'missing', title: 'not reached' }];
  if (strip > 0) layer.push(...noValueLayers(xEnc, height, strip, goal, { value: '#c0392b' }, tip));
  if (values.some((v) => v.cross_mean !== null)) {
    layer.push({
      transform: [{ filter: 'isValid(datum.cross_mean)' }],
      mark: { type: 'point', shape: 'cross', angle: 45, size: 150, strokeWidth: 1.5, filled: false, color: '#222', opacity: 1 },
      encoding: { x: xEnc, y: { ...y, field: 'cross_mean' }, tooltip: tip },
    });
  }
  const base = {
    $schema: VEGA_LITE_SCHEMA,
    title: `${yTitle} by variant`,
    description: `${scenario}: mean ${label(metric).toLowerCase()} per point over trials, with the 95% interval of the mean.`,
    data: { values },
  };
  if (!axis.panels) return { ...base, width: { step: axis.step }, height, layer };
  // A panel per variant, one under another, each with its own bars (its own data: a facet with its
  // own x scale per panel warns that layers filtered differently are different sources).
  return {
    $schema: base.$schema,
    title: base.title,
    description: base.description,
    vconcat: variants.map((v) => {
      const mine = values.filter((d) => d.variant === v);
      return { title: { text: v, fontSize: 11 }, data: { values: mine }, width: { step: axis.step }, height, layer: layer.filter((l) => drawsAny(l, mine)) };
    }),
    resolve: { scale: { y: 'shared' } },
  };
}
