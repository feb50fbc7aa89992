// Predictions against the real QEMU 7.2 migrations the qemu-live harness recorded
// (test/fixtures/qemu-live/<case>/: transcript.jsonl, what a prediction reads, and outcome.json, what
// the migration then did). Each case is predicted from its transcript alone at its own max-bandwidth,
// downtime limit and mode (pre-copy, or post-copy after one pass: the hybrid policy), with the host's
// costs from the reference's idle rows (as predict-vs-real.test.ts); `workload` in outcome.json is
// for people and never read. The verdict must match; total time and downtime errors are printed
// and bounded loosely at what was measured. These transcripts hold no earlier migration, so the zero
// pages span their whole range (5-95% of the pages outside the working set) and the mean total time
// sits well above these freshly booted guests' (about 83% zero): the measured time lies below the
// predicted p95, and the mean is off by up to 2-3 times. Downtime is issue 21's item 5 (the model's
// switch-over), bounded here only against getting worse.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InThread } from '../../sim/pipeline/index.js';
import { planPrediction } from '../../sim/predict/plan.js';
import { deriveConstants, parseCsvRecords, parseSeries } from '../../sim/experiment/qemu-reference.js';
import { predictRows } from '../../reports/predict.js';
import { ROOT } from '../helpers/cli.js';

const FIXTURES = join(ROOT, 'test', 'fixtures', 'qemu-live');
const cases = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'outcome.json'))) : [];
const REF = join(ROOT, 'scenarios', 'reference', 'qemu-7.2');
const host = deriveConstants(parseCsvRecords(readFileSync(join(REF, 'results.csv'), 'utf8')), (id) => parseSeries(readFileSync(join(REF, 'series', `remaining-${id}.csv`), 'utf8')));

interface Outcome {
  case: string;
  max_bandwidth_Bps: number;
  downtime_limit_ms: number;
  mode: 'precopy' | 'postcopy' | 'xbzrle';
  cap_s: number;
  outcome: 'completed' | 'did-not-converge';
  total_time_ms: number;
  downtime_ms: number | null;
}

const POLICY = { precopy: 'precopy', xbzrle: 'xbzrle', postcopy: 'hybrid' } as const;

describe.skipIf(cases.length === 0)('vmsim predict against the qemu-live fixtures', () => {
  for (const name of cases) {
    it(`${name}: the verdict matches; errors printed`, () => {
      const o = JSON.parse(readFileSync(join(FIXTURES, name, 'outcome.json'), 'utf8')) as Outcome;
      const policy = POLICY[o.mode];
      const p = planPrediction({
        text: readFileSync(join(FIXTURES, name, 'transcript.jsonl'), 'utf8'),
        file: `${name}/transcript.jsonl`,
        bandwidth: `${o.max_bandwidth_Bps}B/s`,
        downtime_limit: `${o.downtime_limit_ms}ms`,
        policies: [policy],
        link: `${host.copy_Bps}B/s`,
        deadline: `${o.cap_s}s`,
        setup_s: host.setup_s,
        stop_s: host.stop_s,
        trials: 10,
        seed: 0,
        command: 'test',
      });
      const [row] = predictRows(new InThread().runSync(p.plan), [o.max_bandwidth_Bps * 8], [o.downtime_limit_ms / 1e3], [policy]);
      const converged = o.outcome === 'completed';
      if (!converged) {
        console.info(`${name}: measured did-not-converge; predicted ${row.converged}/${row.runs} converge`);
        expect(row.converged).toBe(0);
        return;
      }
      expect(row.converged).toBe(row.runs);
      const t = row.stats.total_time_ms!;
      const d = row.stats.downtime_ms!;
      const err = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)}%`;
      console.info(
        `${name} (${policy}): ${row.converged}/${row.runs} converge; total ${t.mean.toFixed(0)} ms (p5-p95 ${t.p5.toFixed(0)}-${t.p95.toFixed(0)}) vs ${o.total_time_ms} ms measured: ${err(t.mean, o.total_time_ms)}; ` +
          `downtime ${d.mean.toFixed(1)} ms (p5-p95 ${d.p5.toFixed(1)}-${d.p95.toFixed(1)}) vs ${o.downtime_ms} ms: ${err(d.mean, o.downtime_ms!)}`,
      );
      expect(o.total_time_ms).toBeLessThanOrEqual(t.p95);
      expect(Math.abs(t.mean / o.total_time_ms - 1)).toBeLessThan(2.5);
      expect(Math.abs(d.mean / o.downtime_ms! - 1)).toBeLessThan(5);
    }, 120_000);
  }
});
