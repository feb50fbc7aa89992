// The prediction table from records: rows per (bandwidth, limit, policy), a policy without the axes
// shown once, the verdict counted over trials, means and p5-p95 over the trials that converged only,
// the picks (fastest, least guest cost) among settings that always converged, and the CSV.
import { describe, expect, it } from 'vitest';
import { BANDWIDTH_COLUMN, DOWNTIME_COLUMN, picksText, predictCsv, predictPicks, predictRows, quantile } from '../../reports/predict.js';
import type { RunRecord } from '../../sim/results/record.js';

const MiBps = (n: number): number => n * 8 * 2 ** 20;

function rec(variant: string, params: Record<string, number>, trial: number, m: Record<string, number>): RunRecord {
  return { scenario: 'predict', kind: 'migration', variant, policy: variant === 'postcopy' ? 'postcopy' : 'precopy', seed: trial, trial, params, metrics: m, goal: 'converged' };
}
const at = (bw: number, dt: number) => ({ [BANDWIDTH_COLUMN]: MiBps(bw), [DOWNTIME_COLUMN]: dt });
const done = (total: number, lost: number) => ({ converged: 1, total_time_ms: total, downtime_ms: 10, wire_bytes: 1e8, guest_lost_s: lost });
const notDone = { converged: 0, total_time_ms: NaN, downtime_ms: NaN, wire_bytes: 5e8, guest_lost_s: 0 };

const records: RunRecord[] = [
  rec('precopy', at(16, 0.3), 0, notDone),
  rec('precopy', at(16, 0.3), 1, done(30000, 0.5)),
  rec('precopy', at(64, 0.3), 0, done(4000, 0.02)),
  rec('precopy', at(64, 0.3), 1, done(5000, 0.03)),
  rec('postcopy', {}, 0, { ...done(300, 0.001), postcopy_blocktime_ms: 1 }),
  rec('postcopy', {}, 1, { ...done(500, 0.003), postcopy_blocktime_ms: 3 }),
];

describe('the prediction table', () => {
  const rows = predictRows(records, [MiBps(16), MiBps(64)], [0.3], ['precopy', 'postcopy']);

  it('one row per setting and policy; post-copy (no axes) once', () => {
    expect(rows.map((r) => [r.policy, r.bandwidth_bps / MiBps(1), r.unlimited, r.converged, r.runs])).toEqual([
      ['precopy', 16, false, 1, 2],
      ['postcopy', 16, true, 2, 2],
      ['precopy', 64, false, 2, 2],
    ]);
  });

  it('means and p5-p95 over the trials that converged (type-7 quantiles)', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.05)).toBeCloseTo(1.2, 12);
    expect(quantile([1, 2, 3, 4, 5], 0.95)).toBeCloseTo(4.8, 12);
    expect(rows[0].stats.total_time_ms).toEqual({ n: 1, mean: 30000, p5: 30000, p95: 30000 });
    expect(rows[0].stats.wire_bytes!.n).toBe(1);
    const t = rows[2].stats.total_time_ms!;
    expect([t.mean, t.p5, t.p95]).toEqual([4500, 4050, 4950]);
  });

  it('picks the fastest and the least guest cost among settings that always converged, with their costs', () => {
    const picks = predictPicks(rows);
    expect(picks.fastest?.policy).toBe('postcopy');
    expect(picks.gentlest?.policy).toBe('postcopy');
    const onlyPrecopy = predictPicks(rows.filter((r) => r.policy === 'precopy'));
    expect([onlyPrecopy.fastest?.bandwidth_bps, onlyPrecopy.gentlest?.bandwidth_bps]).toEqual([MiBps(64), MiBps(64)]);
    expect(picksText(onlyPrecopy)[0]).toBe('Converges fastest: precopy at max-bandwidth 64 MiB/s, downtime limit 300 ms: total time 4.5 s (4.05 s–4.95 s), downtime 10 ms, 100 MB on the wire, guest work lost 25 ms (20.5 ms–29.5 ms).');
    expect(picksText({})).toEqual(['No setting converged in every trial: widen --bandwidth or --downtime-limit, or see which converge sometimes below.']);
  });

  it('writes max-bandwidth in bytes/s and the limit in ms, empty for a policy without them', () => {
    const lines = predictCsv(rows).trim().split('\n');
    expect(lines[0].startsWith('max_bandwidth_Bps,downtime_limit_ms,policy,rate_limited,trials,converged,total_time_ms,total_time_ms_p5,total_time_ms_p95,')).toBe(true);
    expect(lines[1].startsWith('16777216,300,precopy,true,2,1,30000,30000,30000,')).toBe(true);
    expect(lines[2].startsWith(',,postcopy,false,2,2,400,310,490,')).toBe(true);
  });
});
