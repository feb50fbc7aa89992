// Every chart spec compiles with Vega-Lite without warnings and renders headlessly to SVG holding
// the marks it promises (Vega names mark groups by type: mark-line, mark-symbol, mark-rect, mark-rule).
import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import { aggregate } from '../../reports/aggregate.js';
import {
  formatBitRate,
  groupedBarsWithReference,
  isrTimelineChart,
  migrationRemainingChart,
  migrationRoundsChart,
  spansDecades,
  sweepCharts,
  type ReferenceCell,
} from '../../reports/charts.js';
import { renderPng, renderSvg } from '../../reports/render.js';
import type { RunRecord } from '../../sim/results/record.js';

/** Count the data marks (paths, lines) of one type: role-mark groups, not axes, grids or legends. */
function marks(svg: string, type: string): number {
  let count = 0;
  const re = new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>(.*?)</g>`, 'gs');
  for (const m of svg.matchAll(re)) count += (m[1].match(/<(path|line|text)\b/g) ?? []).length;
  return count;
}

async function renders(spec: TopLevelSpec): Promise<string> {
  const warnings: string[] = [];
  compile(spec, { logger: { level: () => undefined, warn: (...a: unknown[]) => warnings.push(a.join(' ')), info: () => undefined, debug: () => undefined, error: (e: unknown) => { throw e; } } as never });
  expect(warnings).toEqual([]);
  const r = await renderSvg(spec);
  expect(r.warnings).toEqual([]);
  expect(r.svg.startsWith('<svg')).toBe(true);
  return r.svg;
}

const sweepRecords = (): RunRecord[] => {
  const out: RunRecord[] = [];
  for (const policy of ['p1', 'p2']) {
    for (const bw of [1e6, 1e7, 1e8, 1e9]) {
      for (let trial = 0; trial < 3; trial++) {
        const t = (8e9 / bw) * (policy === 'p1' ? 1 : 0.5) * (1 + 0.01 * trial);
        out.push({ scenario: 's', kind: 'migration', variant: policy, policy, seed: trial, trial, params: { 'link.bandwidth_bps': bw }, metrics: { total_time_ms: t, transfers: policy === 'p1' ? 1 : 2, postcopy_bytes: 0, events: 6 } });
      }
    }
  }
  return out;
};

describe('sweepCharts', () => {
  it('one chart per charted metric against the swept parameter, log axes over decades', async () => {
    const charts = sweepCharts(aggregate(sweepRecords()), 's');
    expect(charts.map((c) => c.name)).toEqual(['total_time_ms-vs-link.bandwidth_bps', 'transfers-vs-link.bandwidth_bps']);
    const spec = charts[0].spec as unknown as { layer: Array<{ encoding: { x: { scale: { type: string } }; y: { scale: { type: string } } } }>; data: { values: unknown[] } };
    expect(spec.layer[0].encoding.x.scale.type).toBe('log');
    expect(spec.layer[0].encoding.y.scale.type).toBe('log');
    expect(spec.data.values).toHaveLength(8);
    const svg = await renders(charts[0].spec);
    expect(marks(svg, 'line')).toBe(2); // one line per policy
    expect(marks(svg, 'symbol')).toBeGreaterThanOrEqual(8); // points (and legend symbols)
    expect(marks(svg, 'rule')).toBe(8); // one error bar per point
    // postcopy_bytes is 0 everywhere: no chart. transfers is flat in bandwidth: a linear axis.
    const flat = charts[1].spec as unknown as { layer: Array<{ encoding: { y: { scale: { type: string } } } }> };
    expect(flat.layer[0].encoding.y.scale.type).toBe('linear');
  });

  it('a second swept parameter becomes facets in grid order', async () => {
    const recs = sweepRecords().flatMap((r) => [1, 2].map((m) => ({ ...r, params: { ...r.params, 'vm.memory_bytes': m * 1e9 }, metrics: { ...r.metrics, total_time_ms: r.metrics.total_time_ms * m } })));
    const charts = sweepCharts(aggregate(recs), 's');
    // vm.memory has two values only: it is no x axis while bandwidth has more.
    expect(charts.map((c) => c.name)).toEqual(['total_time_ms-vs-link.bandwidth_bps', 'transfers-vs-link.bandwidth_bps']);
    const svg = await renders(charts[0].spec);
    expect(marks(svg, 'line')).toBe(4);
    expect(svg.indexOf('vm.memory_bytes=1000000000')).toBeLessThan(svg.indexOf('vm.memory_bytes=2000000000'));
  });

  it('with no numeric parameter swept, bars per policy', async () => {
    const recs = sweepRecords().filter((r) => r.params['link.bandwidth_bps'] === 1e6);
    const charts = sweepCharts(aggregate(recs), 's');
    expect(charts.map((c) => c.name)).toEqual(['total_time_ms', 'transfers']);
    const svg = await renders(charts[0].spec);
    expect(marks(svg, 'rect')).toBeGreaterThanOrEqual(2);
  });

  it('spansDecades needs positive values two decades apart', () => {
    expect(spansDecades([1, 100])).toBe(true);
    expect(spansDecades([1, 99])).toBe(false);
    expect(spansDecades([0, 1000])).toBe(false);
    expect(spansDecades([5])).toBe(false);
  });
});

describe('groupedBarsWithReference', () => {
  const cells: ReferenceCell[] = [];
  for (const bw of [10e6, 100e6]) {
    for (const policy of ['baseline', 'dongle-lka', 'demand-fetch']) {
      cells.push({ policy, bandwidth_bps: bw, mean: 1e9 / bw, sd: 1e8 / bw });
    }
  }
  cells[0].published = 120;
  cells[1].published_low = 20;
  cells[1].published_high = 40;
  cells[3].published = 11;

  it('bars per policy and bandwidth, ±sd error bars, published diamonds and range rules', async () => {
    const spec = groupedBarsWithReference(cells, { title: 'Resume latency', yTitle: 'resume latency (s)', logY: true });
    const s = spec as unknown as { layer: Array<{ encoding: { y: { scale: { type: string }; title: string } } }> };
    expect(s.layer[0].encoding.y.scale.type).toBe('log');
    expect(s.layer[0].encoding.y.title).toBe('resume latency (s)');
    const svg = await renders(spec);
    expect(marks(svg, 'rect')).toBeGreaterThanOrEqual(6); // six bars (plus legend swatches)
    expect(marks(svg, 'rule')).toBeGreaterThanOrEqual(6 + 1); // six error bars and one published range
    expect(svg).toContain('resume latency (s)');
    expect(svg).toContain('10 Mbit/s');
    // The two published values as point marks, at their own values.
    const points = [...svg.matchAll(/<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="point"/g)].map((m) => m[1]);
    expect(points).toEqual(['bandwidth: 10 Mbit/s; resume latency (s): 120; policy: baseline', 'bandwidth: 100 Mbit/s; resume latency (s): 11; policy: baseline']);
  });

  it('a linear variant also renders, and the bandwidth labels read well', async () => {
    await renders(groupedBarsWithReference(cells, { title: 'Slowdown', yTitle: 'slowdown (%)', logY: false }));
    expect(formatBitRate(64e3)).toBe('64 kbit/s');
    expect(formatBitRate(1.5e6)).toBe('1.5 Mbit/s');
    expect(formatBitRate(1e9)).toBe('1 Gbit/s');
    expect(formatBitRate(300)).toBe('300 bit/s');
  });
});

describe('ISR and migration charts', () => {
  it('timeline: a bar segment per phase and policy', async () => {
    const rows = [
      { policy: 'baseline', phase: 'suspend', start_s: 0, end_s: 5 },
      { policy: 'baseline', phase: 'travel', start_s: 5, end_s: 50 },
      { policy: 'baseline', phase: 'resume', start_s: 50, end_s: 200 },
      { policy: 'baseline', phase: 'run', start_s: 200, end_s: 400 },
      { policy: 'dongle-lka', phase: 'suspend', start_s: 0, end_s: 5 },
      { policy: 'dongle-lka', phase: 'resume', start_s: 50, end_s: 60 },
    ] as const;
    const svg = await renders(isrTimelineChart([...rows]));
    expect(marks(svg, 'rect')).toBeGreaterThanOrEqual(6);
    for (const phase of ['suspend', 'travel', 'resume', 'run']) expect(svg).toContain(`>${phase}<`);
  });

  it('remaining bytes over time: a line per policy', async () => {
    const rows = [0, 10, 20, 30].flatMap((t) => [
      { policy: 'precopy', t_ms: t, remaining_bytes: 1e6 / (1 + t) },
      { policy: 'postcopy', t_ms: t, remaining_bytes: 1e6 - t * 3e4 },
    ]);
    const svg = await renders(migrationRemainingChart(rows));
    expect(marks(svg, 'line')).toBe(2);
    expect(svg).toContain('remaining (bytes)');
  });

  it('bytes per round: grouped bars', async () => {
    const rows = [1, 2, 3].flatMap((round) => [
      { policy: 'precopy', round, pages_sent: 1000 / round, bytes: 4e6 / round },
      { policy: 'xbzrle', round, pages_sent: 800 / round, bytes: 2e6 / round },
    ]);
    const svg = await renders(migrationRoundsChart(rows));
    expect(marks(svg, 'rect')).toBeGreaterThanOrEqual(6);
  });
});

describe('render', () => {
  it('rendering is repeatable byte for byte, whatever was rendered before', async () => {
    const spec = sweepCharts(aggregate(sweepRecords()), 's')[0].spec;
    const a = (await renderSvg(spec)).svg;
    await renderSvg(migrationRoundsChart([{ policy: 'x', round: 1, pages_sent: 1, bytes: 1 }]));
    expect((await renderSvg(spec)).svg).toBe(a);
  });

  it('text is escaped in SVG', async () => {
    const svg = await renders(migrationRoundsChart([{ policy: '<script>alert(1)</script>', round: 1, pages_sent: 1, bytes: 1 }], { title: 'a & <b>' }));
    expect(svg).not.toContain('<script');
    expect(svg).toContain('a &amp; &lt;b&gt;');
  });

  it('PNG through resvg', async () => {
    const png = await renderPng((await renderSvg(migrationRoundsChart([{ policy: 'x', round: 1, pages_sent: 1, bytes: 1 }]))).svg);
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(1000);
  });
});
