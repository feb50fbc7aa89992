// Every chart spec compiles with Vega-Lite without warnings and renders headlessly to SVG holding
// the marks it promises (Vega names mark groups by type: mark-line, mark-symbol, mark-rect, mark-rule).
import { describe, expect, it } from 'vitest';
import { compile, type TopLevelSpec } from 'vega-lite';
import { aggregate } from '../../reports/aggregate.js';
import { formatBitRate, referenceDotsChart, spansDecades, sweepCharts, type ReferenceCell } from '../../reports/charts.js';
import { remainingChart, roundsChart, timelineChart } from '../../reports/detail.js';
import { renderSvg } from '../../reports/render.js';
import { renderPng } from '../../sim/cli/png.js';
import type { RunRecord } from '../../sim/results/record.js';
import { formatParam, parseValue } from '../../reports/units.js';

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
        out.push({ scenario: 's', kind: 'migration', variant: policy, policy, seed: trial, trial, params: { 'link.bandwidth_bps': bw }, metrics: { total_time_ms: t, dirty_sync_count: policy === 'p1' ? 1 : 2, postcopy_bytes: 0, events: 6, transfers: 3 } });
      }
    }
  }
  return out;
};

type Layered = { title: string; layer: Array<{ mark: unknown; encoding: Record<string, { scale?: { type?: string; domain?: string[] } | null; title?: string; field?: string }> }>; data: { values: Array<Record<string, unknown>> } };

describe('sweepCharts', () => {
  it('one chart per charted metric against the swept parameter, in words with units, log axes over decades', async () => {
    const charts = sweepCharts(aggregate(sweepRecords()), 's', 'migration');
    expect(charts.map((c) => c.name)).toEqual(['total_time_ms-vs-link.bandwidth_bps', 'dirty_sync_count-vs-link.bandwidth_bps']);
    expect(charts.map((c) => c.headline)).toEqual([true, false]);
    const spec = charts[0].spec as unknown as Layered;
    // 4 ms at 1 Gbit/s up to 8 s at 1 Mbit/s: ms (the middle of the range is below 1 s), bandwidth in Mbit/s.
    expect(spec.title).toBe('Total migration time (ms) against link bandwidth');
    expect(spec.layer[0].encoding.x.title).toBe('Link bandwidth (Mbit/s)');
    expect(spec.layer[0].encoding.x.scale!.type).toBe('log');
    expect(spec.layer[0].encoding.y.scale!.type).toBe('log');
    expect(spec.data.values).toHaveLength(8);
    expect(spec.data.values.map((v) => v.x)).toContain(1000);
    // Values in the unit shown: p1 at 1 Gbit/s took 8e9/1e9 ms = 8 ms x (mean of 1, 1.01, 1.02) = 8.08 ms.
    expect(spec.data.values.find((v) => v.variant === 'p1' && v.x === 1000)!.mean).toBeCloseTo(8.08, 9);
    const svg = await renders(charts[0].spec);
    expect(marks(svg, 'line')).toBe(2); // one line per variant
    expect(marks(svg, 'symbol')).toBeGreaterThanOrEqual(8); // points (and legend symbols)
    expect(marks(svg, 'rule')).toBe(8); // one error bar per point
    expect(svg).not.toMatch(/>\d+[kMG]</); // no SI suffixes on ticks
    // postcopy_bytes is 0 everywhere: no chart; events and transfers count the simulation's own work:
    // no chart. dirty_sync_count is flat in bandwidth: a linear axis.
    const flat = charts[1].spec as unknown as Layered;
    expect(flat.layer[0].encoding.y.scale!.type).toBe('linear');
  });

  it('series keep the order given, with a colour, a marker and a dash each', () => {
    const recs = sweepRecords().map((r) => ({ ...r, variant: r.variant === 'p1' ? 'zeta' : 'alpha' }));
    const spec = sweepCharts(aggregate(recs), 's', 'migration')[0].spec as unknown as Layered;
    const line = spec.layer[0].encoding;
    expect(line.color.scale!.domain).toEqual(['zeta', 'alpha']);
    expect(line.strokeDash.scale!.domain).toEqual(['zeta', 'alpha']);
    expect(spec.layer[2].encoding.shape.scale!.domain).toEqual(['zeta', 'alpha']);
  });

  it('a second swept parameter becomes facets in grid order', async () => {
    const recs = sweepRecords().flatMap((r) => [1, 2].map((m) => ({ ...r, params: { ...r.params, 'vm.memory_bytes': m * 1e9 }, metrics: { ...r.metrics, total_time_ms: r.metrics.total_time_ms * m } })));
    const charts = sweepCharts(aggregate(recs), 's');
    // vm.memory has two values only: it is no x axis while bandwidth has more.
    expect(charts.map((c) => c.name)).toEqual(['total_time_ms-vs-link.bandwidth_bps', 'dirty_sync_count-vs-link.bandwidth_bps']);
    const svg = await renders(charts[0].spec);
    expect(marks(svg, 'line')).toBe(4);
    expect(svg.indexOf('VM memory = 1 GB')).toBeLessThan(svg.indexOf('VM memory = 2 GB'));
  });

  it('with no numeric parameter swept, bars per variant; dots, not bars, on a log axis', async () => {
    const recs = sweepRecords().filter((r) => r.params['link.bandwidth_bps'] === 1e6);
    const charts = sweepCharts(aggregate(recs), 's');
    expect(charts.map((c) => c.name)).toEqual(['total_time_ms', 'dirty_sync_count']);
    const svg = await renders(charts[0].spec);
    expect(marks(svg, 'rect')).toBeGreaterThanOrEqual(2);
    // Counts 1 to 52,754 span decades: dots at the means, drawn (the old log bar chart was blank).
    const wide = recs.map((r) => ({ ...r, metrics: { dirty_sync_count: r.policy === 'p1' ? 1 : 52_754 } }));
    const dots = sweepCharts(aggregate(wide), 's')[0].spec as unknown as Layered;
    expect(dots.layer[0].mark).toMatchObject({ type: 'point' });
    const dsvg = await renders(dots as never);
    expect(marks(dsvg, 'symbol')).toBeGreaterThanOrEqual(2);
    expect(dsvg).toContain('10,000');
  });

  it('bars are labelled with only what tells them apart, each label whole in the SVG; a setting one variant lacks is named once', async () => {
    // Pre-copy at one max-bandwidth and limit; post-copy has neither (as vmsim predict's sweep).
    const recs: RunRecord[] = ['precopy', 'postcopy'].flatMap((policy) =>
      ['random', 'sequential'].flatMap((ws) =>
        [0, 1].map((trial) => ({
          scenario: 's', kind: 'migration', variant: policy, policy, seed: trial, trial,
          params: { 'vm.working_set': ws, ...(policy === 'precopy' ? { 'options.max_bandwidth_bps': 8 * 64 * 2 ** 20, 'options.downtime_limit_s': 0.3 } : {}) },
          metrics: { downtime_ms: (policy === 'precopy' ? 15 : 0.1) * (ws === 'random' ? 1 : 1.1) + trial },
        })),
      ),
    );
    const [chart] = sweepCharts(aggregate(recs), 's', 'migration');
    const spec = chart.spec as unknown as Layered;
    expect(spec.data.values.map((v) => v.x)).toEqual(['precopy, random', 'precopy, sequential', 'postcopy, random', 'postcopy, sequential']);
    expect(spec.layer[0].encoding.x.title).toBe('Variant, VM working set (max-bandwidth 64 MiB/s, downtime limit 300 ms where set)');
    const svg = await renders(chart.spec);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts.filter((t) => t.endsWith('…'))).toEqual([]);
    for (const label of spec.data.values.map((v) => v.x as string)) expect(texts).toContain(label);
  });

  it('more bars than fit at a readable step get a panel per variant, no label cut, the chart a page wide at most', async () => {
    const settings = [16, 64, 128, 512].flatMap((mib) => ['100 ms', '300 ms', '1 s'].flatMap((limit) => ['random', 'sequential'].map((ws) => `${ws}, ${mib} MiB/s, ${limit}`)));
    const recs: RunRecord[] = ['precopy', 'auto-converge', 'xbzrle', 'hybrid'].flatMap((policy, k) =>
      settings.map((setting, i) => ({ scenario: 's', kind: 'migration', variant: policy, policy, seed: 0, trial: 0, params: { setting }, metrics: { downtime_ms: 10 + i + k } })),
    );
    const [chart] = sweepCharts(aggregate(recs), 's', 'migration');
    const spec = chart.spec as unknown as { vconcat: Array<{ title: { text: string }; width: { step: number } }> };
    expect(spec.vconcat.map((p) => p.title.text)).toEqual(['precopy', 'auto-converge', 'xbzrle', 'hybrid']);
    expect(24 * spec.vconcat[0].width.step).toBeLessThanOrEqual(720);
    const svg = await renders(chart.spec);
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts.filter((t) => t.endsWith('…'))).toEqual([]);
    expect(texts).toContain('sequential, 512 MiB/s, 1 s');
    expect(Number(/^<svg[^>]* width="(\d+)"/.exec(svg)![1])).toBeLessThanOrEqual(1200);
  });

  it("QEMU's max-bandwidth is in MiB/s on an axis, in a value and read back (one unit wherever a report shows it)", () => {
    const recs = sweepRecords().map((r) => ({ ...r, params: { 'options.max_bandwidth_bps': (r.params['link.bandwidth_bps'] as number) * 8 * 2 ** 20 / 1e6 } }));
    const spec = sweepCharts(aggregate(recs), 's')[0].spec as unknown as Layered;
    expect(spec.layer[0].encoding.x.title).toBe('Max-bandwidth (MiB/s)');
    expect([...new Set(spec.data.values.map((v) => v.x))]).toEqual([1, 10, 100, 1000]);
    expect(formatParam('options.max_bandwidth_bps', 8 * 64 * 2 ** 20)).toBe('64 MiB/s');
    expect(formatParam('migration.options.max_bandwidth_bps', 10e9)).toBe('1,192 MiB/s');
    expect(parseValue('options.max_bandwidth_bps', '64 MiB/s')).toBe(8 * 64 * 2 ** 20);
    // Other bit rates keep their magnitude's unit.
    expect(formatParam('link.bandwidth_bps', 8 * 64 * 2 ** 20)).toBe('537 Mbit/s');
  });

  it('points whose runs did not reach their goal get crosses: in a strip of their own without a value, on the point with one', async () => {
    const recs = sweepRecords().map((r) => {
      const missed = r.policy === 'p1' && (r.params['link.bandwidth_bps'] as number) <= 1e7;
      return { ...r, goal: 'converged', metrics: { ...r.metrics, total_time_ms: missed ? NaN : r.metrics.total_time_ms, wire_bytes: (r.params['link.bandwidth_bps'] as number) * (r.trial + 1), converged: missed ? 0 : 1 } };
    });
    const charts = sweepCharts(aggregate(recs), 's', 'migration');
    expect(charts.map((c) => c.name).slice(0, 3)).toEqual(['total_time_ms-vs-link.bandwidth_bps', 'wire_bytes-vs-link.bandwidth_bps', 'converged-vs-link.bandwidth_bps']);
    const time = charts[0].spec as unknown as Layered;
    const crosses = time.data.values.filter((v) => v.cross_y !== null);
    expect(crosses.map((v) => [v.variant, v.x])).toEqual([['p1', 1], ['p1', 10]]);
    expect(crosses.every((v) => v.mean === null)).toBe(true);
    expect(charts[0].note).toMatch(/✕ marks points where runs did not reach their goal \(converged = 0\).*"no value" strip under the plot/);
    const svg = await renders(charts[0].spec);
    expect(svg.match(/aria-roledescription="point"[^>]*d="M[^"]*"[^>]*transform="translate\([^)]*\) rotate\(45\)"/g)?.length ?? marks(svg, 'symbol')).toBeGreaterThan(0);
    // Bytes have a value for every run: the cross sits on the point.
    const bytes = charts[1].spec as unknown as Layered;
    expect(bytes.data.values.filter((v) => v.cross_mean !== null).map((v) => [v.variant, v.x])).toEqual([['p1', 1], ['p1', 10]]);
    // The goal metric is charted as the share of runs that reached it.
    const share = charts[2].spec as unknown as Layered;
    expect(share.title).toBe('Runs that converged (%) against link bandwidth');
    expect(share.data.values.filter((v) => v.variant === 'p1').map((v) => v.mean)).toEqual([0, 0, 100, 100]);
  });

  it('spansDecades needs positive values two decades apart', () => {
    expect(spansDecades([1, 100])).toBe(true);
    expect(spansDecades([1, 99])).toBe(false);
    expect(spansDecades([0, 1000])).toBe(false);
    expect(spansDecades([5])).toBe(false);
  });
});

describe('referenceDotsChart', () => {
  const cells: ReferenceCell[] = [];
  for (const bw of [10e6, 100e6]) {
    for (const policy of ['baseline', 'dongle-lka', 'demand-fetch']) {
      cells.push({ policy, bandwidth_bps: bw, mean: 1e9 / bw, sd: 1e8 / bw });
    }
  }
  cells[0].published = 120;
  cells[0].holds = false;
  cells[1].published_low = 20;
  cells[1].published_high = 40;
  cells[3].published = 11;

  it('a dot per policy and bandwidth (no bars on a log axis), ±sd error bars, published diamonds, range bands, misses ringed, all in the legend', async () => {
    const spec = referenceDotsChart(cells, { title: 'Resume latency', yTitle: 'resume latency (s)', logY: true });
    const svg = await renders(spec);
    const role = (r: string): number => (svg.match(new RegExp(`aria-roledescription="${r}"`, 'g')) ?? []).length;
    expect(role('bar')).toBe(1); // the published range only: a band from 20 to 40 s
    expect(marks(svg, 'rule')).toBe(6); // six error bars
    expect(svg).toContain('resume latency (s)');
    expect(svg).toContain('10 Mbit/s');
    // Simulated dots, two published diamonds and one ring: 6 + 2 + 1 points.
    expect(role('point')).toBe(9);
    const pts = [...svg.matchAll(/<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="point"/g)].map((m) => m[1]);
    expect(pts.filter((p) => p.includes('published: 120'))).toHaveLength(3); // the dot, the diamond and the ring of that cell
    // The legend names every kind of mark.
    for (const entry of ['published range', 'published', 'outside tolerance', 'policy (simulated)']) expect(svg).toContain(`>${entry}<`);
  });

  it('a linear variant also renders, and the bandwidth labels read well', async () => {
    await renders(referenceDotsChart(cells, { title: 'Slowdown', yTitle: 'slowdown (%)', logY: false }));
    expect(formatBitRate(64e3)).toBe('64 kbit/s');
    expect(formatBitRate(1.5e6)).toBe('1.5 Mbit/s');
    expect(formatBitRate(1e9)).toBe('1 Gbit/s');
    expect(formatBitRate(300)).toBe('300 bit/s');
  });
});

describe('charts of one point', () => {
  it('timeline: one panel per phase, each with its own time axis', async () => {
    const rows = [
      { variant: 'baseline', phase: 'suspend', start_s: 0, end_s: 5 },
      { variant: 'baseline', phase: 'travel', start_s: 5, end_s: 3600 },
      { variant: 'baseline', phase: 'resume', start_s: 3600, end_s: 3800 },
      { variant: 'baseline', phase: 'run', start_s: 3800, end_s: 4900 },
      { variant: 'dongle-lka', phase: 'suspend', start_s: 0, end_s: 5 },
      { variant: 'dongle-lka', phase: 'resume', start_s: 3600, end_s: 3610 },
    ];
    const spec = timelineChart(rows, ['baseline', 'dongle-lka'], 'Timeline');
    expect((spec as unknown as { resolve: unknown }).resolve).toEqual({ scale: { x: 'independent' } });
    const svg = await renders(spec);
    expect(marks(svg, 'rect')).toBeGreaterThanOrEqual(6);
    for (const phase of ['suspend', 'travel', 'resume', 'run']) expect(svg).toContain(`>${phase}<`);
    expect(svg).toContain('>200 s<'); // the resume's duration, written on its bar
  });

  it('remaining bytes over time: a line per variant, in s and MB', async () => {
    const rows = [0, 1000, 2000, 3000].flatMap((t) => [
      { variant: 'precopy', t_ms: t, remaining_bytes: 1e9 / (1 + t) },
      { variant: 'postcopy', t_ms: t, remaining_bytes: 1e9 - t * 3e5 },
    ]);
    const svg = await renders(remainingChart(rows, ['precopy', 'postcopy'], 'Remaining'));
    expect(marks(svg, 'line')).toBe(2);
    expect(svg).toContain('Time since the migration started (s)');
    expect(svg).toMatch(/Bytes left to send \((MB|kB|GB)\)/);
  });

  it('bytes per round: grouped bars from the rounds table (bytes_sent)', async () => {
    const rows = [1, 2, 3].flatMap((round) => [
      { variant: 'precopy', round, phase: 'precopy', pages_sent: 1000 / round, bytes_sent: 4e6 / round },
      { variant: 'xbzrle', round, phase: 'precopy', pages_sent: 800 / round, bytes_sent: 2e6 / round },
    ]);
    const svg = await renders(roundsChart(rows, ['precopy', 'xbzrle'], 'Rounds'));
    expect(marks(svg, 'rect')).toBeGreaterThanOrEqual(6);
    expect(svg).toContain('Sent in the round (MB)');
  });
});

describe('render', () => {
  it('rendering is repeatable byte for byte, whatever was rendered before', async () => {
    const spec = sweepCharts(aggregate(sweepRecords()), 's')[0].spec;
    const a = (await renderSvg(spec)).svg;
    await renderSvg(roundsChart([{ variant: 'x', round: 1, pages_sent: 1, bytes_sent: 1 }], ['x'], 'r'));
    expect((await renderSvg(spec)).svg).toBe(a);
  });

  it('text is escaped in SVG', async () => {
    const svg = await renders(roundsChart([{ variant: '<script>alert(1)</script>', round: 1, pages_sent: 1, bytes_sent: 1 }], ['<script>alert(1)</script>'], 'a & <b>'));
    expect(svg).not.toContain('<script');
    expect(svg).toContain('a &amp; &lt;b&gt;');
  });

  it('PNG through resvg', async () => {
    const png = await renderPng((await renderSvg(roundsChart([{ variant: 'x', round: 1, pages_sent: 1, bytes_sent: 1 }], ['x'], 'r'))).svg);
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(1000);
  });
});
