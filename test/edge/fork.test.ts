// VM fork (SnowFlock): the descriptor's time from its size over the parent's uplink, independent of
// memory beyond its per-GB part and, multicast, of the number of clones; pages on demand, counted
// exactly from the drawn workload (multicast sends each needed page once, unicast once per clone
// that needs it, overwritten pages never); stalls from round trips; bad input exits 2.
import { describe, expect, it } from 'vitest';
import { loadNamedScenario } from '../../sim/cli/files.js';
import { buildScenario } from '../../scenarios/build.js';
import { deriveSeed } from '../../sim/run.js';
import type { ForkSetup } from '../../sim/drivers/fork.js';
import { inputError } from '../helpers/errors.js';
import { runEdge } from './helpers.js';

// scenarios/edge/fork.yaml: 1 GB memory, 4 KiB pages + 8 B header, 1 Gbit/s access links, 50 us
// one-way, descriptor 64 KiB + 1 MB/GB, save 100 ms, clone start 500 ms, 32 clones.
const B = 1e9 / 8;
const L = 50e-6;
const SAVE = 0.1;
const START = 0.5;
const PAGE_WIRE = 4096 + 8;
const desc = (memory: number): number => 65536 + 1e6 * (memory / 1e9);
const cloneTime = (memory: number, unicastTo = 1): number => SAVE + (unicastTo * desc(memory)) / B + L + START;

/** The workload the run drew: pages each clone needs fetched (touched and not overwritten). */
function needed(sets: string[]): { perClone: number[]; distinct: number; overwritten: number[] } {
  const loaded = loadNamedScenario('fork', sets);
  const seed = deriveSeed(loaded.scenario.seed, 'trial:0');
  const w = (buildScenario(loaded.scenario, seed).setup as ForkSetup).workload;
  const union = new Set<number>();
  const perClone = w.order.map((o) => o.filter((p) => w.overwritten[p] === 0).length);
  const overwritten = w.order.map((o) => o.filter((p) => w.overwritten[p] === 1).length);
  for (const o of w.order) for (const p of o) if (w.overwritten[p] === 0) union.add(p);
  return { perClone, distinct: union.size, overwritten };
}

describe('fork: the descriptor', () => {
  it('takes save + descriptor bytes over the uplink + latency + clone start', () => {
    const m = runEdge('fork').metrics;
    expect(m.descriptor_bytes).toBe(desc(1e9));
    expect(m.descriptor_s).toBeCloseTo(desc(1e9) / B + L, 12);
    expect(m.clone_time_s).toBeCloseTo(cloneTime(1e9), 12);
    expect(m.clone_time_s).toBeLessThan(1); // SnowFlock: 32 clones in under a second
  });

  it('grows with memory only by its per-GB part', () => {
    const small = runEdge('fork', ['clones=2', 'workload.working_set=1MiB']).metrics;
    const big = runEdge('fork', ['clones=2', 'workload.working_set=1MiB', 'vm.memory=16GB']).metrics;
    expect(big.descriptor_bytes - small.descriptor_bytes).toBe(15e6);
    expect(big.clone_time_s - small.clone_time_s).toBeCloseTo(15e6 / B, 12);
    expect(big.clone_time_s).toBeCloseTo(cloneTime(16e9), 12);
    // 16x the memory, about 1.2x the clone time.
    expect(big.clone_time_s / small.clone_time_s).toBeLessThan(1.25);
  });

  it('multicast: clone time does not depend on the number of clones', () => {
    const times = [1, 2, 4, 8, 16, 32].map((n) => runEdge('fork', [`clones=${n}`, 'workload.working_set=1MiB']).metrics.clone_time_s);
    for (const t of times) expect(t).toBeCloseTo(cloneTime(1e9), 12);
  });

  it('unicast: N descriptors share the parent uplink, so the transfer grows linearly in N', () => {
    for (const n of [1, 4, 32]) {
      const m = runEdge('fork', [`clones=${n}`, 'workload.working_set=1MiB', 'options.descriptor_multicast=false']).metrics;
      expect(m.clone_time_s).toBeCloseTo(cloneTime(1e9, n), 9);
      expect(m.descriptor_wire_bytes).toBe(n * desc(1e9));
    }
  });
});

describe('fork: memory on demand', () => {
  const shared = needed([]);
  const mc = runEdge('fork').metrics;
  const uc = runEdge('fork', ['options.multicast=false']).metrics;

  it('multicast with push sends each needed page once', () => {
    expect(mc.page_transmissions).toBe(shared.distinct);
    expect(mc.page_wire_bytes).toBe(shared.distinct * PAGE_WIRE);
    expect(mc.bytes_sent_total).toBe(mc.page_wire_bytes + desc(1e9));
    expect(mc.wire_bytes).toBe(mc.bytes_sent_total);
  });

  it('unicast sends each needed page once per clone that needs it', () => {
    const total = shared.perClone.reduce((a, b) => a + b, 0);
    expect(uc.page_transmissions).toBe(total);
    expect(uc.page_faults).toBeCloseTo(total / 32, 9);
    expect(uc.page_wire_bytes).toBe(total * PAGE_WIRE);
  });

  it('multicast cuts page bytes by about (s + N(1 - s)) / N when clones share s of their pages', () => {
    const ratio = mc.page_wire_bytes / uc.page_wire_bytes;
    const model = (0.75 + 32 * 0.25) / 32;
    expect(Math.abs(ratio - model) / model).toBeLessThan(0.03);
    // Clones stall on far fewer faults, since pages others fetched are there already.
    expect(mc.page_faults).toBeLessThan(uc.page_faults / 2);
    expect(mc.fault_stall_s).toBeLessThan(uc.fault_stall_s);
  });

  it('multicast sends exactly as much as unicast when nothing is shared', () => {
    const sets = ['clones=8', 'workload.shared_share=0%'];
    const a = runEdge('fork', sets).metrics;
    const b = runEdge('fork', [...sets, 'options.multicast=false']).metrics;
    const n = needed(sets);
    expect(a.page_wire_bytes).toBe(b.page_wire_bytes);
    expect(a.page_transmissions).toBe(n.perClone.reduce((x, y) => x + y, 0));
  });

  it('never fetches a page a clone overwrites; without the heuristic it does', () => {
    expect(mc.pages_avoided).toBeCloseTo(shared.overwritten.reduce((a, b) => a + b, 0) / 32, 9);
    const fetchAll = runEdge('fork', ['options.avoid_overwrite=false']).metrics;
    const all = needed(['workload.overwrite_share=0%']);
    expect(fetchAll.pages_avoided).toBe(0);
    // Same pages touched (the overwrite draw does not move them), every one fetched once.
    expect(fetchAll.page_transmissions).toBe(all.distinct);
    expect(fetchAll.page_transmissions).toBeGreaterThan(mc.page_transmissions);
  });

  it('a lone clone stalls a round trip plus one page time per fault, and runs its duration plus its stalls', () => {
    const m = runEdge('fork', ['clones=1', 'options.multicast=false']).metrics;
    expect(m.page_faults).toBe(needed(['clones=1']).perClone[0]);
    expect(m.fault_stall_s).toBeCloseTo(m.page_faults * (2 * L + PAGE_WIRE / B), 9);
    expect(m.run_s).toBeCloseTo(5 + m.fault_stall_s, 9);
  });

  it('every clone row adds up to the metrics', () => {
    const r = runEdge('fork');
    const rows = r.tables?.clones ?? [];
    expect(rows).toHaveLength(32);
    expect(rows.reduce((s, x) => s + (x.faults as number), 0) / 32).toBeCloseTo(r.metrics.page_faults, 9);
    for (const x of rows) expect(x.running_s).toBeCloseTo(r.metrics.clone_time_s, 12);
  });
});

describe('fork, bad input', () => {
  it.each([
    ['clones=0', /field clones: at least one clone is needed/],
    ['clones=2.5', /field clones: expected a whole number of clones/],
    ['workload.working_set=2GB', /field workload\.working_set: the working set \(2000000000 bytes\) is larger than memory/],
    ['workload.overwrite_share=150%', /field workload\.overwrite_share/],
    ['workload.shared_share=0%', /field workload\.working_set: 32 clones touch 0 shared pages and 8192 private pages each/],
    ['descriptor.per_gb=1', /field descriptor\.per_gb/],
  ])('refuses %s, naming the field', (set, message) => {
    const e = inputError(() => loadNamedScenario('fork', [set]));
    expect(e.message).toMatch(message);
  });
});
