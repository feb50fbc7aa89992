// The counted memory model agrees in distribution with the per-page one (issue 20, item 4): over 40
// seeds of each shipped migration scenario it supports (and auto-converge on the one that cannot
// converge without it), total time, downtime, bytes and dirty syncs have means within 1% and neither
// a two-sample Kolmogorov-Smirnov test nor Welch's t test rejects at 1%. Downtime is the noisiest
// (a few hundred ms, varying by about 10% from seed to seed, so 40 seeds resolve its mean to about
// 1.5%): where its means differ by more than 1%, the difference must be under one standard error
// (docs/models.md gives 200-seed figures). The QEMU reference runs use a sequential writer, which the
// counted model does not support yet (it refuses them; docs/models.md).
import { describe, expect, it } from 'vitest';
import { buildScenario } from '../../scenarios/build.js';
import { getPolicy } from '../../policies/index.js';
import { runOne } from '../../sim/run.js';
import { readScenario } from '../helpers/scenarios.js';
import { WELCH_CRITICAL_1PCT, ksCritical, ksStatistic, mean, welchT } from '../helpers/stats.js';

const SEEDS = 40;
const TIMEOUT_MS = 900_000;

/** Each metric over SEEDS seeds, on both memory models. */
function modelAgreement(name: string, sets: readonly string[], metrics: readonly string[]): Record<string, { pages: number[]; counted: number[] }> {
  const out: Record<string, { pages: number[]; counted: number[] }> = Object.fromEntries(metrics.map((m) => [m, { pages: [], counted: [] }]));
  for (const model of ['pages', 'counted'] as const) {
    const { scenario } = readScenario(name, [...sets, `vm.model=${model}`]);
    const policy = getPolicy(scenario.policy);
    const options = policy.options.parse(scenario.options);
    for (let seed = 1; seed <= SEEDS; seed++) {
      const { world, setup } = buildScenario(scenario, seed);
      const { metrics: m } = runOne({ scenario: name, world, setup, policy, options, seed, trial: 0 });
      for (const k of metrics) out[k][model].push(m[k]);
    }
  }
  return out;
}

const CASES: Array<[string, string[], string[]]> = [
  ['stop-and-copy', [], ['total_time_ms', 'downtime_ms', 'transferred_bytes']],
  ['precopy-qemu', [], ['total_time_ms', 'downtime_ms', 'transferred_bytes', 'dirty_sync_count']],
  // Never converges: no total time or downtime; how far it got instead.
  ['precopy-nonconvergent', [], ['elapsed_ms', 'transferred_bytes', 'dirty_sync_count', 'remaining_bytes']],
  ['precopy-nonconvergent', ['options.auto_converge=true'], ['total_time_ms', 'downtime_ms', 'transferred_bytes', 'dirty_sync_count', 'guest_lost_s']],
];

describe('the counted memory model agrees with the per-page one', () => {
  for (const [name, sets, metrics] of CASES) {
    it(`${name}${sets.length > 0 ? ` (${sets.join(', ')})` : ''}`, { timeout: TIMEOUT_MS }, () => {
      const runs = modelAgreement(name, sets, metrics);
      for (const k of metrics) {
        const { pages, counted } = runs[k];
        const rel = Math.abs(mean(counted) - mean(pages)) / Math.abs(mean(pages));
        const t = welchT(pages, counted);
        const what = `${name} ${k}: per-page mean ${mean(pages)}, counted ${mean(counted)}, t ${t.toFixed(2)}, KS ${ksStatistic(pages, counted).toFixed(3)}`;
        expect(ksStatistic(pages, counted), what).toBeLessThanOrEqual(ksCritical(SEEDS, SEEDS, 0.01));
        expect(Math.abs(t), what).toBeLessThan(WELCH_CRITICAL_1PCT);
        if (k === 'downtime_ms' && rel >= 0.01) expect(Math.abs(t), what).toBeLessThan(1);
        else expect(rel, what).toBeLessThan(0.01);
      }
    });
  }
});
