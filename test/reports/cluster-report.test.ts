// A cluster operation's report from its records (hand-made in the driver's shapes, so every number
// is known): the Gantt chart of migrations (capped rows, said how many were left out), migrations
// under way over time, the busiest links' utilisation, the headline's "n of N converged", and
// findings that name a winner with its costs on the other axes.
import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { aggregate } from '../../reports/aggregate.js';
import { detailCharts, pickDetailPoint } from '../../reports/detail.js';
import { findings } from '../../reports/findings.js';
import { GANTT_ROWS, MIGRATING, NOT_CONVERGED, PAUSED, QUEUED, UNDER_WAY_BINS, evenSample, ganttChart, peaks, underWay, underWayChart } from '../../reports/gantt.js';
import { headlineTable } from '../../reports/headline.js';
import { LINKS_SHOWN, busiestLinks, linkChart } from '../../reports/link-chart.js';
import { renderSvg } from '../../reports/render.js';
import { sweepCharts } from '../../reports/sweep-charts.js';
import { label } from '../../reports/units.js';
import type { Rows, RunRecord } from '../../sim/results/record.js';
import { clusterRecord, linkRows, migrationRows, type ClusterFixture } from '../helpers/cluster-records.js';

const withVariant = (rows: Rows, variant: string): Rows => rows.map((r) => ({ ...r, variant }));
const F: ClusterFixture = { vms: 4, concurrent: 2, seconds: 10, variant: 'two-at-a-time', migrationPolicy: 'precopy' };

interface Spec {
  title: string | { text: string; subtitle: string };
  data: { values: Array<Record<string, unknown>> };
  facet?: Record<string, { field: string; sort?: unknown[] }>;
  spec?: { layer?: unknown[]; encoding: Record<string, { scale?: { domain?: unknown[] } }> };
  layer?: unknown[];
}

/** Data marks of one type in a rendered chart (role-mark groups, not axes or legends). */
function marks(svg: string, type: string): number {
  let count = 0;
  for (const m of svg.matchAll(new RegExp(`<g class="mark-${type} role-mark[^"]*"[^>]*>(.*?)</g>`, 'gs'))) count += (m[1].match(/<path\b/g) ?? []).length;
  return count;
}

async function rendersClean(spec: TopLevelSpec): Promise<string> {
  const r = await renderSvg(spec);
  expect(r.warnings).toEqual([]);
  return r.svg;
}

describe('the Gantt chart of migrations', () => {
  it('a bar per migration from start to end, the wait before it lighter, the pause marked, a failure crossed', async () => {
    const rows = withVariant(migrationRows({ ...F, failed: [3] }), 'two-at-a-time');
    const { spec, note } = ganttChart(rows, ['two-at-a-time'], 'Migrations');
    expect(note).toBe('');
    const s = spec as unknown as Spec;
    const bars = s.data.values.filter((v) => v.phase !== undefined);
    // vm0 and vm1 start at 0; vm2 and vm3 wait 10 s for a slot, then migrate 10 s.
    expect(bars.filter((b) => b.phase === MIGRATING).map((b) => [b.vm, b.from, b.to])).toEqual([['vm0', 0, 10], ['vm1', 0, 10], ['vm2', 10, 20], ['vm3', 10, 20]]);
    expect(bars.filter((b) => b.phase === QUEUED).map((b) => [b.vm, b.from, b.to])).toEqual([['vm2', 0, 10], ['vm3', 0, 10]]);
    // The pause starts downtime_ms before the end (40 ms + 10 ms per VM index mod 7); vm3 never paused.
    const paused = s.data.values.filter((v) => v.what === PAUSED);
    expect(paused.map((p) => p.vm)).toEqual(['vm0', 'vm1', 'vm2']);
    expect(paused[2].at).toBeCloseTo(20 - 0.06, 9);
    expect(s.data.values.filter((v) => v.what === NOT_CONVERGED).map((v) => [v.vm, v.at])).toEqual([['vm3', 20]]);
    const svg = await rendersClean(spec);
    expect(marks(svg, 'rect')).toBeGreaterThanOrEqual(6 + 3); // 4 bars, 2 waits, 3 pauses
    expect(marks(svg, 'symbol')).toBeGreaterThanOrEqual(1); // the cross
    expect(svg).toContain('Time since the operation began (s)');
    for (const legend of ['migration policy', 'precopy', QUEUED, MIGRATING, PAUSED, NOT_CONVERGED]) expect(svg).toContain(legend.replace('(', '('));
  });

  it('1,000 migrations: an even sample of rows in order of start, and the chart says how many it left out', async () => {
    const rows = [...withVariant(migrationRows({ ...F, vms: 1000 }), 'a'), ...withVariant(migrationRows({ ...F, vms: 1000, concurrent: 4 }), 'b')];
    const { spec, note } = ganttChart(rows, ['a', 'b'], 'Migrations');
    const per = GANTT_ROWS / 2;
    expect(note).toBe(`Showing ${per} of 1,000 migrations per variant (an even sample in order of start, the first and the last included); migrations.csv has every one, and the chart of migrations under way counts them all.`);
    const s = spec as unknown as Spec;
    expect(s.title).toEqual({ text: 'Migrations', subtitle: `${per} of 1,000 migrations shown` });
    // A panel per variant, each with its own rows.
    expect((s as unknown as { vconcat: unknown[] }).vconcat).toHaveLength(2);
    for (const v of ['a', 'b']) {
      const shown = s.data.values.filter((x) => x.variant === v && x.phase === MIGRATING);
      expect(shown).toHaveLength(per);
      expect(shown[0].vm).toBe('vm0');
      expect(shown[per - 1].vm).toBe('vm999');
      const starts = shown.map((x) => x.from as number);
      expect([...starts].sort((p, q) => p - q)).toEqual(starts);
    }
    const svg = await rendersClean(spec);
    // Two panels of GANTT_ROWS / 2 rows each at 11 px: far from a 20,000 px strip.
    const height = Number(/<svg[^>]* height="(\d+)"/.exec(svg)![1]);
    expect(height).toBeLessThan(900);
  });

  it('120,000 migrations and their links: no spread of every row into one call (the stack would overflow)', () => {
    const f = { ...F, vms: 120_000, concurrent: 1000 };
    const { note } = ganttChart(withVariant(migrationRows(f), 'a'), ['a'], 'Migrations');
    expect(note).toMatch(/^Showing 60 of 120,000 migrations/);
    const links = withVariant(linkRows({ ...f, concurrent: 1 }), 'a');
    expect(links.length).toBeGreaterThan(400_000);
    expect(linkChart(links, ['a'], 'Links').note).toBe('');
  });

  it('evenSample keeps the order and both ends', () => {
    expect(evenSample([1, 2, 3], 5)).toEqual([1, 2, 3]);
    expect(evenSample(Array.from({ length: 101 }, (_, i) => i), 11)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  });
});

describe('migrations under way', () => {
  it('counts what runs and what waits at each moment', () => {
    // 5 migrations 2 at a time: 2 run from 0, 3 wait; at 10 two more start; at 20 the last; done at 30.
    const steps = underWay(migrationRows({ ...F, vms: 5 }));
    const at = (state: string) => steps.filter((p) => p.state === state).map((p) => [p.t, p.count]);
    expect(at(MIGRATING)).toEqual([[0, 2], [20, 1], [30, 0]]);
    expect(at(QUEUED)).toEqual([[0, 3], [10, 1], [20, 0], [30, 0]]);
  });

  it('a line of many steps is drawn in slices of time at the highest count within each', () => {
    // 30,001 migrations 3 at a time, 10 s each (the last batch of one): 10,002 steps of the queue.
    const steps = underWay(migrationRows({ ...F, vms: 30_001, concurrent: 3 }));
    expect(steps.length).toBeGreaterThan(10_000);
    const drawn = peaks(steps);
    expect(drawn.length).toBeLessThanOrEqual(2 * (UNDER_WAY_BINS + 1));
    for (const state of [MIGRATING, QUEUED]) {
      const exact = steps.filter((p) => p.state === state);
      const shown = drawn.filter((p) => p.state === state);
      expect(Math.max(...shown.map((p) => p.count))).toBe(Math.max(...exact.map((p) => p.count)));
      expect(shown[shown.length - 1]).toEqual(exact[exact.length - 1]);
    }
    // Each slice at the highest count within it: the queue's at its start, 3 running throughout but the end.
    expect(drawn.filter((p) => p.state === MIGRATING && p.t < 100_000).every((p) => p.count === 3)).toBe(true);
    const few = underWay(migrationRows(F));
    expect(peaks(few)).toBe(few);
    const { note } = underWayChart(withVariant(migrationRows({ ...F, vms: 30_001, concurrent: 3 }), 'a'), ['a'], 'Under way');
    expect(note).toBe('Drawn in 1,000 slices of time, each at the highest count within it (migrations.csv has every start and end).');
  });

  it('says which variants draw the very same lines (one would hide the other)', () => {
    const rows = [...withVariant(migrationRows(F), 'a'), ...withVariant(migrationRows(F), 'b'), ...withVariant(migrationRows({ ...F, concurrent: 4 }), 'c')];
    expect(underWayChart(rows, ['a', 'b', 'c'], 'Under way').note).toBe('Identical lines: b lies on a.');
    expect(underWayChart(rows, ['a', 'c'], 'Under way').note).toBe('');
  });
});

describe('the busiest links', () => {
  it('among links of the same peak, the one full longest comes first', () => {
    const row = (link: string, t_s: number, utilisation_pct: number) => ({ variant: 'v', link, t_s, capacity_Bps: 1, migration_Bps: utilisation_pct / 100, background_Bps: 0, utilisation_pct });
    // a and b both reach 100%; b for 5 s, a for 1 s; c peaks at 90%.
    const rows = [row('a', 0, 100), row('b', 0, 100), row('c', 0, 90), row('a', 1, 0), row('b', 5, 0), row('c', 9, 0)];
    expect(busiestLinks(rows)).toEqual([
      { link: 'b', peak_pct: 100 },
      { link: 'a', peak_pct: 100 },
      { link: 'c', peak_pct: 90 },
    ]);
  });

  it('the five links of highest peak, a panel each, migration and background stacked on a 0-100% axis', async () => {
    const rows = withVariant(linkRows({ ...F, links: 7 }), 'two-at-a-time');
    expect(busiestLinks(rows).map((l) => l.link)).toEqual(['rack0-up', 'rack1-up', 'core', 'rack2-up', 'rack5-up', 'rack3-up', 'rack4-up']);
    const { spec, note } = linkChart(rows, ['two-at-a-time'], 'Links');
    expect(note).toBe(`The ${LINKS_SHOWN} busiest of 7 links that carried migrations, by peak utilisation; links.csv has every one.`);
    const s = spec as unknown as Spec;
    expect(s.facet!.row.sort).toEqual(['rack0-up (peak 100%)', 'rack1-up (peak 88%)', 'core (peak 79%)', 'rack2-up (peak 73%)', 'rack5-up (peak 73%)']);
    expect(s.spec!.encoding.y.scale!.domain).toEqual([0, 100]);
    // Two batches: a row at 0 and at 10 with the same rates (the second dropped: the step is the same), and the end at 20.
    const rack0 = s.data.values.filter((v) => v.link === 'rack0-up (peak 100%)' && v.traffic === 'migration');
    expect(rack0.map((v) => [v.t, v.pct])).toEqual([[0, 90], [20, 0]]);
    const background = s.data.values.filter((v) => v.link === 'rack0-up (peak 100%)' && v.traffic === 'background');
    expect(background.map((v) => v.pct)).toEqual([10, 10]);
    const svg = await rendersClean(spec);
    expect(marks(svg, 'area')).toBe(2 * LINKS_SHOWN);
    expect(svg).toContain('Utilisation (%)');
  });
});

function sweep(): RunRecord[] {
  const out: RunRecord[] = [];
  for (const c of [1, 2, 4]) {
    for (const trial of [0, 1]) {
      out.push(clusterRecord({ ...F, vms: 8, concurrent: 1, variant: 'sequential', params: { 'options.max_per_host': c }, trial, failed: [5] }));
      out.push(clusterRecord({ ...F, vms: 8, concurrent: c, seconds: 10 * c, variant: 'concurrent', params: { 'options.max_per_host': c }, trial }));
    }
  }
  return out;
}

describe('the report of a cluster sweep', () => {
  it('the headline: makespan, downtimes, bytes, converged n of N, the busiest link, the background loss', () => {
    const t = headlineTable(aggregate(sweep()), 'cluster');
    expect(t.metrics).toEqual(['makespan_s', 'worst_downtime_ms', 'total_downtime_ms', 'transferred_bytes', 'converged_migrations', 'busiest_link_peak_pct', 'background_lost_pct']);
    expect(t.head).toEqual(['Concurrency per host', 'variant', 'Makespan', 'Worst downtime', 'Total downtime', 'Memory transferred', 'Converged migrations', 'Busiest link peak / mean', 'Background loss']);
    const seq = t.rows.find((r) => r.variant === 'sequential')!;
    // 8 migrations of 4 to 7 GiB (x 1.1 on the wire): 52 GB; the downtimes of the 7 that converged
    // (40 ms + 10 ms per index mod 7, vm5's 90 ms missing): 440 ms, the worst 100 ms.
    expect(seq.cells.map((c) => c.text)).toEqual(['80 s', '100 ms', '440 ms', '52 GB', '7 of 8', '100% / 80%', '5%']);
  });

  it('one name per metric: headline, findings and charts all say what units.ts says', () => {
    const agg = aggregate(sweep());
    const t = headlineTable(agg, 'cluster');
    const heads = t.head.slice(t.params.length + 1);
    t.metrics.forEach((m, i) => {
      expect(heads[i].startsWith(label(m)), `${m} is headed "${heads[i]}"`).toBe(true);
    });
    expect(heads).toContain('Memory transferred');
    const names = new Set(agg.metrics.map((m) => label(m).toLowerCase()));
    for (const f of findings(agg, 'cluster')) {
      expect(names.has(/^Lowest (.*?):/.exec(f)![1]), f).toBe(true);
      for (const cost of (/its costs there: (.*)\.$/.exec(f)?.[1] ?? '').split('; ').filter(Boolean)) expect(names.has(/^(.*?) [\d.,]+/.exec(cost)![1]), cost).toBe(true);
    }
    for (const c of sweepCharts(agg, 'evacuate-host', 'cluster').filter((c) => !c.name.startsWith('tradeoff-'))) {
      const metric = c.name.split('-vs-')[0];
      expect(c.title.startsWith(label(metric)), c.title).toBe(true);
    }
  });

  it('findings name the winner on one axis with its cost on the others', () => {
    const found = findings(aggregate(sweep()), 'cluster');
    // Concurrent is as fast at every max_per_host (80 s: 8 x 10 s, c at a time, each c times slower) ...
    expect(found[0]).toBe('Lowest makespan: sequential at every concurrency per host, 1 to 4 (80 s; concurrent within 2% of it there) — its costs there: worst downtime 100 ms; memory transferred 52 GB; background loss 5%.');
    // ... but loses more of the background traffic the more it runs at once.
    const bg = found.find((f) => f.startsWith('Lowest background loss'))!;
    expect(bg).toBe('Lowest background loss: sequential at every concurrency per host, 1 to 4 (5%; concurrent within 2% of it at 1 of those points) — its costs there: makespan 80 s; worst downtime 100 ms; memory transferred 52 GB.');
  });

  it('one variant over many points: the point that does best on each axis, with its costs on the others', () => {
    // 8 migrations, c at a time, each sqrt(c) x 10 s: makespan 80 / sqrt(c) s; background loss 5% x c.
    const records = [1, 2, 4].map((c) => clusterRecord({ ...F, vms: 8, concurrent: c, seconds: 10 * Math.sqrt(c), variant: 'concurrent', params: { 'options.max_per_host': c } }));
    const found = findings(aggregate(records), 'cluster');
    expect(found[0]).toBe('Lowest makespan: concurrent at concurrency per host 4 (40 s) — its costs there: worst downtime 100 ms; memory transferred 52 GB; background loss 20%.');
    expect(found.find((f) => f.startsWith('Lowest background loss'))).toBe('Lowest background loss: concurrent at concurrency per host 1 (5%) — its costs there: makespan 80 s; worst downtime 100 ms; memory transferred 52 GB.');
    // Bytes and worst downtime are the same everywhere: the next point is said to tie.
    expect(found.find((f) => f.startsWith('Lowest memory transferred'))).toMatch(/^Lowest memory transferred: concurrent at concurrency per host \d \(52 GB; concurrency per host \d within 2% of it\)/);
    // A migration kind's sweep of one variant states no such thing (its findings compare variants).
    expect(findings(aggregate(records.map((r) => ({ ...r, kind: 'migration' }))), 'migration')).toEqual([]);
  });

  it('the detail point shows the Gantt chart, migrations under way and the links, every variant', async () => {
    const records = sweep();
    const agg = aggregate(records);
    const charts = detailCharts(records, pickDetailPoint(agg, 'cluster', { 'options.max_per_host': 4 }));
    expect(charts.map((c) => c.name)).toEqual(['detail-migrations', 'detail-migrations-under-way', 'detail-links']);
    expect(charts[0].title).toBe('Migrations over time at concurrency per host 4, trial 0');
    for (const c of charts) await rendersClean(c.spec);
    // Counts are charted against the swept count with whole ticks only.
    const bg = sweepCharts(agg, 'evacuate-host', 'cluster').find((c) => c.name === 'background_lost_pct-vs-options.max_per_host')!;
    expect(bg.headline).toBe(true);
    expect(JSON.stringify(bg.spec)).toContain('"tickMinStep":1');
    // The trade-off: worst downtime and background loss against makespan, a mark per variant and point.
    const trades = sweepCharts(agg, 'evacuate-host', 'cluster').filter((c) => c.name.startsWith('tradeoff-'));
    expect(trades.map((c) => [c.name, c.title, c.headline])).toEqual([
      ['tradeoff-worst_downtime_ms-vs-makespan_s', 'Worst downtime (ms) against makespan (s)', true],
      ['tradeoff-background_lost_pct-vs-makespan_s', 'Background loss (%) against makespan (s)', true],
    ]);
    expect((trades[1].spec as unknown as Spec).data.values).toHaveLength(6);
  });
});
