// Golden CSV text written out literally (SimGrid .tesh habit): a change in column order, number
// formatting or quoting shows up as a readable diff.
import { describe, expect, it } from 'vitest';
import { cell, ID_COLUMNS, runsColumns, runsCsv, tableCsv, tablesCsv } from '../../reports/csv.js';
import { buildScenario } from '../../scenarios/build.js';
import { validateScenario } from '../../scenarios/load.js';
import { stopAndCopy } from '../../policies/migration/stop-and-copy.js';
import { runOne } from '../../sim/run.js';
import type { ParamValue, RunRecord } from '../../sim/results/record.js';

function record(over: Partial<RunRecord>): RunRecord {
  return { scenario: 's', kind: 'migration', policy: 'p', seed: 1, trial: 0, params: {}, metrics: {}, ...over, variant: over.variant ?? over.policy ?? 'p' };
}

describe('runsCsv: golden', () => {
  it('a tiny fixed stop-and-copy run', () => {
    // 1 MiB = 256 pages of 4104 wire bytes over 8 Mbit/s (1e6 B/s) plus 10 ms:
    // 1050624 bytes, 1050.624 + 10 ms.
    const scenario = validateScenario(
      { kind: 'migration', name: 'tiny', policy: 'stop-and-copy', link: { bandwidth: '8Mbit/s', latency: '10ms' }, vm: { memory: '1MiB' } },
      'tiny.yaml',
    );
    const records = [42, 43].map((seed, trial) => {
      const { world, setup } = buildScenario(scenario, seed);
      return runOne({
        scenario: 'tiny',
        world,
        setup,
        policy: stopAndCopy,
        options: stopAndCopy.options.parse({}),
        seed,
        trial,
        params: { 'link.bandwidth_bps': 8e6 },
      });
    });
    expect(tablesCsv(records, { rounds: ['round', 'phase', 'start_ms', 'duration_ms', 'pages_sent'] })[0]).toEqual({
      name: 'rounds',
      csv: [
        'scenario,variant,policy,seed,trial,round,phase,start_ms,duration_ms,pages_sent,pages_dirtied,bytes_sent,bandwidth_bps,mode',
        'tiny,stop-and-copy,stop-and-copy,42,0,1,downtime,0,1060.624,256,0,1050624,7924572.70437,',
        'tiny,stop-and-copy,stop-and-copy,43,1,1,downtime,0,1060.624,256,0,1050624,7924572.70437,',
        '',
      ].join('\n'),
    });
    expect(runsCsv(records)).toBe(
      [
        'scenario,variant,policy,seed,trial,link.bandwidth_bps,total_time_ms,setup_time_ms,downtime_ms,expected_downtime_ms,transferred_bytes,remaining_bytes,duplicate_pages,normal_pages,dirty_sync_count,dirty_pages_rate,precopy_bytes,downtime_bytes,postcopy_bytes,postcopy_requests,guest_lost_s,guest_slowdown_pct,converged,elapsed_ms,postcopy_faults,xbzrle_pages,xbzrle_bytes,xbzrle_cache_miss,xbzrle_overflow,wire_bytes,transfers,events',
        'tiny,stop-and-copy,stop-and-copy,42,0,8000000,1060.624,0,1060.624,,1050624,0,0,256,0,0,0,1050624,0,0,1.060624,100,1,1060.624,0,0,0,0,0,1050624,1,4',
        'tiny,stop-and-copy,stop-and-copy,43,1,8000000,1060.624,0,1060.624,,1050624,0,0,256,0,0,0,1050624,0,0,1.060624,100,1,1060.624,0,0,0,0,0,1050624,1,4',
        '',
      ].join('\n'),
    );
  });

  it('column order, number formatting, empty and quoted cells', () => {
    const records: RunRecord[] = [
      record({
        scenario: 'sweep',
        policy: 'stop-and-copy',
        seed: 3921303030,
        trial: 0,
        params: { 'link.bandwidth_bps': 1e8, 'vm.name': 'a,b' },
        metrics: { total_time_ms: 0.1 + 0.2, downtime_ms: NaN, ratio: 1 / 3, transferred_bytes: 67239936 },
      }),
      record({
        scenario: 'sweep',
        policy: 'stop-and-copy',
        seed: 17,
        trial: 1,
        // Param order of first appearance; a param missing from a row is an empty cell.
        params: { 'vm.name': 'say "hi"', 'link.bandwidth_bps': 128e6, live: true },
        metrics: { total_time_ms: 2 / 3 * 1e-9, downtime_ms: 123456789012345, ratio: Infinity, transferred_bytes: 0 },
      }),
    ];
    expect(runsColumns(records)).toEqual({
      params: ['link.bandwidth_bps', 'vm.name', 'live'],
      metrics: ['total_time_ms', 'downtime_ms', 'ratio', 'transferred_bytes'],
    });
    expect(runsCsv(records)).toBe(
      [
        'scenario,variant,policy,seed,trial,link.bandwidth_bps,vm.name,live,total_time_ms,downtime_ms,ratio,transferred_bytes',
        'sweep,stop-and-copy,stop-and-copy,3921303030,0,100000000,"a,b",,0.3,,0.333333333333,67239936',
        'sweep,stop-and-copy,stop-and-copy,17,1,128000000,"say ""hi""",true,6.66666666667e-10,123456789012000,Infinity,0',
        '',
      ].join('\n'),
    );
  });

  it('no records: just the identity columns', () => {
    expect(runsCsv([])).toBe(`${ID_COLUMNS.join(',')}\n`);
    expect(ID_COLUMNS).toEqual(['scenario', 'variant', 'policy', 'seed', 'trial']);
  });
});

describe('cell', () => {
  it.each<[Parameters<typeof cell>[0], string]>([
    [0.1 + 0.2, '0.3'],
    [1 / 3, '0.333333333333'],
    [1060.6240000000001, '1060.624'],
    [-2.5, '-2.5'],
    [1e21, '1e+21'],
    [NaN, ''],
    [-Infinity, '-Infinity'],
    [undefined, ''],
    [false, 'false'],
    ['text, as is', 'text, as is'],
  ])('%s -> %j', (v, want) => {
    expect(cell(v)).toBe(want);
  });
});

describe('tableCsv', () => {
  it('puts the lead columns first, then others in order of appearance; quotes newlines', () => {
    const rows: Array<Record<string, ParamValue>> = [
      { bytes: 10, round: 1 },
      { note: 'two\nlines', round: 2, bytes: 0.1 + 0.7 },
    ];
    expect(tableCsv(rows, ['round'])).toBe(['round,bytes,note', '1,10,', '2,0.8,"two\nlines"', ''].join('\n'));
  });
});
