// The acceptance test of the QEMU 7.2 reproduction: every reference row (scenarios/reference/qemu-7.2/)
// built from its own parameters and the idle-derived constants, run once, against issue 11's targets.
// One reproduction is shared by every test in this file (about 3 s of simulation on one core).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { reproduceQemu, type QemuReproduction } from '../../sim/cli/commands/reproduce-qemu.js';
import { deriveConstants, isIdle, parseCsvRecords, parseSeries, rowScenario } from '../../sim/experiment/qemu-reference.js';
import { median, qemuTargets, QEMU_TARGETS, type QemuComparison } from '../../reports/qemu-compare.js';
import { ROOT } from '../helpers/cli.js';
import { parseCsv } from '../helpers/isr.js';

const DIR = join(ROOT, 'scenarios', 'reference', 'qemu-7.2');
const rows = parseCsvRecords(readFileSync(join(DIR, 'results.csv'), 'utf8'));
const seriesOf = (id: string) => parseSeries(readFileSync(join(DIR, 'series', `remaining-${id}.csv`), 'utf8'));

/**
 * Targets the model is known to miss, each checked to still miss (update this list when the model
 * improves) and printed as an "EXPECTED MISS" line. `measured` is the simulated value.
 */
const EXPECTED_MISSES: ReadonlyArray<{ target: string; measured: number; goal: number; reason: string }> = [
  {
    target: 'total time',
    measured: 0.063,
    goal: QEMU_TARGETS.time_median,
    reason:
      '13 of the 14 rows are simulated slower (-0.7% to +14.5%) because the model sends more non-zero pages: it gives a ' +
      'working-set guest the idle guest\'s non-zero pages plus the W touched pages, while in 27 of the 28 working-set runs QEMU\'s ' +
      'first pass found 280 to 4530 fewer (median 2315; summary.md lists them per row, at the same scan position). The guest\'s ' +
      'allocator handed the dirtier frames that already held boot leftovers, so they were non-zero before and after; how many ' +
      'changes from boot to boot and cannot be read off the idle rows, the only rows constants may come from. 4 to 18 MB more ' +
      'at 64 MiB/s is 1 to 4 more 100 ms windows',
  },
  {
    target: 'downtime',
    measured: 0.32,
    goal: QEMU_TARGETS.downtime_median,
    reason:
      'the model sends the right bytes at the switch-over (downtime bytes within a few % at the median) but copies the ' +
      'working-set rows\' stopped rounds too slowly: QEMU moved their 14-20 MB at about 1 GB/s (12-20 ms), while the idle ' +
      'rows, the only rows constants may come from, give 723 MB/s. An idle guest\'s stopped round at 64 MiB/s is the end of ' +
      'its first pass, pages the destination has never held (the destination QEMU allocates them on arrival); a ' +
      'working-set guest\'s comes after further passes and re-sends pages the destination holds already. An idle guest re-sends almost nothing, so no idle row ' +
      'can measure the faster re-send rate',
  },
];

let rep: QemuReproduction;
let cmp: QemuComparison[];
const of = (metric: string) => cmp.filter((c) => c.metric === metric);
const converging = (row: string) => rows.find((r) => r.run_id === row)!.outcome === 'completed';

beforeAll(() => {
  rep = reproduceQemu({ set: [] });
  cmp = rep.comparison;
  console.info(`qemu-7.2 reproduction: ${rep.records.length} runs, ${rep.events} events, ${rep.wall_s.toFixed(2)} s of simulation`);
}, 120_000);

describe('qemu-7.2 reproduction: the rows and their scenarios', () => {
  it('runs every reference row once, named by its run id', () => {
    expect(rows).toHaveLength(33);
    expect(rep.records.map((r) => r.params.row)).toEqual(rows.map((r) => r.run_id));
    expect(new Set(rep.records.map((r) => r.policy))).toEqual(new Set(['precopy', 'hybrid']));
  });

  it('builds a row from its parameters only: the measured outcome of a row never reaches its scenario', () => {
    const constants = deriveConstants(rows, seriesOf);
    const outcomes = ['outcome', 'total_time_ms', 'downtime_ms', 'ram_transferred', 'ram_normal', 'ram_duplicate', 'ram_dirty_sync_count', 'ram_postcopy_requests', 'xbzrle_bytes'];
    for (const r of rows) {
      const blanked = { ...r, ...Object.fromEntries(outcomes.map((k) => [k, ''])) };
      expect(rowScenario(blanked, constants)).toEqual(rowScenario(r, constants));
    }
  });

  it('derives the global constants from the idle rows only: other rows and their series do not move them', () => {
    const a = deriveConstants(rows, seriesOf);
    const scrambled = rows.map((r) => (isIdle(r) ? r : { ...r, downtime_ms: '999', ram_downtime_bytes: '1', setup_time_ms: '77' }));
    const b = deriveConstants(scrambled, (id) => (rows.find((r) => r.run_id === id && isIdle(r)) ? seriesOf(id) : []));
    expect(b).toEqual(a);
    // Each idle cell's least-downtime trial sets the copy rate and the switch-over cost: a slower trial does not move them.
    const disturbed = rows.map((r) => (r.run_id === 'idle-B64-t1' ? { ...r, downtime_ms: '99' } : r));
    expect(deriveConstants(disturbed, seriesOf)).toEqual(a);
    const faster = rows.map((r) => (r.run_id === 'idle-B64-t1' ? { ...r, downtime_ms: '10' } : r));
    expect(deriveConstants(faster, seriesOf).copy_Bps).toBeGreaterThan(a.copy_Bps);
    // What they are: an idle guest of about 85 MiB of non-zero pages (the reference README's figure), a loopback copy
    // rate of hundreds of MB/s, a switch-over cost of about a millisecond.
    expect((a.idle_nonzero_pages * a.page_bytes) / 2 ** 20).toBeCloseTo(84.5, 0);
    expect(a.copy_Bps).toBeGreaterThan(1e8);
    expect(a.stop_s).toBeGreaterThan(0);
    expect(a.stop_s).toBeLessThan(0.005);
  });
});

describe('qemu-7.2 reproduction: fidelity targets', () => {
  it('every converged / not-converged verdict is right', () => {
    const wrong = of('converged').filter((c) => c.error !== 0);
    expect(of('converged')).toHaveLength(33);
    expect(wrong.map((c) => `${c.row}: measured ${c.measured}, simulated ${c.simulated}`)).toEqual([]);
  });

  it('the dirty-sync count is within ±2 in every converging row', () => {
    const judged = of('dirty_sync_count').filter((c) => converging(c.row));
    expect(judged).toHaveLength(21);
    expect(judged.filter((c) => Math.abs(c.error) > QEMU_TARGETS.sync_abs).map((c) => `${c.row}: ${c.measured} vs ${c.simulated}`)).toEqual([]);
  });

  it('bytes transferred: median error at most 5% over all rows (and over the converging ones)', () => {
    const all = of('transferred_bytes').map((c) => Math.abs(c.error));
    expect(all).toHaveLength(33);
    expect(median(all)).toBeLessThanOrEqual(QEMU_TARGETS.bytes_median);
    expect(median(of('transferred_bytes').filter((c) => converging(c.row)).map((c) => Math.abs(c.error)))).toBeLessThanOrEqual(QEMU_TARGETS.bytes_median);
  });

  it('xbzrle and post-copy rows: total time and bytes within 10%', () => {
    const judged = cmp.filter((c) => c.mode !== 'precopy' && (c.metric === 'total_time_ms' || c.metric === 'transferred_bytes'));
    expect(judged).toHaveLength(8);
    for (const c of judged) expect(Math.abs(c.error), `${c.row} ${c.metric}: ${c.measured} vs ${c.simulated}`).toBeLessThanOrEqual(QEMU_TARGETS.mode_rows);
  });

  it('runs that do not converge move max-bandwidth x 120 s and report the sending rate as their dirty-pages rate', () => {
    for (const c of of('dirty_pages_rate')) expect(Math.abs(c.error), `${c.row}: ${c.measured} vs ${c.simulated}`).toBeLessThan(0.03);
    for (const c of of('total_time_ms').filter((x) => !converging(x.row))) expect(Math.abs(c.error)).toBeLessThan(0.001);
  });

  it('total time: the median error over converging pre-copy rows with a working set (an expected miss)', () => {
    const judged = of('total_time_ms').filter((c) => c.mode === 'precopy' && converging(c.row) && !c.row.startsWith('idle'));
    expect(judged).toHaveLength(14);
    const value = median(judged.map((c) => Math.abs(c.error)));
    const miss = EXPECTED_MISSES.find((m) => m.target === 'total time')!;
    expect(value, 'the median now meets its goal: remove it from EXPECTED_MISSES').toBeGreaterThan(miss.goal);
    expect(value).toBeCloseTo(miss.measured, 3);
    // The misses all lean one way, which is what the stated reason predicts.
    expect(judged.every((c) => c.error > -0.01)).toBe(true);
    // The idle rows, whose content the constants describe, are within 1.5% (idle-B64-t1: -1.4%, its 28 ms downtime is
    // the disturbed trial the constants leave aside, 14 ms more than the model's).
    for (const c of of('total_time_ms').filter((x) => x.row.startsWith('idle'))) expect(Math.abs(c.error), c.row).toBeLessThan(0.015);
    console.info(`EXPECTED MISS: total-time median error ${(value * 100).toFixed(1)}% (goal ${miss.goal * 100}%). Why: ${miss.reason}`);
  });

  it('downtime: the median error over converging rows (an expected miss); the bytes of the stopped rounds agree', () => {
    const judged = of('downtime_ms');
    expect(judged).toHaveLength(21);
    const value = median(judged.map((c) => Math.abs(c.error)));
    const miss = EXPECTED_MISSES.find((m) => m.target === 'downtime')!;
    expect(value, 'the median now meets its goal: remove it from EXPECTED_MISSES').toBeGreaterThan(miss.goal);
    expect(value).toBeCloseTo(miss.measured, 2);
    // What the stated reason rests on: the working-set rows' stopped rounds carry QEMU's bytes (median signed error
    // within 5%), yet take longer than QEMU's in most of them.
    const ws = (c: QemuComparison) => c.mode === 'precopy' && !c.row.startsWith('idle');
    const bytes = of('downtime_bytes').filter(ws);
    expect(bytes).toHaveLength(14);
    expect(Math.abs(median(bytes.map((c) => c.error)))).toBeLessThan(0.05);
    expect(judged.filter(ws).filter((c) => c.error > 0).length).toBeGreaterThan(10);
    // summary.md shows it row by row: the copy rate QEMU's figures imply, which the idle rows put at 723 MB/s.
    const stopped = rep.summary.split('\n').filter((l) => /^\| (idle|W)\S+ \| [\d.]+ → /.test(l));
    expect(stopped).toHaveLength(18);
    const rates = stopped.map((l) => Number(l.split('|')[4]));
    expect(median(rates.filter((_, k) => !stopped[k].startsWith('| idle')))).toBeGreaterThan(1000);
    console.info(`EXPECTED MISS: downtime median error ${(value * 100).toFixed(1)}% (goal ${miss.goal * 100}%). Why: ${miss.reason}`);
  });

  it('the targets the summary reports agree with the checks above', () => {
    const t = qemuTargets(rep.measured, cmp);
    expect(t.map((x) => [x.name, x.holds])).toEqual([
      ['total time', false],
      ['verdicts', true],
      ['dirty-sync count', true],
      ['bytes transferred', true],
      ['xbzrle and post-copy rows', true],
      ['downtime', false],
    ]);
    expect(rep.summary).toContain('| downtime |');
    expect(rep.summary).toContain('| total time |');
  });
});

describe('qemu-7.2 reproduction: outputs', () => {
  it('comparison.csv has the documented header, a row per (reference row, metric), holds as judged', () => {
    const file = rep.files.find((f) => f.name === 'comparison.csv')!;
    const [header, ...body] = parseCsv(file.content as string);
    expect(header).toEqual(['row', 'mode', 'metric', 'measured', 'simulated', 'error', 'target', 'holds']);
    expect(body).toHaveLength(cmp.length);
    for (const [k, r] of body.entries()) {
      expect(r[0]).toBe(cmp[k].row);
      expect(r[2]).toBe(cmp[k].metric);
      expect(r[7]).toBe(cmp[k].holds === null ? '' : String(cmp[k].holds));
    }
    for (const metric of ['converged', 'total_time_ms', 'transferred_bytes', 'dirty_sync_count']) expect(of(metric)).toHaveLength(33);
    expect(of('downtime_ms')).toHaveLength(21);
  });

  it('writes runs.csv, rounds.csv, remaining.csv, summary.md and every row\'s scenario', () => {
    const names = rep.files.map((f) => f.name);
    for (const n of ['runs.csv', 'rounds.csv', 'remaining.csv', 'comparison.csv', 'summary.md']) expect(names).toContain(n);
    expect(names.filter((n) => n.startsWith('scenarios/'))).toHaveLength(33);
    expect(rep.charts.map((c) => c.name)).toEqual(['total-time', 'transferred', 'total-time-error']);
  });
});
