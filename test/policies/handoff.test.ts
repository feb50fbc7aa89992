// Agile VM handoff: dedup against the base image, adaptive compression, iterations.
import { describe, expect, it } from 'vitest';
import { migrate } from '../helpers/migration.js';
import type { TraceEvent } from '../../sim/results/record.js';

const PAGES = 16384;
const PAGE = 4096;

describe('handoff: dedup against the base image', () => {
  it('bytes on the wire fall as the base-image overlap rises (incompressible content: exact sizes)', () => {
    const out = ['0%', '40%', '80%'].map((base) => {
      const { record } = migrate({ policy: 'handoff', vm: { base } });
      const m = record.metrics;
      const refs = m.handoff_zero_blocks + m.handoff_base_memory_blocks + m.handoff_base_disk_blocks + m.handoff_self_blocks;
      expect(m.handoff_input_bytes).toBe(PAGES * PAGE);
      expect(m.handoff_dedup_bytes).toBe((PAGES - refs) * PAGE);
      // Incompressible: every mode leaves the size; each deduplicated block is an 8-byte reference.
      expect(m.handoff_output_bytes).toBeCloseTo((PAGES - refs) * PAGE + refs * 8, 6);
      expect(m.transferred_bytes).toBeCloseTo(m.handoff_output_bytes, 6);
      expect(m.converged).toBe(1);
      return { base: m.handoff_base_memory_blocks / PAGES, bytes: m.handoff_output_bytes };
    });
    expect(out[0].base).toBe(0);
    expect(out[1].base).toBeCloseTo(0.4, 1);
    expect(out[2].base).toBeCloseTo(0.8, 1);
    expect(out[1].bytes).toBeLessThan(out[0].bytes);
    expect(out[2].bytes).toBeLessThan(out[1].bytes);
  });

  it('zero pages, base-disk pages, duplicates and modified disk blocks are each found', () => {
    const { record } = migrate({ policy: 'handoff', vm: { zero: '10%', base_disk: '20%', duplicate: '10%', disk: { size: '64MiB', modified: '5%' } } });
    const m = record.metrics;
    expect(m.handoff_zero_blocks / PAGES).toBeGreaterThan(0.08);
    expect(m.handoff_base_disk_blocks / PAGES).toBeGreaterThan(0.18);
    expect(m.handoff_self_blocks).toBeGreaterThan(0);
    // Input: every memory page plus the ~5% of 16384 disk blocks that differ from the base disk.
    const disk = m.handoff_input_bytes / PAGE - PAGES;
    expect(disk / 16384).toBeGreaterThan(0.04);
    expect(disk / 16384).toBeLessThan(0.06);
  });
});

describe('handoff: the controller adapts the compression mode', () => {
  const run = (bandwidth: string) => {
    const modes: string[] = [];
    const { record } = migrate({
      policy: 'handoff',
      link: { bandwidth, latency: '5ms' },
      vm: { compress_ratio: '40%' },
      source: { cores: 4 },
      trace: (e: TraceEvent) => e.type === 'pipeline' && modes.push(e.mode as string),
    });
    const m = record.metrics;
    const top = [...new Set(modes)].sort((a, b) => modes.filter((x) => x === b).length - modes.filter((x) => x === a).length)[0];
    return { m, top, ratio: m.handoff_output_bytes / m.handoff_delta_bytes };
  };

  it('picks a stronger mode at low bandwidth than at high bandwidth when the CPU allows', () => {
    const slow = run('10Mbit/s');
    const fast = run('1Gbit/s');
    // lzbench ratios of the default modes on silesia: a stronger mode has a smaller one.
    const ref: Record<string, number> = { none: 1, 'zlib-1': 0.3645, 'zlib-6': 0.3219, 'zlib-9': 0.3192, 'xz-0': 0.2953, 'xz-3': 0.263, 'xz-6': 0.2321, 'xz-9': 0.23 };
    expect(ref[slow.top]).toBeLessThan(ref[fast.top]);
    expect(slow.ratio).toBeLessThan(fast.ratio);
    // At 10 Mbit/s the network is the bottleneck: it stays busy.
    expect(slow.m.transferred_bytes * 8 / (slow.m.total_time_ms / 1e3)).toBeGreaterThan(0.9 * 10e6);
  });

  it('with one slow core the controller stays with a fast mode even on a slow link', () => {
    const { record } = migrate({ policy: 'handoff', link: { bandwidth: '100Mbit/s' }, vm: { compress_ratio: '40%' }, source: { cores: 1, hash: '50MB/s' } });
    expect(record.tables!.rounds[0].mode).not.toBe('xz-9');
  });
});

describe('handoff: iterations', () => {
  it('iterates over dirtied memory while it shrinks, then stops the VM for the last iteration', () => {
    const { record, rounds } = migrate({ policy: 'handoff', vm: { working_set: [{ name: 'hot', size: '4MiB', rate: '500 pages/s' }] } });
    const m = record.metrics;
    expect(m.converged).toBe(1);
    expect(rounds.length).toBeGreaterThanOrEqual(2);
    expect(rounds.at(-1)!.phase).toBe('downtime');
    const live = rounds.filter((r) => r.phase === 'precopy');
    for (let k = 1; k < live.length; k++) expect(live[k].pages_sent).toBeLessThan(live[k - 1].pages_sent);
    expect(m.downtime_ms).toBeLessThan(rounds[0].duration_ms);
  });
});
