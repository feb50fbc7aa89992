// Runs of a point that drew their inputs from distributions: aggregate.csv adds the 5th and 95th
// percentiles, the headline shows them beside each mean, the report says which inputs were drawn;
// runs without drawn inputs keep the columns and cells they always had.
import { describe, expect, it } from 'vitest';
import { STAT_COLUMNS, aggregate, aggregateCsv } from '../../reports/aggregate.js';
import { headlineHtml } from '../../reports/html.js';
import { headlineTable } from '../../reports/headline.js';
import { quantile } from '../../reports/stats.js';
import type { RunRecord } from '../../sim/results/record.js';

/** Ten trials of one point; total time 100, 200, ..., 1000 ms; with `drawn`, the memory each drew. */
function records(drawn: boolean): RunRecord[] {
  return Array.from({ length: 10 }, (_, trial) => ({
    scenario: 's',
    kind: 'migration',
    variant: 'precopy',
    policy: 'precopy',
    seed: trial,
    trial,
    params: {},
    ...(drawn ? { drawn: { 'vm.memory_bytes': (trial + 1) * 1e6 } } : {}),
    metrics: { total_time_ms: (trial + 1) * 100, downtime_ms: 5 },
  }));
}

describe('quantile', () => {
  it('interpolates between order statistics (type 7), leaving out NaN', () => {
    expect(quantile([3, 1, 2, NaN], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.05)).toBeCloseTo(1.15, 12);
    expect(quantile([1, 2, 3, 4], 0.95)).toBeCloseTo(3.85, 12);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });
});

describe('the spread of runs that drew their inputs', () => {
  it('aggregate.csv has p5 and p95 only when inputs were drawn', () => {
    const plain = aggregateCsv(aggregate(records(false))).split('\n')[0];
    expect(plain).toBe(`scenario,variant,policy,metric,${STAT_COLUMNS.join(',')}`);
    const agg = aggregate(records(true));
    expect(agg.drawn).toEqual(['vm.memory_bytes']);
    expect(aggregateCsv(agg).split('\n')[0]).toBe(`scenario,variant,policy,metric,${STAT_COLUMNS.join(',')},p5,p95`);
    const total = agg.rows.find((r) => r.metric === 'total_time_ms')!;
    expect(total.p5).toBeCloseTo(145, 9);
    expect(total.p95).toBeCloseTo(955, 9);
  });

  it('the headline shows the spread beside the mean where it is not one value', () => {
    const t = headlineTable(aggregate(records(true)), 'migration');
    const [total, down] = t.rows[0].cells;
    expect(total).toMatchObject({ text: '550 ms', spread: ['145 ms', '955 ms'] });
    expect(total.title).toContain('; p5-p95 145 ms to 955 ms');
    expect(down.spread).toBeUndefined();
    expect(headlineHtml(aggregate(records(true)), 'migration')).toContain('550 ms <span class="spread" style="color:#666">(145 ms to 955 ms)</span>');
    const plain = headlineTable(aggregate(records(false)), 'migration');
    expect(plain.rows[0].cells[0].spread).toBeUndefined();
    expect(plain.drawn).toBeUndefined();
  });
});
