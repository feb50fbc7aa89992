// Prediction against real QEMU 7.2 migrations: the calc-dirty-rate transcript of a W64-R10000 guest
// (scenarios/reference/qemu-7.2/calc-dirty-rate-W64-R10000.jsonl) predicts the reference rows of
// that workload: W64-R10000-B64-t1/t2 completed (4025 / 4224 ms, downtime 15 / 17 ms) and
// W64-R10000-B4-t1 did not converge. The verdicts must match; the errors are printed, and bounded
// loosely at what was measured when this test was written (so a change that makes them worse fails).
// The host (loopback copy rate, set-up and stop time) is the harness's, from its idle rows only, as
// the reproduction's (sim/experiment/qemu-reference.ts); nothing of the predicted rows goes in, except
// in the second case an earlier migration's counts: the other trial of the same cell, as an operator
// would have from the last migration of the same VM. The third case is the operator's own: no host
// constant at all, the earlier migration's whole reply (its counts and its switch-over, which gives the
// speed of the stopped round).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InThread } from '../../sim/pipeline/index.js';
import { planPrediction } from '../../sim/predict/plan.js';
import { deriveConstants, parseCsvRecords, parseSeries, type ReferenceRow } from '../../sim/experiment/qemu-reference.js';
import { BANDWIDTH_COLUMN, predictRows, type PredictRow } from '../../reports/predict.js';
import { ROOT } from '../helpers/cli.js';

const DIR = join(ROOT, 'scenarios', 'reference', 'qemu-7.2');
const rows = parseCsvRecords(readFileSync(join(DIR, 'results.csv'), 'utf8'));
const seriesOf = (id: string) => parseSeries(readFileSync(join(DIR, 'series', `remaining-${id}.csv`), 'utf8'));
const host = deriveConstants(rows, seriesOf);
const TRANSCRIPT = readFileSync(join(DIR, 'calc-dirty-rate-W64-R10000.jsonl'), 'utf8');
const row = (id: string): ReferenceRow => rows.find((r) => r.run_id === id)!;
const TRIALS = 10;
const MiBps = (n: number): number => n * 1024 * 1024 * 8;

/** An earlier migration of the same VM as QEMU's query-migrate reply: its counts, and with `switchOver` its downtime and downtime-bytes. */
const queryMigrate = (r: ReferenceRow, switchOver = false): string => {
  const ram = { total: Number(r.ram_total), duplicate: Number(r.ram_duplicate), normal: Number(r.ram_normal), transferred: Number(r.ram_transferred), 'page-size': Number(r.ram_page_size) };
  if (!switchOver) return JSON.stringify({ return: { status: 'completed', ram } });
  return JSON.stringify({ return: { status: 'completed', downtime: Number(r.downtime_ms), ram: { ...ram, 'downtime-bytes': Number(r.ram_downtime_bytes) } } });
};

/** The reference host's constants (its idle rows), or none: what an operator has. */
const HOST = { link: `${host.copy_Bps}B/s`, setup_s: host.setup_s, stop_s: host.stop_s };

function plan(text: string, hostKnown: Partial<typeof HOST>) {
  return planPrediction({
    text,
    file: 'calc-dirty-rate-W64-R10000.jsonl',
    bandwidth: '4MiB/s,64MiB/s',
    downtime_limit: '300ms',
    policies: ['precopy'],
    ...hostKnown,
    deadline: `${Number(row('W64-R10000-B4-t1').cap_s)}s`,
    trials: TRIALS,
    seed: 0,
    command: 'test',
  });
}

function predict(text: string, hostKnown = HOST as Partial<typeof HOST>): PredictRow[] {
  const p = plan(text, hostKnown);
  const records = new InThread().runSync(p.plan);
  expect(new Set(records.map((r) => r.params[BANDWIDTH_COLUMN]))).toEqual(new Set([MiBps(4), MiBps(64)]));
  return predictRows(records, [MiBps(4), MiBps(64)], [0.3], ['precopy']);
}

/**
 * Loose bounds at what was measured. Downtime with the reference host's idle-row constants: the
 * reproduction's expected miss (their copy rate is the first pass's, slower than a re-send's: about
 * 27 ms against QEMU's 15 and 17); with the earlier migration's switch-over, the 25%.
 */
const TOTAL_CURVE_ONLY_PCT = 80;
const DOWNTIME_PCT = 200;
const DOWNTIME_SWITCH_OVER_PCT = 25;

const pctError = (predicted: number, measured: number): number => ((predicted - measured) / measured) * 100;

/** The verdicts, and the errors of the mean (printed) with whether the measured value lies within p5-p95. */
function compare(label: string, rowsOut: PredictRow[]): { total: number[]; downtime: number[]; within: boolean[] } {
  const [b4, b64] = rowsOut;
  expect(b4.converged).toBe(0); // W64-R10000-B4-t1: did-not-converge
  expect(row('W64-R10000-B4-t1').outcome).toBe('did-not-converge');
  expect(b64.converged).toBe(b64.runs); // W64-R10000-B64-t1/t2: completed
  const total: number[] = [];
  const downtime: number[] = [];
  const within: boolean[] = [];
  for (const id of ['W64-R10000-B64-t1', 'W64-R10000-B64-t2']) {
    const r = row(id);
    expect(r.outcome).toBe('completed');
    const t = b64.stats.total_time_ms!;
    const d = b64.stats.downtime_ms!;
    total.push(pctError(t.mean, Number(r.total_time_ms)));
    downtime.push(pctError(d.mean, Number(r.downtime_ms)));
    within.push(t.p5 <= Number(r.total_time_ms) && Number(r.total_time_ms) <= t.p95);
    console.info(
      `${label}: ${id}: total ${t.mean.toFixed(0)} ms (p5-p95 ${t.p5.toFixed(0)}-${t.p95.toFixed(0)}) vs ${r.total_time_ms} ms measured: ${total.at(-1)!.toFixed(1)}%; ` +
        `downtime ${d.mean.toFixed(1)} ms (p5-p95 ${d.p5.toFixed(1)}-${d.p95.toFixed(1)}) vs ${r.downtime_ms} ms: ${downtime.at(-1)!.toFixed(1)}%`,
    );
  }
  return { total, downtime, within };
}

describe('vmsim predict against real QEMU 7.2 migrations (W64-R10000)', () => {
  it('from the dirty-rate curve alone (the zero pages a range): verdicts match; total time within its wide range', () => {
    const { total, downtime, within } = compare('curve only', predict(TRANSCRIPT));
    // What the range is for: the measured total time lies within the predicted p5-p95.
    expect(within).toEqual([true, true]);
    // The zero share spans 5-95% of the pages outside the working set, so the mean sits far above
    // this guest's (85%): bounded at what was measured, not claimed to be close.
    for (const e of total) expect(Math.abs(e)).toBeLessThan(TOTAL_CURVE_ONLY_PCT);
    for (const e of downtime) expect(Math.abs(e)).toBeLessThan(DOWNTIME_PCT);
  }, 120_000);

  it("with an earlier migration's counts (the other trial of the cell): verdicts match, total time within 15%", () => {
    for (const [target, earlier] of [
      ['W64-R10000-B64-t1', 'W64-R10000-B64-t2'],
      ['W64-R10000-B64-t2', 'W64-R10000-B64-t1'],
    ]) {
      const out = predict(`${TRANSCRIPT.trimEnd()}\n${queryMigrate(row(earlier))}\n`);
      const { total, downtime } = compare(`zero pages from ${earlier}`, out);
      const k = target.endsWith('t1') ? 0 : 1;
      expect(Math.abs(total[k])).toBeLessThan(15);
      expect(Math.abs(downtime[k])).toBeLessThan(DOWNTIME_PCT);
    }
  }, 120_000);

  it("as an operator has it (no host constant, the earlier migration's whole reply): downtime within 25%, total time within 15%", () => {
    for (const [target, earlier] of [
      ['W64-R10000-B64-t1', 'W64-R10000-B64-t2'],
      ['W64-R10000-B64-t2', 'W64-R10000-B64-t1'],
    ]) {
      const text = `${TRANSCRIPT.trimEnd()}\n${queryMigrate(row(earlier), true)}\n`;
      // The default link (10 Gbit/s) would land near these downtimes too: the speed must be the earlier switch-over's.
      const r = row(earlier);
      const link = plan(text, {}).ranges.find((x) => x.startsWith('link.bandwidth'));
      expect(link).toContain(`uniform(${(Number(r.ram_downtime_bytes) / (Number(r.downtime_ms) + 1) / 1e3).toFixed(1)}MB/s`);
      const out = predict(text, {});
      const { total, downtime } = compare(`switch-over from ${earlier}`, out);
      const k = target.endsWith('t1') ? 0 : 1;
      expect(Math.abs(total[k])).toBeLessThan(15);
      expect(Math.abs(downtime[k])).toBeLessThan(DOWNTIME_SWITCH_OVER_PCT);
    }
  }, 120_000);
});
