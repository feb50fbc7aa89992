// The acceptance test of the ISR reproduction: `reproduce isr-2005` (every policy at the four
// NISTNet bandwidths, three trials each, as the scenario says) against the published cells of
// Satyanarayanan et al. 2005 (scenarios/reference/isr-2005.json), with the fidelity targets.
// One reproduction is shared by every test in this file.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { reproduce } from '../../sim/cli/commands/reproduce.js';
import type { Reproduction } from '../../sim/experiment/isr-reproduction.js';
import { compareIsr, POLICY_NAMES, TOL, type Comparison, type Reference } from '../../reports/isr-compare.js';
import { cells, type Cell } from '../../reports/isr-tables.js';
import type { RunRecord } from '../../sim/results/record.js';
import { ISR_REFERENCE, mean, parseCsv } from '../helpers/isr.js';

/**
 * Judged cells the model is known to miss. Each entry is checked to still miss (so this list is
 * updated when the model improves) and printed as an "EXPECTED MISS" line in the test output.
 * `measured` is the simulated mean, rounded to two decimals.
 */
const BASELINE_SLOWDOWN_REASON =
  'after resume everything is local, so the only costs Baseline pays are (a) the CPU time to decompress each chunk on its first ' +
  'foreground read (~390 chunks x 256 KB at 60 MB/s = ~1.67 s = 0.16%, the same at every bandwidth) and (b) write-back ' +
  'contention: a write waits for the write-back exchange in progress. (b) is zero at 100 and 10 Mb/s (no write ever waits), ' +
  '~1-2 s at 1 Mb/s, and only at 100 kbit/s (~20 s per 256 KB write-back) does it reach the published 31.6%; the published ' +
  'gentle rise 3.2% -> 9.2% -> 18.8% is not explained by any mechanism in the model';
const EXPECTED_MISSES: ReadonlyArray<{ table: Comparison['table']; policy: string; bandwidth_bps: number; measured: number; reason: string }> = [
  { table: 'slowdown', policy: 'baseline', bandwidth_bps: 100e6, measured: 0.16, reason: BASELINE_SLOWDOWN_REASON },
  { table: 'slowdown', policy: 'baseline', bandwidth_bps: 10e6, measured: 0.16, reason: BASELINE_SLOWDOWN_REASON },
  { table: 'slowdown', policy: 'baseline', bandwidth_bps: 1e6, measured: 0.27, reason: BASELINE_SLOWDOWN_REASON },
];

const BANDWIDTHS = [100e6, 10e6, 1e6, 100e3];
const POLICIES = ['baseline', 'fully-proactive', 'demand-fetch', 'dongle-lka', 'dvd-lka', 'jukebox-lka'];
const isExpectedMiss = (table: string, policy: string, bw: number | null): boolean =>
  EXPECTED_MISSES.some((m) => m.table === table && m.policy === policy && m.bandwidth_bps === bw);

let rep: Reproduction;
let ref: Reference & Record<string, unknown>;
let rows: Comparison[];
let resume: Cell[];
let slowdown: Cell[];

/** Mean of a metric over the trials of one (policy, bandwidth). */
function cellMean(metric: string, policy: string, bw: number): number {
  const xs = runsOf(policy, bw).map((r) => r.metrics[metric]);
  expect(xs.length, `${policy} at ${bw} bit/s`).toBe(3);
  return mean(xs);
}
function runsOf(policy: string, bw: number): RunRecord[] {
  return rep.records.filter((r) => r.policy === policy && Number(r.params.bandwidth_bps) === bw);
}
const T = (slowdownPct: number): number => 1 + slowdownPct / 100;

beforeAll(() => {
  rep = reproduce({ name: 'isr-2005', set: [] });
  ref = JSON.parse(readFileSync(ISR_REFERENCE, 'utf8')) as Reference & Record<string, unknown>;
  resume = cells(rep.records, 'resume_latency_s');
  slowdown = cells(rep.records, 'slowdown_pct');
  rows = compareIsr(ref, resume, slowdown, cells(rep.records, 'suspend_state_bytes'));
  console.info(`isr-2005 reproduction: ${rep.records.length} runs, ${rep.events} events, ${rep.wall_s.toFixed(2)} s of simulation`);
}, 120_000);

describe('isr-2005 reproduction: the comparison with the published cells', () => {
  it('runs every policy at every bandwidth, three trials each', () => {
    expect(rep.records).toHaveLength(POLICIES.length * BANDWIDTHS.length * 3);
    for (const p of POLICIES) for (const bw of BANDWIDTHS) expect(runsOf(p, bw).map((r) => r.trial)).toEqual([0, 1, 2]);
  });

  it('every judged cell holds, except the expected misses', () => {
    const judged = rows.filter((r) => r.holds !== null);
    expect(judged.length).toBeGreaterThan(30);
    const unexpected = judged.filter((r) => r.holds === false && !isExpectedMiss(r.table, r.policy, r.bandwidth_bps));
    expect(unexpected.map((r) => `${r.table} ${r.policy} @ ${r.bandwidth_bps}: simulated ${r.simulated}, published ${r.published} (${r.constraint})`)).toEqual([]);
  });

  it('each expected miss still misses (update EXPECTED_MISSES when the model improves)', () => {
    for (const m of EXPECTED_MISSES) {
      const row = rows.find((r) => r.table === m.table && r.policy === m.policy && r.bandwidth_bps === m.bandwidth_bps);
      expect(row, `${m.table} ${m.policy} @ ${m.bandwidth_bps}`).toBeDefined();
      expect(row!.holds, `${m.table} ${m.policy} @ ${m.bandwidth_bps} now holds: remove it from EXPECTED_MISSES`).toBe(false);
      expect(row!.simulated).toBeCloseTo(m.measured, 1);
      console.info(
        `EXPECTED MISS: ${m.table} ${m.policy} at ${m.bandwidth_bps / 1e6} Mbit/s: simulated ${row!.simulated.toFixed(2)}, ` +
          `published ${row!.published} (${row!.constraint}). Why: ${m.reason}`,
      );
    }
  });

  it('comparison.csv has the documented header and one row per reference cell', () => {
    const file = rep.files.find((f) => f.name === 'comparison.csv');
    expect(file).toBeDefined();
    const text = typeof file!.content === 'string' ? file!.content : new TextDecoder().decode(file!.content);
    expect(text.split('\n')[0]).toBe('table,policy,bandwidth_bps,simulated,published,abs_error,rel_error,constraint,holds');
    const [header, ...body] = parseCsv(text);
    expect(header).toHaveLength(9);
    for (const r of body) expect(r).toHaveLength(9);
    const fig4 = (ref.figure4_resume_latency_s as Array<{ policy: string; bandwidth_bps: number }>).map((c) => ['resume_latency', c.policy, c.bandwidth_bps] as const);
    const fig5 = (ref.figure5_benchmark_time as Array<{ policy: string; bandwidth_bps: number }>).map((c) => ['slowdown', c.policy, c.bandwidth_bps] as const);
    const expected = [...fig4.map(([t, p, bw]) => `${t}|${POLICY_NAMES[p]}|${bw}`), ...fig5.map(([t, p, bw]) => `${t}|${POLICY_NAMES[p]}|${bw}`), 'suspend_state_bytes||'];
    expect(body).toHaveLength(expected.length);
    expect(body.map((r) => `${r[0]}|${r[1]}|${r[2]}`).sort()).toEqual(expected.sort());
    // The holds column agrees with the rows the tests judge.
    for (const r of body) {
      const row = rows.find((x) => x.table === r[0] && x.policy === r[1] && x.bandwidth_bps === (r[2] === '' ? null : Number(r[2])))!;
      expect(r[8]).toBe(row.holds === null ? '' : String(row.holds));
      expect(Number(r[3])).toBeCloseTo(row.simulated, 6);
    }
  });
});

describe('isr-2005 reproduction: fidelity targets', () => {
  it('every numeric resume cell is within 15% (Pure Demand-Fetch, Dongle LKA)', () => {
    let n = 0;
    for (const r of ref.figure4_resume_latency_s) {
      if (r.mean_s === undefined) continue;
      const p = r.policy === 'Pure Demand-Fetch' ? 'demand-fetch' : r.policy === 'Dongle LKA' ? 'dongle-lka' : undefined;
      expect(p, r.policy).toBeDefined();
      const sim = cellMean('resume_latency_s', p!, r.bandwidth_bps);
      expect(Math.abs(sim - r.mean_s) / r.mean_s, `${p} @ ${r.bandwidth_bps}: ${sim} vs ${r.mean_s}`).toBeLessThanOrEqual(0.15);
      n++;
    }
    expect(n).toBe(8);
  });

  it('fully-proactive resume is 9-12 s at every bandwidth', () => {
    for (const bw of BANDWIDTHS) {
      for (const r of runsOf('fully-proactive', bw)) {
        expect(r.metrics.resume_latency_s).toBeGreaterThanOrEqual(9);
        expect(r.metrics.resume_latency_s).toBeLessThanOrEqual(12);
      }
    }
  });

  it('baseline resume: within 15% of 2400 s at 100 Mb/s; at 10 Mb/s 1.7-2.5 times that', () => {
    const fast = cellMean('resume_latency_s', 'baseline', 100e6);
    const slow = cellMean('resume_latency_s', 'baseline', 10e6);
    expect(Math.abs(fast - 2400) / 2400).toBeLessThanOrEqual(0.15);
    expect(slow / fast).toBeGreaterThanOrEqual(1.7);
    expect(slow / fast).toBeLessThanOrEqual(2.5);
  });

  it('each numeric slowdown cell is within 20% or 3 points (expected misses aside)', () => {
    let n = 0;
    for (const r of ref.figure5_benchmark_time) {
      if (r.slowdown_pct === undefined) continue;
      const p = r.policy === 'Baseline' ? 'baseline' : r.policy === 'Pure Demand-Fetch' ? 'demand-fetch' : undefined;
      expect(p, r.policy).toBeDefined();
      if (isExpectedMiss('slowdown', p!, r.bandwidth_bps)) continue;
      const sim = cellMean('slowdown_pct', p!, r.bandwidth_bps);
      const tol = Math.max(TOL.slowdownRel * r.slowdown_pct, TOL.slowdownAbsPct);
      expect(Math.abs(sim - r.slowdown_pct), `${p} @ ${r.bandwidth_bps}: ${sim} vs ${r.slowdown_pct}`).toBeLessThanOrEqual(tol);
      n++;
    }
    expect(n).toBe(4);
    expect(TOL.slowdownRel).toBe(0.2);
    expect(TOL.slowdownAbsPct).toBe(3);
  });

  it('demand-fetch slowdown at 100 kbit/s is above 1000%', () => {
    expect(cellMean('slowdown_pct', 'demand-fetch', 100e3)).toBeGreaterThan(1000);
  });

  it('DVD LKA is below demand-fetch at every bandwidth, its relative gain growing strictly as bandwidth falls', () => {
    const gains = BANDWIDTHS.map((bw) => {
      const dvd = cellMean('slowdown_pct', 'dvd-lka', bw);
      const df = cellMean('slowdown_pct', 'demand-fetch', bw);
      expect(dvd, `@ ${bw}`).toBeLessThan(df);
      return 1 - T(dvd) / T(df);
    });
    for (let i = 1; i < gains.length; i++) expect(gains[i], `gains ${gains.join(', ')}`).toBeGreaterThan(gains[i - 1]);
  });

  it('jukebox LKA benchmark time is within 15% of DVD LKA at every bandwidth', () => {
    for (const bw of BANDWIDTHS) {
      const jb = cellMean('benchmark_time_s', 'jukebox-lka', bw);
      const dvd = cellMean('benchmark_time_s', 'dvd-lka', bw);
      expect(Math.abs(jb - dvd) / dvd, `@ ${bw}: ${jb} vs ${dvd}`).toBeLessThanOrEqual(0.15);
    }
  });

  it("fully-proactive's slowdown equals baseline's in every trial", () => {
    for (const bw of BANDWIDTHS) {
      const base = runsOf('baseline', bw);
      const fp = runsOf('fully-proactive', bw);
      expect(fp).toHaveLength(base.length);
      for (const b of base) {
        const f = fp.find((r) => r.trial === b.trial)!;
        expect(f.seed).toBe(b.seed);
        const x = b.metrics.slowdown_pct;
        expect(Math.abs(f.metrics.slowdown_pct - x), `@ ${bw} trial ${b.trial}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(x)));
      }
    }
  });

  it('the suspend-time dirty state, derived from the benchmark at its mid-point, is within 10% of the published "about 47 MB"', () => {
    const st = (ref as { suspend_state: { approx_bytes: number; at_benchmark_share: number } }).suspend_state;
    expect(st.approx_bytes).toBe(47e6);
    expect(st.at_benchmark_share).toBe(0.5);
    // Image (41 MB) plus whole 256 KB chunks: those the benchmark wrote by its mid-point, the same in
    // every policy and bandwidth of a trial.
    for (const r of rep.records) {
      const chunks = (r.metrics.suspend_state_bytes - 41e6) / 256e3;
      expect(Number.isInteger(chunks), `${r.policy} trial ${r.trial}`).toBe(true);
      expect(chunks).toBeGreaterThan(0);
      // At most the whole benchmark's writes (11 MB = 43 chunks).
      expect(chunks).toBeLessThanOrEqual(43);
      const same = rep.records.find((x) => x.trial === r.trial)!;
      expect(r.metrics.suspend_state_bytes).toBe(same.metrics.suspend_state_bytes);
    }
    const sim = mean(rep.records.map((r) => r.metrics.suspend_state_bytes));
    expect(TOL.suspendStateRel).toBe(0.1);
    expect(Math.abs(sim - st.approx_bytes) / st.approx_bytes, `${sim} bytes`).toBeLessThanOrEqual(TOL.suspendStateRel);
    const row = rows.find((r) => r.table === 'suspend_state_bytes')!;
    expect(row.simulated).toBeCloseTo(sim, 3);
    expect(row.holds).toBe(true);
    console.info(`suspend-time dirty state: ${(sim / 1e6).toFixed(2)} MB simulated (image 41 MB + ${((sim - 41e6) / 256e3).toFixed(1)} chunks of 256 KB on average), published about 47 MB`);
  });

  it('min_travel_warm_s is the suspend write-back plus pushing that same state over an idle path', () => {
    for (const r of rep.records) {
      const m = r.metrics;
      // Write-back and push move the same bytes over links of the same bandwidth: equal times.
      expect(m.min_travel_warm_s).toBeCloseTo(2 * m.suspend_writeback_s, 6);
      expect(m.min_travel_cold_s).toBeGreaterThan(m.min_travel_warm_s);
    }
  });

  it('T_noisr is 1071 s in every run', () => {
    for (const r of rep.records) expect(r.metrics.t_noisr_s).toBeCloseTo(1071, 6);
  });
});
