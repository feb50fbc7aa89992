// Statistics over trials and the aggregate CSV (golden text).
import { describe, expect, it } from 'vitest';
import { aggregate, aggregateCsv } from '../../reports/aggregate.js';
import { summarize, t975 } from '../../reports/stats.js';
import type { RunRecord } from '../../sim/results/record.js';

describe('t975', () => {
  it('matches the standard tables', () => {
    expect(t975(1)).toBeCloseTo(12.706205, 6);
    expect(t975(2)).toBeCloseTo(4.302653, 6);
    expect(t975(30)).toBeCloseTo(2.042272, 6);
    // Beyond the table: Cornish-Fisher against tabled values.
    expect(t975(40)).toBeCloseTo(2.021075, 5);
    expect(t975(60)).toBeCloseTo(2.000298, 5);
    expect(t975(120)).toBeCloseTo(1.979930, 5);
    expect(t975(1e9)).toBeCloseTo(1.959964, 6);
    expect(t975(0)).toBeNaN();
  });
});

describe('summarize', () => {
  it('mean, sample sd, min, max and the t interval of the mean', () => {
    const s = summarize([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(s.n).toBe(8);
    expect(s.mean).toBe(5);
    expect(s.sd).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect([s.min, s.max]).toEqual([2, 9]);
    const half = (2.364624 * Math.sqrt(32 / 7)) / Math.sqrt(8);
    expect(s.ci95_low).toBeCloseTo(5 - half, 6);
    expect(s.ci95_high).toBeCloseTo(5 + half, 6);
  });

  it('one value has no spread; NaN values are left out; none gives NaN', () => {
    const one = summarize([3, NaN]);
    expect(one).toMatchObject({ n: 1, mean: 3, min: 3, max: 3 });
    expect(one.sd).toBeNaN();
    expect(one.ci95_low).toBeNaN();
    expect(summarize([]).mean).toBeNaN();
  });
});

describe('aggregateCsv: golden', () => {
  const rec = (policy: string, bw: number, trial: number, t: number): RunRecord => ({
    scenario: 'g',
    kind: 'migration',
    variant: policy,
    policy,
    seed: 100 + trial,
    trial,
    params: { 'link.bandwidth_bps': bw },
    metrics: { total_time_ms: t, transfers: 1 },
  });

  it('one row per point and metric, points and metrics in first-seen order', () => {
    const records = [rec('b', 1e6, 0, 10), rec('b', 1e6, 1, 12), rec('b', 1e6, 2, 14), rec('a', 1e6, 0, 1), rec('b', 2e6, 0, 5)];
    const agg = aggregate(records);
    expect(agg.params).toEqual(['link.bandwidth_bps']);
    expect(agg.metrics).toEqual(['total_time_ms', 'transfers']);
    expect(aggregateCsv(agg)).toBe(
      [
        'scenario,variant,policy,link.bandwidth_bps,metric,n,mean,sd,min,max,ci95_low,ci95_high',
        'g,b,b,1000000,total_time_ms,3,12,2,10,14,7.03172426444,16.9682757356',
        'g,b,b,1000000,transfers,3,1,0,1,1,1,1',
        'g,a,a,1000000,total_time_ms,1,1,,1,1,,',
        'g,a,a,1000000,transfers,1,1,,1,1,,',
        'g,b,b,2000000,total_time_ms,1,5,,5,5,,',
        'g,b,b,2000000,transfers,1,1,,1,1,,',
        '',
      ].join('\n'),
    );
  });
});

describe('aggregate: runs that did not reach their goal', () => {
  it('counts runs and converged runs per point; time statistics are over converged runs only', () => {
    const rec = (trial: number, converged: boolean): RunRecord => ({
      scenario: 'g',
      kind: 'migration',
      variant: 'pre',
      policy: 'precopy',
      seed: trial,
      trial,
      params: { 'link.bandwidth_bps': 1e8 },
      goal: 'converged',
      metrics: { total_time_ms: converged ? 1000 + trial : NaN, wire_bytes: 5e6 * (trial + 1), converged: converged ? 1 : 0, elapsed_ms: converged ? 1000 + trial : 600_000 },
    });
    const agg = aggregate([rec(0, true), rec(1, false), rec(2, true)]);
    expect(agg.goal).toBe('converged');
    const csv = aggregateCsv(agg).trimEnd().split('\n');
    expect(csv[0]).toBe('scenario,variant,policy,link.bandwidth_bps,metric,runs,converged,n,mean,sd,min,max,ci95_low,ci95_high');
    // Total time: 2 of 3 runs have one, the mean is theirs (1001 ms), not pulled towards the deadline.
    expect(csv[1]).toBe('g,pre,precopy,100000000,total_time_ms,3,2,2,1001,1.41421356237,1000,1002,988.293795,1013.706205');
    // Bytes: every run sent some, all three count.
    expect(csv[2]).toBe('g,pre,precopy,100000000,wire_bytes,3,2,3,10000000,5000000,5000000,15000000,-2420689.3389,22420689.3389');
    expect(agg.rows.every((r) => r.runs === 3 && r.reached === 2)).toBe(true);
  });
});
