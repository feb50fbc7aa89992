// The report tells what each policy costs and its charts hold at every size (issue 18, items 2-3):
// findings name a winner with its costs on the other axes, the trade-off chart has a mark per
// variant and point, metrics that do not apply are not plotted, per-round charts stay bounded from
// 1 to 1,000 rounds with thinned ticks and phases marked, runs without a value have their own strip
// and legend entry, and axes of quantities that cannot be negative do not go below zero. Records are
// built here with the guest-cost metrics' agreed names (guest_lost_s, guest_slowdown_pct, ...).
import { describe, expect, it } from 'vitest';
import { aggregate } from '../../reports/aggregate.js';
import { detailCharts, MAX_ROUND_TICKS, remainingChart, roundsChart, roundTicks, ROUNDS_WIDTH } from '../../reports/detail.js';
import { findings } from '../../reports/findings.js';
import { headlineTable } from '../../reports/headline.js';
import { goalWarning } from '../../reports/html.js';
import { renderSvg } from '../../reports/render.js';
import { noValueLegend, sweepCharts } from '../../reports/sweep-charts.js';
import type { RunRecord } from '../../sim/results/record.js';
import { label } from '../../reports/units.js';

const BWS = [10e6, 100e6, 1e9];

/**
 * A lab in miniature: stop-and-copy sends 2 GB stopped; post-copy stops 10 ms but its guest stalls
 * on faults (blocktime), 498 s at 10 Mbit/s, 49.8 s at 100 Mbit/s, 4.98 s at 1 Gbit/s; pre-copy does not
 * converge at 10 Mbit/s.
 */
function lab(): RunRecord[] {
  const out: RunRecord[] = [];
  for (const bw of BWS) {
    const copy = (2e9 * 8) / bw; // seconds to send 2 GB
    for (let trial = 0; trial < 3; trial++) {
      const j = 1 + 0.001 * trial;
      const base = { scenario: 'lab', kind: 'migration', seed: trial, trial, params: { 'link.bandwidth_bps': bw }, goal: 'converged' };
      out.push({ ...base, variant: 'stop-and-copy', policy: 'stop-and-copy', metrics: { total_time_ms: copy * 1e3 * j, downtime_ms: copy * 1e3 * j, wire_bytes: 2e9, guest_lost_s: copy * j, guest_slowdown_pct: 100, converged: 1, events: 4, transfers: 1 } });
      const stall = (498 * 10e6) / bw;
      out.push({ ...base, variant: 'postcopy', policy: 'postcopy', metrics: { total_time_ms: copy * 1.01e3 * j, downtime_ms: 12 * j, wire_bytes: 2.01e9, guest_lost_s: stall * j + 0.012, guest_slowdown_pct: (100 * stall) / (copy * 1.01), postcopy_blocktime_ms: stall * 1e3 * j, converged: 1, events: 9, transfers: 7 } });
      const conv = bw > 10e6;
      out.push({ ...base, variant: 'precopy', policy: 'precopy', metrics: { total_time_ms: conv ? copy * 1.3e3 * j : NaN, downtime_ms: conv ? 300 * j : NaN, wire_bytes: 2.6e9, guest_lost_s: conv ? 0.3 * j : NaN, guest_slowdown_pct: conv ? 30 / copy : NaN, converged: conv ? 1 : 0, events: 40, transfers: 30 } });
    }
  }
  return out;
}

type Spec = { width?: number | { step: number }; layer?: Array<{ mark: { type: string } | string; encoding?: Record<string, { scale?: Record<string, unknown> | null; axis?: { values?: number[] } }> }>; encoding?: Record<string, { axis?: { values?: number[] }; scale?: Record<string, unknown> }>; data: { values: Array<Record<string, unknown>> } };

/** The rendered SVG's size in pixels. */
const size = (svg: string): [number, number] => {
  const m = /<svg[^>]*width="([\d.]+)"[^>]*height="([\d.]+)"/.exec(svg)!;
  return [Number(m[1]), Number(m[2])];
};
/** Tick labels of the x axis (Vega's axis group with role-axis-label, the first axis drawn). */
const tickLabels = (svg: string, title: string): string[] => {
  const axis = svg.split('role-axis"').find((a) => a.includes(`>${title}<`)) ?? '';
  return [...axis.matchAll(/role-axis-label[^>]*>(.*?)<\/g>/gs)].flatMap((m) => [...m[1].matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((t) => t[1]));
};

describe('findings name what each winner costs', () => {
  it('post-copy: lowest downtime, with the guest stalled 498 s at 10 Mbit/s and 50 s at 100 Mbit/s', () => {
    const f = findings(aggregate(lab()), 'migration');
    const downtime = f.find((s) => s.startsWith('Lowest downtime'))!;
    expect(downtime).toContain('postcopy at every link bandwidth, 10 Mbit/s to 1 Gbit/s (12 ms)');
    // 498 s x 10 Mbit/s / bandwidth x (1 + 0.001 x mean(0, 1, 2)) + 12 ms, shown to 3 digits:
    // 498.5 s, 49.86 s, 5.00 s; over total times 1.01 x 1,600 s, 160 s, 16 s: a 30.8% slowdown.
    expect(downtime).toContain('guest work lost 499 s at 10 Mbit/s, 49.9 s at 100 Mbit/s, 5 s at 1 Gbit/s (a 30.8% slowdown)');
    expect(downtime).toContain('total migration time 16.2 s to 1,618 s');
    expect(downtime).toContain('bytes on the wire 2.01 GB');
    // Every winner of time or bytes comes with the guest's cost too.
    for (const s of f.filter((t) => t.startsWith('Lowest'))) expect(s).toMatch(/its costs there: /);
    const total = f.find((s) => s.startsWith('Lowest total migration time'))!;
    expect(total).toContain('stop-and-copy');
    expect(total).toContain('(a 100% slowdown)');
    const lost = f.find((s) => s.startsWith('Lowest guest work lost'))!;
    // Post-copy loses least at 10 Mbit/s (pre-copy has no value there), pre-copy above.
    expect(lost).toMatch(/at 10 Mbit\/s, postcopy .*From 100 Mbit\/s to 1 Gbit\/s, precopy \(300 ms\)/);
  });

  it('without guest-cost metrics the findings still give the other axes', () => {
    const recs = lab().map((r) => ({ ...r, metrics: Object.fromEntries(Object.entries(r.metrics).filter(([k]) => !k.startsWith('guest_'))) }));
    const downtime = findings(aggregate(recs), 'migration').find((s) => s.startsWith('Lowest downtime'))!;
    expect(downtime).not.toContain('guest');
    expect(downtime).toContain('its costs there: total migration time');
  });

  it('the headline table carries the guest cost; a metric that does not apply reads n/a', () => {
    const recs = lab();
    const t = headlineTable(aggregate(recs), 'migration');
    expect(t.metrics).toEqual(['total_time_ms', 'downtime_ms', 'wire_bytes', 'guest_lost_s', 'guest_slowdown_pct', 'converged']);
    expect(t.head).toContain('Guest work lost');
    // Every heading is the metric's one name, the goal's too (its cells say n/N).
    expect(t.head.slice(2)).toEqual(t.metrics.map((m) => label(m)));
    expect(t.head).toContain('Runs that converged');
    // Without a blocktime in stop-and-copy's records: absent, n/a, never 0.
    const withBlock = headlineTable({ ...aggregate(recs) }, 'migration');
    expect(withBlock.rows[0].cells.every((c) => c.text !== 'n/a')).toBe(true);
    const agg = aggregate(recs);
    const block = agg.rows.filter((r) => r.metric === 'postcopy_blocktime_ms');
    expect(block.filter((r) => r.variant !== 'postcopy').every((r) => r.n === 0)).toBe(true);
    // The warning about non-converged runs names the metrics they miss, not those that never apply.
    expect(goalWarning(agg)).toContain('no guest work lost');
    expect(goalWarning(agg)).not.toContain('blocktime');
  });
});

describe('sweep charts', () => {
  it('metrics that do not apply are not plotted; simulation counters are not charted', () => {
    const charts = sweepCharts(aggregate(lab()), 'lab', 'migration');
    const names = charts.map((c) => c.name);
    expect(names).not.toContain('events-vs-link.bandwidth_bps');
    expect(names).not.toContain('transfers-vs-link.bandwidth_bps');
    const block = charts.find((c) => c.name === 'postcopy_blocktime_ms-vs-link.bandwidth_bps')!.spec as unknown as Spec;
    const plotted = block.data.values.filter((v) => v.mean !== null || v.cross_y !== null || v.cross_mean !== null);
    expect(new Set(plotted.map((v) => v.variant))).toEqual(new Set(['postcopy']));
  });

  it('a trade-off chart: a mark per variant and point with values, log axes over decades, after the headline charts', async () => {
    const charts = sweepCharts(aggregate(lab()), 'lab', 'migration');
    const i = charts.findIndex((c) => c.name === 'tradeoff-downtime_ms-vs-guest_lost_s');
    expect(i).toBeGreaterThan(0);
    expect(charts.slice(0, i).every((c) => c.headline)).toBe(true);
    const spec = charts[i].spec as unknown as Spec;
    // 3 variants x 3 points, less pre-copy at 10 Mbit/s (did not converge: no value, no mark).
    expect(spec.data.values).toHaveLength(8);
    expect(spec.data.values.filter((v) => v.variant === 'precopy').map((v) => v.point)).toEqual(['100 Mbit/s', '1 Gbit/s']);
    const enc = spec.layer![1].encoding!;
    expect(enc.x.scale).toMatchObject({ type: 'log' });
    expect(enc.y.scale).toMatchObject({ type: 'log' });
    const r = await renderSvg(charts[i].spec);
    expect(r.warnings).toEqual([]);
    expect(r.svg).toContain('Guest work lost (s)');
    // None without the guest's cost in the records.
    const plain = lab().map((x) => ({ ...x, metrics: Object.fromEntries(Object.entries(x.metrics).filter(([k]) => !k.startsWith('guest_'))) }));
    expect(sweepCharts(aggregate(plain), 'lab', 'migration').some((c) => c.name.startsWith('tradeoff'))).toBe(false);
  });

  it('runs without a value get crosses in a strip of their own, below the value axis, in the legend', async () => {
    const chart = sweepCharts(aggregate(lab()), 'lab', 'migration').find((c) => c.name === 'total_time_ms-vs-link.bandwidth_bps')!;
    const spec = chart.spec as unknown as Spec & { height: number };
    const y = spec.layer![0].encoding!.y.scale as { type: string; range: number[] };
    const strip = spec.data.values.filter((v) => v.cross_y !== null);
    expect(strip.map((v) => [v.variant, v.x])).toEqual([['precopy', 10]]);
    // The value axis ends above the strip; the crosses sit below it, inside the plot.
    expect(y.range[0]).toBeLessThan(strip[0].cross_y as number);
    expect(strip[0].cross_y as number).toBeLessThan(spec.height);
    const { svg, warnings } = await renderSvg(chart.spec);
    expect(warnings).toEqual([]);
    expect(svg).toContain('>no value<');
    // The legend names it in full: Vega truncates a label past its labelLimit with an ellipsis.
    expect(svg).toContain(`>${noValueLegend('converged')}<`);
    expect(svg).not.toContain('…');
    expect(chart.note).toContain('"no value" strip');
  });

  it("the strip's name stands on a row above the crosses, clear of one at the axis' very start", async () => {
    // Pre-copy first: its crosses are on the strip's first row, the one nearest the name.
    const recs = [...lab()].sort((a, b) => Number(b.variant === 'precopy') - Number(a.variant === 'precopy'));
    const chart = sweepCharts(aggregate(recs), 'lab', 'migration').find((c) => c.name === 'total_time_ms-vs-link.bandwidth_bps')!;
    const { svg } = await renderSvg(chart.spec);
    // Vega writes a top-aligned 9 px text's baseline about 0.79 em below its anchor.
    const [, nameX, nameBaseline] = /transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*font-size="9px"[^>]*>no value</.exec(svg)!.map(Number);
    // The cross of pre-copy at 10 Mbit/s, the first value on the x axis (a log axis starts there).
    const crosses = [...svg.matchAll(/aria-label="[^"]*not reached: [^"]*"[^>]*transform="translate\(([-\d.]+),([-\d.]+)\)/g)].map((t) => [Number(t[1]), Number(t[2])]);
    expect(crosses).toHaveLength(1);
    const [crossX, crossY] = crosses[0];
    expect(crossX).toBeCloseTo(0, 6);
    expect(nameX).toBeLessThan(crossX + 4);
    // The name's descenders (0.21 em below its baseline) end above the cross (half its 60 px² area's side, about 4 px).
    expect(nameBaseline + 0.21 * 9).toBeLessThan(crossY - 4);
  });

  it('axes of quantities that cannot be negative start at zero, intervals included', async () => {
    // A wide spread over 3 trials: the 95% interval of the mean would reach far below zero.
    const recs = lab().map((r) => ({ ...r, metrics: { ...r.metrics, dirty_pages_rate: r.trial === 0 ? 10 : r.trial === 1 ? 20 : 5000 } }));
    const chart = sweepCharts(aggregate(recs), 'lab', 'migration').find((c) => c.name === 'dirty_pages_rate-vs-link.bandwidth_bps');
    // One value everywhere per variant: not charted (a flat line); give it a slope.
    const sloped = recs.map((r) => ({ ...r, metrics: { ...r.metrics, dirty_pages_rate: r.metrics.dirty_pages_rate * (1 + (r.params['link.bandwidth_bps'] as number) / 1e9) } }));
    const c = chart ?? sweepCharts(aggregate(sloped), 'lab', 'migration').find((x) => x.name === 'dirty_pages_rate-vs-link.bandwidth_bps')!;
    const spec = c.spec as unknown as Spec;
    expect(spec.data.values.every((v) => v.lo === null || (v.lo as number) >= 0)).toBe(true);
    expect(spec.layer![0].encoding!.y.scale).toMatchObject({ type: 'linear', domainMin: 0 });
    const { svg } = await renderSvg(c.spec);
    expect(tickLabels(svg, 'Dirty pages rate (pages/s)').some((t) => t.startsWith('−') || t.startsWith('-'))).toBe(false);
    // Bytes left to send: a curve that ends at zero does not dip below it.
    const rem = remainingChart([0, 1, 2, 3].map((t) => ({ variant: 'p', t_ms: t * 1e3, remaining_bytes: [2e9, 3e8, 1e6, 0][t] })), ['p'], 'Remaining') as unknown as { encoding: { y: { scale: unknown } } };
    expect(rem.encoding.y.scale).toEqual({ zero: true, domainMin: 0 });
  });
});

/** A rounds table of `n` pre-copy rounds, the stop, and (for post-copy) one post-copy round. */
function rounds(variant: string, n: number, post = false): Array<Record<string, string | number>> {
  const rows: Array<Record<string, string | number>> = [];
  for (let k = 1; k <= n; k++) rows.push({ variant, round: k, phase: 'precopy', pages_sent: 1000, pages_dirtied: 900, bytes_sent: 4.1e6 * (1 + (k % 7)) });
  rows.push({ variant, round: n + 1, phase: 'downtime', pages_sent: 10, pages_dirtied: 0, bytes_sent: 4.1e4 });
  if (post) rows.push({ variant, round: n + 2, phase: 'postcopy', pages_sent: 5e5, pages_dirtied: 0, bytes_sent: 2e9 });
  return rows;
}

describe('per-round charts hold from 1 to 1,000 rounds', () => {
  it.each([
    [1, 'bar'],
    [10, 'bar'],
    [1000, 'line'],
  ])('%i rounds: bounded size, thinned ticks, phases marked (%s)', async (n, kind) => {
    const rows = [...rounds('precopy', n), ...rounds('postcopy', 0, true), ...rounds('stop-and-copy', 0)];
    const spec = roundsChart(rows, ['precopy', 'postcopy', 'stop-and-copy'], 'Bytes sent per round');
    const s = spec as unknown as Spec;
    const marks = (s.layer ?? []).map((l) => (typeof l.mark === 'string' ? l.mark : l.mark.type));
    expect(marks[0]).toBe(kind);
    const { svg, warnings } = await renderSvg(spec);
    expect(warnings).toEqual([]);
    const [w, h] = size(svg);
    // The plot is at most ROUNDS_WIDTH wide; with axis, legend and title under 1,100 x 400 px.
    expect(w).toBeLessThan(1100);
    expect(h).toBeLessThan(400);
    expect(h).toBeGreaterThan(200);
    if (n === 1000) expect(w).toBeGreaterThan(ROUNDS_WIDTH);
    const ticks = tickLabels(svg, 'Round');
    expect(ticks.length).toBeGreaterThan(0);
    expect(ticks.length).toBeLessThanOrEqual(MAX_ROUND_TICKS);
    // The stop and the post-copy round are written on the chart, and named in the tooltip's phase.
    expect(svg).toContain('>stop<');
    expect(svg).toContain('>post-copy<');
    expect(s.data.values.filter((v) => v.phase === 'post-copy (VM moved)')).toHaveLength(1);
  });

  it('round ticks: every round up to 15, then every k-th in 1-2-5 steps', () => {
    expect(roundTicks([1, 2, 3])).toEqual([1, 2, 3]);
    expect(roundTicks(Array.from({ length: 174 }, (_, i) => i + 1))).toEqual([1, 20, 40, 60, 80, 100, 120, 140, 160]);
    expect(roundTicks(Array.from({ length: 1000 }, (_, i) => i + 1)).length).toBeLessThanOrEqual(MAX_ROUND_TICKS);
  });

  it('the detail point gets a bytes-per-round and a pages-dirtied-per-round chart', async () => {
    const recs = lab().map((r) => ({ ...r, tables: { rounds: rounds(r.variant, r.variant === 'precopy' ? 174 : 0, r.policy === 'postcopy').map(({ variant: _v, ...t }) => t) } }));
    const charts = detailCharts(recs, { params: { 'link.bandwidth_bps': 100e6 }, text: 'link bandwidth 100 Mbit/s', why: '' });
    expect(charts.map((c) => c.name)).toEqual(['detail-rounds', 'detail-rounds-dirtied']);
    const dirt = await renderSvg(charts[1].spec);
    expect(dirt.svg).toContain('Pages dirtied in the round (pages)');
    // 174 non-converging rounds: a plot ROUNDS_WIDTH wide, not a 20,000 px strip.
    expect(size((await renderSvg(charts[0].spec)).svg)[0]).toBeLessThan(1100);
  });
});
