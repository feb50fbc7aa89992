// The counted memory model agrees in distribution with the per-page one (issue 20, item 4): over 40
// seeds of each shipped migration scenario it supports (and auto-converge on the one that cannot
// converge without it), total time, downtime, bytes and dirty syncs have means within 1% and neither
// a two-sample Kolmogorov-Smirnov test nor Welch's t test rejects at 1%. precopy-qemu runs 200
// seeds: its downtime (about 280 ms, varying by about 10% from seed to seed) is resolved by 40 seeds
// only to about 1.5% of its mean (40 seeds: -1.6%, t -1.0; 200 seeds: -0.3%, t -0.4).
// The QEMU 7.2 reference rows (sim/experiment/qemu-reference.ts) have a sequential writer over a
// layout of zero and non-zero regions: nothing in them is drawn, so the per-page model's numbers
// are the same for every seed, and the counted model, whose sequential ranges are exact, must give
// the same numbers (every pre-copy row without XBZRLE, converging or not, over 3 seeds).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildScenario } from '../../scenarios/build.js';
import { loadScenario, type Loaded } from '../../sim/api.js';
import { deriveConstants, parseCsvRecords, parseSeries, rowScenario } from '../../sim/experiment/qemu-reference.js';
import { ROOT } from '../helpers/cli.js';
import { getPolicy } from '../../policies/index.js';
import { runOne } from '../../sim/run.js';
import { readScenario } from '../helpers/scenarios.js';
import { WELCH_CRITICAL_1PCT, ksCritical, ksStatistic, mean, welchT } from '../helpers/stats.js';

const SEEDS = 40;
/** Seeds for precopy-qemu, whose downtime 40 seeds do not resolve to 1% (header). */
const MORE_SEEDS = 200;
const TIMEOUT_MS = 900_000;

/** Each metric over `seeds` seeds, on both memory models (`read` loads the scenario with one). */
function modelAgreement(name: string, read: (model: string) => Loaded, metrics: readonly string[], seeds: number): Record<string, { pages: number[]; counted: number[] }> {
  const out: Record<string, { pages: number[]; counted: number[] }> = Object.fromEntries(metrics.map((m) => [m, { pages: [], counted: [] }]));
  for (const model of ['pages', 'counted'] as const) {
    const { scenario } = read(model);
    const policy = getPolicy(scenario.policy);
    const options = policy.options.parse(scenario.options);
    for (let seed = 1; seed <= seeds; seed++) {
      const { world, setup } = buildScenario(scenario, seed);
      const { metrics: m } = runOne({ scenario: name, world, setup, policy, options, seed, trial: 0 });
      for (const k of metrics) out[k][model].push(m[k]);
    }
  }
  return out;
}

const CASES: Array<[string, string[], string[], number]> = [
  ['stop-and-copy', [], ['total_time_ms', 'downtime_ms', 'transferred_bytes'], SEEDS],
  ['precopy-qemu', [], ['total_time_ms', 'downtime_ms', 'transferred_bytes', 'dirty_sync_count'], MORE_SEEDS],
  // Never converges: no total time or downtime; how long it ran instead. Its remaining_bytes at the
  // deadline does not agree to 1% (counted -2.9%, t -2.2 over 40 seeds): where the scan cursor
  // stands inside the 512 MiB hot group is approximate (docs/models.md), and the pages pending at
  // an arbitrary moment depend on it.
  ['precopy-nonconvergent', [], ['elapsed_ms', 'transferred_bytes', 'dirty_sync_count'], SEEDS],
  ['postcopy', [], ['total_time_ms', 'downtime_ms', 'transferred_bytes', 'postcopy_faults', 'postcopy_blocktime_ms'], SEEDS],
  // A Zipf working set (postcopy.yaml's VM under QEMU pre-copy): the counted model's bucketed approximation.
  ['postcopy', ['policy=precopy', 'options={ rules: qemu, max_bandwidth: 1Gbit/s, device_state: 256KiB }'], ['total_time_ms', 'downtime_ms', 'transferred_bytes', 'dirty_sync_count'], SEEDS],
  ['precopy-nonconvergent', ['options.auto_converge=true'], ['total_time_ms', 'downtime_ms', 'transferred_bytes', 'dirty_sync_count', 'guest_lost_s'], SEEDS],
];

describe('the counted memory model agrees with the per-page one', () => {
  for (const [name, sets, metrics, seeds] of CASES) {
    it(`${name}${sets.length > 0 ? ` (${sets.join(', ')})` : ''}`, { timeout: TIMEOUT_MS }, () => {
      const runs = modelAgreement(name, (model) => readScenario(name, [...sets, `vm.model=${model}`]), metrics, seeds);
      for (const k of metrics) {
        const { pages, counted } = runs[k];
        const rel = Math.abs(mean(counted) - mean(pages)) / Math.abs(mean(pages));
        const t = welchT(pages, counted);
        const what = `${name} ${k}: per-page mean ${mean(pages)}, counted ${mean(counted)}, t ${t.toFixed(2)}, KS ${ksStatistic(pages, counted).toFixed(3)}`;
        expect(ksStatistic(pages, counted), what).toBeLessThanOrEqual(ksCritical(seeds, seeds, 0.01));
        expect(Math.abs(t), what).toBeLessThan(WELCH_CRITICAL_1PCT);
        expect(rel, what).toBeLessThan(0.01);
      }
    });
  }
});

const QEMU_DIR = join(ROOT, 'scenarios', 'reference', 'qemu-7.2');
const QEMU_SEEDS = 3;

describe('the counted memory model gives the per-page numbers on the QEMU 7.2 reference rows', () => {
  const rows = parseCsvRecords(readFileSync(join(QEMU_DIR, 'results.csv'), 'utf8'));
  const constants = deriveConstants(rows, (id) => parseSeries(readFileSync(join(QEMU_DIR, 'series', `remaining-${id}.csv`), 'utf8')));
  // XBZRLE caches pages by identity and post-copy's hybrid policy reads them: both refuse the counted model.
  const precopy = rows.filter((r) => r.mode === 'precopy');
  it('has converging and non-converging pre-copy rows', () => {
    expect(precopy.filter((r) => r.outcome === 'completed').length).toBeGreaterThanOrEqual(10);
    expect(precopy.filter((r) => r.outcome !== 'completed').length).toBeGreaterThanOrEqual(5);
  });
  for (const row of precopy) {
    const converges = row.outcome === 'completed';
    const metrics = converges ? ['total_time_ms', 'downtime_ms', 'transferred_bytes', 'dirty_sync_count'] : ['elapsed_ms', 'transferred_bytes', 'dirty_sync_count'];
    it(`row ${row.run_id}`, { timeout: TIMEOUT_MS }, () => {
      const doc = rowScenario(row, constants);
      const runs = modelAgreement(row.run_id, (model) => loadScenario(doc, { file: row.run_id, set: [`vm.model=${model}`] }), metrics, QEMU_SEEDS);
      for (const k of metrics) {
        const { pages, counted } = runs[k];
        const what = `${row.run_id} ${k}: per-page ${pages.join(' ')}, counted ${counted.join(' ')}`;
        expect(pages.every(Number.isFinite), what).toBe(true);
        expect(Math.abs(mean(counted) - mean(pages)) / Math.abs(mean(pages)), what).toBeLessThan(0.01);
      }
    });
  }
});
