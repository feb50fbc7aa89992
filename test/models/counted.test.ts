// The counted memory model (vm.model: counted): what it keeps exact, and what it refuses.
import { describe, expect, it } from 'vitest';
import { resolve } from '../../sim/pipeline/index.js';
import { RandomStreams } from '../../sim/engine/index.js';
import { CountedMemory, DIRTY, PENDING, PRESENT, ZERO } from '../../sim/world/index.js';
import { inputError } from '../helpers/errors.js';
import { migrate } from '../helpers/migration.js';
import { readScenario } from '../helpers/scenarios.js';
import { POLICIES } from '../../policies/index.js';
import { checkPolicy } from '../../sim/user-policy.js';

describe('counted memory', () => {
  const build = (): CountedMemory =>
    new CountedMemory('m', 1000, 4096, [
      { start: 0, pages: 400, group: 0, share: 1 / 400, zero: 100 },
      { start: 400, pages: 600, group: -1, share: 0, zero: 300 },
    ], new RandomStreams(5).stream('c'));

  it('writes keep the page count, clear zero and present, and mark dirty', () => {
    const m = build();
    m.setAll(PRESENT, true);
    m.staleOnWrite = true;
    const written = m.writeSegment(0, 0.5);
    expect(written).toBeGreaterThan(150);
    expect(written).toBeLessThan(250);
    expect(m.countWhere(0, 0)).toBe(1000);
    expect(m.countWhere(DIRTY, DIRTY)).toBe(written);
    expect(m.countWhere(DIRTY | ZERO, DIRTY | ZERO)).toBe(0);
    expect(m.present).toBe(1000 - written);
    expect(m.segmentCount(1, DIRTY, DIRTY)).toBe(0);
  });

  it('a sync moves dirty pages into the to-send set and reports the new ones', () => {
    const m = build();
    const written = m.writeSegment(0, 0.3);
    const [dirty, fresh] = m.sync();
    expect([dirty, fresh]).toEqual([written, written]);
    expect(m.pending).toBe(written);
    expect(m.countWhere(DIRTY, DIRTY)).toBe(0);
    m.setAll(PENDING, true);
    m.writeSegment(0, 0.3);
    expect(m.sync()[1]).toBe(0); // all were pending already
  });

  it('a scan takes pending pages in address order within its byte budget and they land present', () => {
    const m = build();
    m.setAll(PENDING, true);
    const wire = { header_bytes: 8, zero_pages: true };
    const first = m.takePending(100 * 4104, Infinity, wire)!;
    expect(first.bySegment[0]).toBe(0);
    expect(first.bytes).toBeGreaterThanOrEqual(100 * 4104);
    expect(first.bytes - (first.normal > 0 ? 4104 : 9)).toBeLessThan(100 * 4104);
    expect(first.bytes).toBe(first.zero * 9 + first.normal * 4104);
    const rest = m.takePending(Infinity, Infinity, wire)!;
    expect(first.pages + rest.pages).toBe(1000);
    expect(first.zero + rest.zero).toBe(400);
    expect(m.pending).toBe(0);
    m.landed(first);
    m.landed(rest);
    expect(m.present).toBe(1000);
    expect(m.wraps).toBe(0); // as QEMU: the cursor stops after the last page it took, and wraps on the next scan
  });
});

describe('vm.model: counted in migrations', () => {
  it('stop-and-copy sends every page once: zero pages as headers, the rest whole', () => {
    const { record } = migrate({ policy: 'stop-and-copy', vm: { memory: '64MiB', zero: '25%', model: 'counted' }, link: { bandwidth: '1Gbit/s', latency: '1ms' } });
    const m = record.metrics;
    expect(m.duplicate_pages + m.normal_pages).toBe(16384);
    expect(m.transferred_bytes).toBe(m.duplicate_pages * 9 + m.normal_pages * 4104);
    expect(m.total_time_ms / 1e3).toBeCloseTo((m.transferred_bytes * 8) / 1e9 + 0.001, 6);
    expect(m.converged).toBe(1);
  });

  it('QEMU pre-copy with auto-converge converges on a working set it could not otherwise drain', () => {
    const vm = { memory: '256MiB', model: 'counted', working_set: [{ name: 'hot', size: '128MiB', rate: '60000 pages/s' }] };
    const link = { bandwidth: '1Gbit/s', latency: '0.5ms' };
    const off = migrate({ policy: 'precopy', vm, link, options: { rules: 'qemu', max_bandwidth: '1Gbit/s', deadline: '30s' } }).record.metrics;
    const on = migrate({ policy: 'precopy', vm, link, options: { rules: 'qemu', max_bandwidth: '1Gbit/s', deadline: '30s', auto_converge: true } }).record.metrics;
    expect(off.converged).toBe(0);
    expect(on.converged).toBe(1);
    expect(on.guest_lost_s).toBeGreaterThan(0);
  });

  it('refuses policies that read page identities, naming vm.model and the policy', () => {
    for (const [name, sets, policy] of [
      ['postcopy', ['options.prepage_pages=4'], 'postcopy (prepage_pages > 0)'],
      ['postcopy', ['options.max_postcopy_bandwidth=100Mbit/s'], 'postcopy (max_postcopy_bandwidth)'],
      ['hybrid', [], 'hybrid'],
      ['handoff', [], 'handoff'],
      ['precopy-xen', [], 'precopy (rules: xen)'],
      ['precopy-simgrid', [], 'precopy (rules: simgrid)'],
      ['precopy-qemu', ['options.xbzrle=true'], 'precopy (xbzrle)'],
    ] as const) {
      const e = inputError(() => resolve(readScenario(name, ['vm.model=counted', ...sets])));
      expect(e.message).toContain('vm.model: counted keeps counts of pages');
      expect(e.message).toContain(`policy ${policy}`);
      expect(e.message).toContain('vm.model');
    }
  });

  it('a policy from outside may declare counted: true (a boolean), as the built-ins that run on it do', () => {
    const stopAndCopy = POLICIES.find((p) => p.name === 'stop-and-copy')!;
    expect(stopAndCopy.counted).toBe(true);
    const mine = { ...stopAndCopy, name: 'my-copy' };
    expect(checkPolicy(mine, 'mine.js')).toBe(mine);
    expect(inputError(() => checkPolicy({ ...mine, counted: 'yes' }, 'mine.js')).message).toBe(
      'mine.js, field counted: expected true or false (true: the policy runs on vm.model: counted, through ctx.countedPending()), got the string "yes"',
    );
  });

  it('refuses sequential and trace groups at their field', () => {
    const e = inputError(() => readScenario('precopy-qemu', ['vm.model=counted', 'vm.working_set=[{ name: s, size: 1MiB, rate: 100 pages/s, pattern: sequential }]']));
    expect(e.message).toMatch(/vm\.working_set\.0\.pattern: vm\.model: counted supports random and zipf groups; a sequential group needs vm\.model: pages/);
  });

  it('a verb that needs page identities is a model error on the counted model', () => {
    expect(() => migrate({ policy: 'stop-and-copy', vm: { memory: '1MiB', model: 'counted' } }).world.vm('vm').memory).toThrow('keeps no page identities');
  });
});
