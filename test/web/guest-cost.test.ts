// The explorer's table of what each migration cost the guest: the agreed metrics when the records
// carry them, a blank (never 0) where a metric does not apply, nothing for a kind without them.
import { describe, expect, it } from 'vitest';
import { guestCostHtml } from '../../sim/web/guest-cost.js';
import type { Aggregate, AggregateRow } from '../../reports/aggregate.js';
import { label } from '../../reports/units.js';

const row = (variant: string, bw: number, metric: string, mean: number, n = 1): AggregateRow =>
  ({ scenario: 's', variant, policy: variant, params: { 'link.bandwidth_bps': bw }, metric, runs: 1, reached: 1, n, mean, sd: NaN, min: mean, max: mean, ci95_low: mean, ci95_high: mean }) as AggregateRow;

describe("the guest's cost in the explorer", () => {
  it('shows the metrics the records have, per variant and point, blank where one does not apply', () => {
    const agg: Aggregate = {
      params: ['link.bandwidth_bps'],
      metrics: ['total_time_ms', 'guest_lost_s', 'postcopy_blocktime_ms', 'cpu_throttle_percentage'],
      rows: [
        row('postcopy', 1e8, 'total_time_ms', 1000),
        row('postcopy', 1e8, 'guest_lost_s', 44),
        row('postcopy', 1e8, 'postcopy_blocktime_ms', 44_000),
        row('precopy', 1e8, 'guest_lost_s', 2.5),
        row('precopy', 1e8, 'cpu_throttle_percentage', 99),
        row('postcopy', 1e9, 'guest_lost_s', 4.4),
        row('precopy', 1e9, 'guest_lost_s', NaN, 0),
      ],
    } as Aggregate;
    const html = guestCostHtml(agg);
    const cells = [...html.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...m[1].matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((c) => c[1]));
    // Column titles are the reports' words for the metrics (reports/units.ts).
    expect(cells[0]).toEqual(['Link bandwidth', 'variant', ...['guest_lost_s', 'postcopy_blocktime_ms', 'cpu_throttle_percentage'].map(label)]);
    expect(cells.slice(1)).toEqual([
      ['100 Mbit/s', 'postcopy', '44 s', '44 s', ''],
      ['100 Mbit/s', 'precopy', '2.5 s', '', '99%'],
      ['1 Gbit/s', 'postcopy', '4.4 s', '', ''],
    ]);
  });

  it('is absent when no record has a guest-cost metric', () => {
    expect(guestCostHtml({ params: [], metrics: ['total_time_ms'], rows: [row('a', 1, 'total_time_ms', 1)] } as Aggregate)).toBe('');
  });
});
