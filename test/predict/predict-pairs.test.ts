// The operator's path against real QEMU 7.2 migrations: each cell of test/fixtures/qemu-live-pairs/
// was recorded twice on a quiet machine (<case>-t1, -t2), and each trial is predicted from its own
// transcript plus the other trial's final query-migrate reply (its zero pages and its switch-over),
// with no host constant at all: no --link, no set-up or stop time. `workload` in outcome.json is for
// people and never read. Verdicts must match, total time within 15%, and downtime within 25% of the
// measured value beyond QEMU's own resolution: it counts whole milliseconds, so a measured d ms is
// d - 1 to d + 1 ms, and 1 ms is 20-25% of these 4-5 ms switch-overs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InThread } from '../../sim/pipeline/index.js';
import { planPrediction } from '../../sim/predict/plan.js';
import { predictRows } from '../../reports/predict.js';
import { ROOT } from '../helpers/cli.js';

const DIR = join(ROOT, 'test', 'fixtures', 'qemu-live-pairs');
const trials = existsSync(DIR) ? readdirSync(DIR).filter((d) => /-t[12]$/.test(d)) : [];
const other = (name: string): string => name.replace(/-t([12])$/, (_, t: string) => `-t${t === '1' ? 2 : 1}`);

interface Outcome {
  case: string;
  max_bandwidth_Bps: number;
  downtime_limit_ms: number;
  cap_s: number;
  outcome: string;
  total_time_ms: number;
  downtime_ms: number;
}

const read = (dir: string, file: string): string => readFileSync(join(DIR, dir, file), 'utf8');

describe.skipIf(trials.length === 0)("vmsim predict as an operator has it: each trial from the other's query-migrate", () => {
  for (const name of trials) {
    it(`${name} from ${other(name)}`, () => {
      const o = JSON.parse(read(name, 'outcome.json')) as Outcome;
      const p = planPrediction({
        text: `${read(name, 'transcript.jsonl').trimEnd()}\n${read(other(name), 'migrate-last.jsonl').trimEnd()}\n`,
        file: `${name}/transcript.jsonl`,
        bandwidth: `${o.max_bandwidth_Bps}B/s`,
        downtime_limit: `${o.downtime_limit_ms}ms`,
        policies: ['precopy'],
        deadline: `${o.cap_s}s`,
        trials: 10,
        seed: 0,
        command: 'test',
      });
      expect(p.ranges.some((r) => r.startsWith('link.bandwidth = uniform('))).toBe(true);
      const [row] = predictRows(new InThread().runSync(p.plan), [o.max_bandwidth_Bps * 8], [o.downtime_limit_ms / 1e3], ['precopy']);
      expect(o.outcome).toBe('completed');
      expect(row.converged).toBe(row.runs);
      const total = row.stats.total_time_ms!.mean;
      const down = row.stats.downtime_ms!.mean;
      const totalPct = ((total - o.total_time_ms) / o.total_time_ms) * 100;
      console.info(`${name} from ${other(name)}: total ${total.toFixed(0)} vs ${o.total_time_ms} ms (${totalPct.toFixed(1)}%), downtime ${down.toFixed(1)} vs ${o.downtime_ms} ms`);
      expect(Math.abs(down - o.downtime_ms)).toBeLessThanOrEqual(0.25 * o.downtime_ms + 1);
      expect(Math.abs(totalPct)).toBeLessThan(15);
    }, 120_000);
  }
});
