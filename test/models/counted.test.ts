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

  describe('sequential segments', () => {
    const seq = (): CountedMemory =>
      new CountedMemory('m', 1000, 4096, [
        { start: 0, pages: 200, group: -1, share: 0, zero: 200 },
        { start: 200, pages: 800, group: 0, share: 1 / 800, zero: 0, seq: true, region: -1 },
      ], new RandomStreams(5).stream('c'));
    const wire = { header_bytes: 8, zero_pages: true };

    it('a range write dirties exactly its pages, and the scan takes exactly the pending range from the cursor', () => {
      const m = seq();
      m.staleOnWrite = true;
      m.writeRange(300, 50);
      m.writeRange(900, 100);
      expect(m.countWhere(DIRTY, DIRTY)).toBe(150);
      expect(m.sync()).toEqual([150, 150]);
      // 120 pages' budget: 100 zero pages are passed over (not pending), the first 120 pending are pages 300-349 and 900-969.
      const first = m.takePending(120 * 4104, Infinity, wire)!;
      expect(first.pages).toBe(120);
      expect(first.ranges).toEqual([300, 50, 900, 70]);
      // Pages 300-319 are written again: 20 pending pages now, plus the 30 left at 970-999.
      m.writeRange(300, 20);
      m.sync();
      expect(m.pending).toBe(50);
      const next = m.takePending(31 * 4104, Infinity, wire)!;
      expect(next.ranges).toEqual([970, 30, 300, 1]);
      expect(m.wraps).toBe(1);
    });

    it('landed ranges are present, and neighbours in one state merge again at a sync', () => {
      const m = seq();
      m.staleOnWrite = true;
      m.setAll(PENDING, true);
      const sends = [m.takePending(300 * 4104, Infinity, wire)!, m.takePending(Infinity, Infinity, wire)!];
      expect(sends[0].ranges).toEqual([200, 300]); // the 200 zero pages cost 9 bytes each
      for (const s of sends) m.landed(s);
      expect(m.present).toBe(1000);
      m.writeRange(400, 10);
      m.writeRange(700, 10);
      m.sync();
      // The zero segment, three pending/present runs and two pending runs: 400-409 and 700-709.
      expect(m.segments.filter((s) => s.pages > 0)).toHaveLength(6);
      m.landed(m.takePending(Infinity, Infinity, wire)!);
      m.sync();
      expect(m.present).toBe(1000);
      expect(m.segments.filter((s) => s.pages > 0)).toHaveLength(2);
    });
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

  it('refuses trace groups at their field', () => {
    const e = inputError(() => readScenario('precopy-qemu', ['vm.model=counted', 'vm.working_set=[{ name: t, writes: [{ at: 0s, page: 3 }] }]']));
    expect(e.message).toMatch(/vm\.working_set\.0\.writes: vm\.model: counted supports random, zipf and sequential groups; a trace group needs vm\.model: pages/);
  });

  it('refuses post-copy faults of a sequential group, naming vm.model', () => {
    const e = inputError(() => resolve(readScenario('postcopy', ['vm.model=counted', 'vm.working_set=[{ name: s, size: 1MiB, rate: 100 pages/s, pattern: sequential }]']), {}));
    expect(e.message).toMatch(/vm\.model: vm\.model: counted does not model post-copy faults of a sequential group/);
  });

  // The second writer (a 4 GiB guest's 512 MiB at 500,000 pages/s over 10 Gbit/s, scaled by 1/16)
  // outpaces the scan, so ranges merge across the scan cursor and leave it inside a segment.
  for (const [bw, size, rate] of [['40MiB/s', '8MiB', '20000'], ['625Mbit/s', '32MiB', '31250']]) {
    it(`QEMU pre-copy of a sequential writer (${size} at ${rate} pages/s over ${bw}) gives the per-page numbers on the counted model`, () => {
      const run = (model: string) =>
        migrate({ policy: 'precopy', options: { rules: 'qemu', max_bandwidth: bw }, link: { bandwidth: bw, latency: '0.1ms' }, vm: { memory: '256MiB', zero: '0%', model, working_set: [{ name: 's', size, rate: `${rate} pages/s`, pattern: 'sequential', cursor: '1MiB' }] } }).record.metrics;
      const [pages, counted] = [run('pages'), run('counted')];
      for (const k of ['total_time_ms', 'downtime_ms', 'transferred_bytes', 'dirty_sync_count']) expect(counted[k], k).toBe(pages[k]);
      expect(pages.dirty_sync_count).toBeGreaterThan(2);
    });
  }

  it('a verb that needs page identities is a model error on the counted model', () => {
    expect(() => migrate({ policy: 'stop-and-copy', vm: { memory: '1MiB', model: 'counted' } }).world.vm('vm').memory).toThrow('keeps no page identities');
  });
});
