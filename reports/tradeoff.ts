// The trade-off a policy makes, in one picture: the migration's downtime (and its total time)
// against the work its guest lost, a mark per variant and point, the points of a variant joined in
// the order of the swept parameter and labelled with its value where the label has room
// (point-labels.ts: no label over another or over a mark; every value is in the tooltip). A policy
// that wins on one axis and pays on the other sits in a corner of its own. Only where the records
// carry the guest's cost (`guest_lost_s`); points where either value is missing (a run that did not
// converge, a metric that does not apply) are left out, never drawn as zeros. A cluster
// operation's: its worst downtime and the background traffic's loss against its makespan.
import type { TopLevelSpec } from 'vega-lite';
import type { Aggregate, AggregateRow } from './aggregate.js';
import { AXIS_NUMBER, VEGA_LITE_SCHEMA, seriesEncoding, spansDecades, type Chart } from './chart-style.js';
import { formatParam, inUnit, label, titleWithUnit, unitFor } from './units.js';
import { axisDomain, LABEL_DX, LABEL_DY, LABEL_SIDES, MARK_SIZE, placeLabels, type LabelSide, type PixelScale } from './point-labels.js';

/** The guest's cost, on the x axis of every trade-off chart of a migration. */
export const GUEST_COST = 'guest_lost_s';
/** The migration's own costs set against it, in this order. */
export const TRADED = ['downtime_ms', 'total_time_ms'] as const;

/**
 * Per kind, when not the migration's: the cost along x and those set against it. A cluster operation
 * trades how long it takes against its worst pause and what the traffic sharing the network lost.
 */
const TRADES: Readonly<Record<string, { x: string; ys: readonly string[] }>> = {
  cluster: { x: 'makespan_s', ys: ['worst_downtime_ms', 'background_lost_pct'] },
};

interface Mark {
  variant: string;
  x: number;
  y: number;
  order: number;
  point: string;
  /** The point's label where it has room ('' where not), and on which side of the point. */
  label: string;
  label_at: LabelSide | '';
}

const WIDTH = 460;
const HEIGHT = 300;
const LABEL_FONT = 9;

/** A text layer per side of the point a label can sit on. */
const SIDE_MARK: Readonly<Record<LabelSide, { align: string; baseline: string; dx: number; dy: number }>> = {
  ne: { align: 'left', baseline: 'bottom', dx: LABEL_DX, dy: -LABEL_DY },
  nw: { align: 'right', baseline: 'bottom', dx: -LABEL_DX, dy: -LABEL_DY },
  se: { align: 'left', baseline: 'top', dx: LABEL_DX, dy: LABEL_DY },
  sw: { align: 'right', baseline: 'top', dx: -LABEL_DX, dy: LABEL_DY },
  n: { align: 'center', baseline: 'bottom', dx: 0, dy: -LABEL_DY },
  s: { align: 'center', baseline: 'top', dx: 0, dy: LABEL_DY },
};

/** The sides labels sit on in these marks, in a fixed order. */
const sidesUsed = (values: readonly Mark[]): LabelSide[] => LABEL_SIDES.filter((side) => values.some((m) => m.label_at === side));

/** An axis over decades is logarithmic; its domain is fixed so the labels are placed on the scale drawn. */
function axisScale(values: readonly number[], size: number): PixelScale {
  const type = spansDecades(values) ? 'log' : 'linear';
  return { type, domain: axisDomain(values, type === 'log', size), size };
}

/** Trade-off charts of the aggregate (none when the records carry no guest cost). */
export function tradeoffCharts(agg: Aggregate, swept: readonly string[], xs: readonly string[], scenario: string, kind = ''): Chart[] {
  const { x: cost, ys } = Object.hasOwn(TRADES, kind) ? TRADES[kind] : { x: GUEST_COST, ys: TRADED };
  if (!agg.metrics.includes(cost)) return [];
  const byPoint = new Map<string, Map<string, AggregateRow>>();
  for (const r of agg.rows) {
    const k = JSON.stringify([r.variant, ...agg.params.map((p) => r.params[p])]);
    if (!byPoint.has(k)) byPoint.set(k, new Map());
    byPoint.get(k)!.set(r.metric, r);
  }
  const along = xs[0];
  const charts: Chart[] = [];
  for (const metric of ys.filter((m) => agg.metrics.includes(m))) {
    const pairs = [...byPoint.values()].map((m) => [m.get(cost), m.get(metric)] as const).filter(([g, y]) => g !== undefined && y !== undefined && Number.isFinite(g.mean) && Number.isFinite(y.mean)) as Array<readonly [AggregateRow, AggregateRow]>;
    if (pairs.length === 0) continue;
    const xu = unitFor(cost, pairs.map(([g]) => g.mean));
    const yu = unitFor(metric, pairs.map(([, y]) => y.mean));
    const marks = pairs.map(([g, y]) => ({
      variant: g.variant,
      x: inUnit(g.mean, xu),
      y: inUnit(y.mean, yu),
      order: along === undefined ? 0 : (g.params[along] as number),
      point: swept.map((p) => formatParam(p, g.params[p])).filter((t) => t !== '').join(', ') || 'the only point',
    }));
    const xScale = axisScale(marks.map((m) => m.x), WIDTH);
    const yScale = axisScale(marks.map((m) => m.y), HEIGHT);
    const placed = placeLabels(marks.map((m) => ({ series: m.variant, order: typeof m.order === 'number' ? m.order : 0, x: m.x, y: m.y, text: m.point })), xScale, yScale, LABEL_FONT);
    const values: Mark[] = marks.map((m, i) => ({ ...m, label: placed[i]?.text ?? '', label_at: placed[i]?.side ?? '' }));
    const variants = [...new Set(agg.rows.map((r) => r.variant))].filter((v) => values.some((m) => m.variant === v));
    const xTitle = titleWithUnit(cost, xu);
    const yTitle = titleWithUnit(metric, yu);
    const x = { field: 'x', type: 'quantitative', title: xTitle, scale: { type: xScale.type, domain: xScale.domain, nice: false }, axis: AXIS_NUMBER };
    const y = { field: 'y', type: 'quantitative', title: yTitle, scale: { type: yScale.type, domain: yScale.domain, nice: false }, axis: AXIS_NUMBER };
    const tooltip = [{ field: 'variant' }, { field: 'point' }, { field: 'x', title: xTitle, type: 'quantitative', format: ',~r' }, { field: 'y', title: yTitle, type: 'quantitative', format: ',~r' }];
    const title = `${yTitle} against ${label(cost).toLowerCase()}`;
    const spec = {
      $schema: VEGA_LITE_SCHEMA,
      title,
      description: `${scenario}: mean ${label(metric).toLowerCase()} against the mean ${label(cost).toLowerCase()}, a mark per variant and point${along === undefined ? '' : `, joined in order of ${label(along).toLowerCase()} and labelled with it`}. Lower left is better on both.`,
      data: { values },
      width: WIDTH,
      height: HEIGHT,
      layer: [
        { mark: { type: 'line', strokeWidth: 1, opacity: 0.6 }, encoding: { x, y, order: { field: 'order', type: 'quantitative' }, ...seriesEncoding('variant', variants, 'variant', { dash: true }) } },
        { mark: { type: 'point', filled: true, size: MARK_SIZE, opacity: 0.9, stroke: 'white', strokeWidth: 0.5 }, encoding: { x, y, ...seriesEncoding('variant', variants, 'variant', { shape: true }), tooltip } },
        ...sidesUsed(values).map((side) => ({ transform: [{ filter: `datum.label_at === '${side}'` }], mark: { type: 'text', ...SIDE_MARK[side], fontSize: LABEL_FONT, color: '#555' }, encoding: { x, y, text: { field: 'label' } } })),
      ],
    };
    charts.push({ name: `tradeoff-${metric}-vs-${cost}`, title: `${yTitle} against ${xTitle.charAt(0).toLowerCase()}${xTitle.slice(1)}`, spec: spec as unknown as TopLevelSpec, headline: true });
  }
  return charts;
}
