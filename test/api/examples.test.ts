// The two worked examples of README "Writing a policy" (scenarios/examples/): each runs, by path and
// by its shipped name, and gives the results the README states.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CLI_TIMEOUT, ROOT, vmsim } from '../helpers/cli.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT });
const TMP = mkdtempSync(join(tmpdir(), 'vmsim-examples-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

type Row = Record<string, string>;
function rows(csv: string): Row[] {
  const [head, ...lines] = csv.trim().split('\n').map((l) => l.split(','));
  return lines.map((l) => Object.fromEntries(head.map((h, i) => [h, l[i]])));
}
const byVariant = (rs: Row[]): Record<string, Row> => Object.fromEntries(rs.map((r) => [r.variant, r]));

describe('scenarios/examples/precopy-max-rounds: pre-copy that stops after N rounds', () => {
  it('always converges where QEMU pre-copy does not; more rounds, more bytes, a little less downtime', async () => {
    const out = join(TMP, 'rounds');
    const r = await vmsim(['sweep', 'scenarios/examples/precopy-max-rounds.yaml', '--set', 'variant=qemu,rounds-2,rounds-5', '--workers', '2', '--quiet', '--out', out], ROOT);
    expect(r.code, r.stderr).toBe(0);
    const v = byVariant(rows(readFileSync(join(out, 'runs.csv'), 'utf8')));
    expect(Object.keys(v)).toEqual(['qemu', 'rounds-2', 'rounds-5']);
    expect(v.qemu.policy).toBe('precopy');
    expect(v['rounds-5'].policy).toBe('precopy-max-rounds');
    // The README's table.
    expect(Number(v.qemu.converged)).toBe(0);
    // Not converged: no total time or downtime, it ran until its 60 s deadline.
    expect([v.qemu.total_time_ms, v.qemu.downtime_ms]).toEqual(['', '']);
    expect(Number(v.qemu.elapsed_ms) / 1e3).toBeCloseTo(60.0, 1);
    expect(Number(v.qemu.transferred_bytes) / 1e9).toBeCloseTo(7.49, 2);
    expect(Number(v['rounds-2'].converged)).toBe(1);
    expect(Number(v['rounds-2'].total_time_ms) / 1e3).toBeCloseTo(16.5, 1);
    expect(Number(v['rounds-2'].downtime_ms) / 1e3).toBeCloseTo(3.67, 2);
    expect(Number(v['rounds-2'].transferred_bytes) / 1e9).toBeCloseTo(2.06, 2);
    expect(Number(v['rounds-2'].dirty_sync_count)).toBe(3);
    expect(Number(v['rounds-5'].converged)).toBe(1);
    expect(Number(v['rounds-5'].total_time_ms) / 1e3).toBeCloseTo(26.9, 1);
    expect(Number(v['rounds-5'].downtime_ms) / 1e3).toBeCloseTo(3.42, 2);
    expect(Number(v['rounds-5'].transferred_bytes) / 1e9).toBeCloseTo(3.36, 2);
    expect(Number(v['rounds-5'].dirty_sync_count)).toBe(6);
  });

  it('runs by its shipped name, with its own policy file', async () => {
    const out = join(TMP, 'by-name');
    const r = await vmsim(['run', 'precopy-max-rounds', '--set', 'options.max_rounds=2', '--out', out, '--quiet'], ROOT);
    expect(r.code, r.stderr).toBe(0);
    const [row] = rows(readFileSync(join(out, 'runs.csv'), 'utf8'));
    expect(row.policy).toBe('precopy-max-rounds');
    expect(Number(row.total_time_ms) / 1e3).toBeCloseTo(16.5, 1);
    // One line per round: two live rounds, then the stopped one.
    expect(rows(readFileSync(join(out, 'rounds.csv'), 'utf8')).map((x) => x.phase)).toEqual(['precopy', 'precopy', 'downtime']);
  });
});

describe('scenarios/examples/hoard-recent: ISR that pushes the most recently written chunks during travel', () => {
  it('the user waits 10.3 s instead of 43.2 s, and misses 3 (4 pushed) or none (all pushed) of the 7 written chunks', async () => {
    const out = join(TMP, 'hoard');
    const r = await vmsim(['sweep', 'scenarios/examples/hoard-recent.yaml', '--set', 'variant=demand-fetch,hoard-4,hoard-all', '--workers', '1', '--quiet', '--out', out], ROOT);
    expect(r.code, r.stderr).toBe(0);
    const v = byVariant(rows(readFileSync(join(out, 'runs.csv'), 'utf8')));
    expect(Object.keys(v)).toEqual(['demand-fetch', 'hoard-4', 'hoard-all']);
    expect(Number(v['demand-fetch'].resume_latency_s)).toBeCloseTo(43.2, 1);
    expect(Number(v['hoard-4'].resume_latency_s)).toBeCloseTo(10.3, 1);
    expect(Number(v['hoard-all'].resume_latency_s)).toBeCloseTo(10.3, 1);
    expect(v['demand-fetch'].cache_misses).toBe('7');
    expect(v['hoard-4'].cache_misses).toBe('3');
    expect(v['hoard-all'].cache_misses).toBe('0');
    // The written chunks are read back in the background, so the benchmark does not wait for them.
    for (const x of Object.values(v)) {
      expect(Number(x.benchmark_time_s)).toBeCloseTo(1072.7, 1);
      expect(Number(x.slowdown_pct)).toBeCloseTo(0.16, 2);
    }
  });
});
