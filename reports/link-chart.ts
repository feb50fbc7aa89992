// The busiest links of a cluster run over time, from its `links` table (a row each time a link's
// rates change: capacity, migration and background throughput, utilisation): the LINKS_SHOWN links
// with the highest peak utilisation, a panel each (and a column per variant), the background traffic
// stacked on the migrations' as a share of the link's capacity, 0 to 100%. Rates hold until the
// link's next row, so the areas are steps.
import type { TopLevelSpec } from 'vega-lite';
import type { ParamValue } from '../sim/results/record.js';
import { AXIS_NUMBER, VEGA_LITE_SCHEMA } from './chart-style.js';
import { formatNumber, formatValue, inUnit, unitFor } from './units.js';

type Row = Record<string, ParamValue>;

/** Links charted, by peak utilisation. */
export const LINKS_SHOWN = 5;
/** The traffic on a link, as the legend names it, top to bottom as the areas stack (migrations at the bottom). */
export const TRAFFIC = ['background', 'migration'] as const;
const TRAFFIC_COLOURS = ['#bab0ac', '#e15759'];

const num = (v: ParamValue | undefined): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * Links by their highest utilisation at any moment of any variant shown, busiest first; among links
 * of the same peak (many reach 100%), the one full longest (utilisation x time) first, then the
 * table's order (the topology's).
 */
export function busiestLinks(rows: readonly Row[]): Array<{ link: string; peak_pct: number }> {
  const peak = new Map<string, number>();
  const load = new Map<string, number>();
  const last = new Map<string, Row>();
  for (const r of rows) {
    const l = String(r.link);
    peak.set(l, Math.max(peak.get(l) ?? 0, num(r.utilisation_pct)));
    // A row's rates hold until the link's next row of the same run.
    const key = `${String(r.variant)}\u0000${l}`;
    const before = last.get(key);
    if (before !== undefined) load.set(l, (load.get(l) ?? 0) + num(before.utilisation_pct) * Math.max(0, num(r.t_s) - num(before.t_s)));
    last.set(key, r);
  }
  return [...peak.entries()].map(([link, peak_pct]) => ({ link, peak_pct, load: load.get(link) ?? 0 })).sort((a, b) => b.peak_pct - a.peak_pct || b.load - a.load).map(({ link, peak_pct }) => ({ link, peak_pct }));
}

/** The rows where a link's rates changed, and each link's last: a step drawn through them is the same. */
function changes(rows: readonly Row[]): Row[] {
  const last = new Map<string, number>();
  rows.forEach((r, i) => last.set(`${String(r.variant)}\u0000${String(r.link)}`, i));
  const said = new Map<string, string>();
  return rows.filter((r, i) => {
    const key = `${String(r.variant)}\u0000${String(r.link)}`;
    const rates = `${num(r.capacity_Bps)} ${num(r.migration_Bps)} ${num(r.background_Bps)}`;
    if (said.get(key) === rates && last.get(key) !== i) return false;
    said.set(key, rates);
    return true;
  });
}

/** What the chart left out, in words (empty when it shows every link). */
export function linksNote(total: number): string {
  return total <= LINKS_SHOWN ? '' : `The ${LINKS_SHOWN} busiest of ${formatNumber(total)} links that carried migrations, by peak utilisation; links.csv has every one.`;
}

/** The busiest links' utilisation over time at one point (trial 0); `rows` carry a `variant` column. */
export function linkChart(rows: readonly Row[], variants: readonly string[], title: string): { spec: TopLevelSpec; note: string } {
  const ranked = busiestLinks(rows);
  const top = ranked.slice(0, LINKS_SHOWN);
  const label = new Map(top.map((l) => [l.link, `${l.link} (peak ${formatValue('utilisation_pct', l.peak_pct)})`]));
  const tu = unitFor('t_s', [rows.reduce((m, r) => Math.max(m, num(r.t_s)), 1e-9)]);
  const values = changes(rows.filter((r) => label.has(String(r.link))))
    .flatMap((r) => {
      const cap = num(r.capacity_Bps);
      const share = (bps: number): number => (cap > 0 ? (100 * bps) / cap : 0);
      const common = { variant: r.variant, link: label.get(String(r.link)), t: inUnit(num(r.t_s), tu), total: num(r.utilisation_pct), capacity: formatValue('capacity_bps', 8 * cap) };
      return [
        { ...common, traffic: 'background', pct: share(num(r.background_Bps)) },
        { ...common, traffic: 'migration', pct: share(num(r.migration_Bps)) },
      ];
    });
  const note = linksNote(ranked.length);
  const tooltip = [{ field: 'link' }, { field: 'variant' }, { field: 'traffic' }, { field: 't', title: `time (${tu.symbol})`, type: 'quantitative', format: ',~r' }, { field: 'pct', title: 'share of capacity (%)', type: 'quantitative', format: ',.1f' }, { field: 'total', title: 'utilisation (%)', type: 'quantitative', format: ',.1f' }, { field: 'capacity' }];
  const cols = variants.length > 1;
  const inner = {
    width: cols ? Math.max(200, Math.floor(560 / Math.min(variants.length, 3))) : 560,
    height: 70,
    mark: { type: 'area', interpolate: 'step-after', clip: true, opacity: 0.9 },
    encoding: {
      x: { field: 't', type: 'quantitative', title: `Time since the operation began (${tu.symbol})`, scale: { zero: true, domainMin: 0, nice: false }, axis: AXIS_NUMBER },
      y: { field: 'pct', type: 'quantitative', stack: 'zero', title: 'Utilisation (%)', scale: { domain: [0, 100] }, axis: { values: [0, 50, 100] } },
      // The colour's order sets the stack's: the first on top, the migrations' along the axis.
      color: { field: 'traffic', type: 'nominal', title: 'traffic', sort: [...TRAFFIC], scale: { domain: [...TRAFFIC], range: TRAFFIC_COLOURS } },
      tooltip,
    },
  };
  const facet = {
    row: { field: 'link', type: 'nominal', sort: top.map((l) => label.get(l.link)), title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontSize: 11 } },
    ...(cols ? { column: { field: 'variant', type: 'nominal', sort: [...variants], title: null, header: { labelFontWeight: 'bold' } } } : {}),
  };
  const spec = {
    $schema: VEGA_LITE_SCHEMA,
    title: note ? { text: title, subtitle: `${LINKS_SHOWN} of ${formatNumber(ranked.length)} links` } : title,
    description: `Utilisation of the ${Math.min(LINKS_SHOWN, ranked.length)} busiest links over time: the migrations' traffic (red) with the background's (grey) stacked on it, in % of each link's capacity.${note ? ` ${note}` : ''}`,
    data: { values },
    facet,
    spec: inner,
  };
  return { spec: spec as unknown as TopLevelSpec, note };
}
