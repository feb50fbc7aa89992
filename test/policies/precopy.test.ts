// Pre-copy under QEMU and Xen rules: analytic limits and the rules' caps, never snapshots of output.
import { describe, expect, it } from 'vitest';
import { migrate } from '../helpers/migration.js';

const PAGES = 16384; // 64 MiB of 4 KiB pages
const WIRE = 4104; // QEMU: 8-byte header + page
const B = 100e6; // link bit/s
const L = 0.02; // one-way latency, s
const ms = (s: number) => s * 1e3;

describe('precopy (qemu): an idle VM', () => {
  it('one full pass, then a tiny final round: the tail below the threshold goes while stopped, downtime under the limit', () => {
    const { record, rounds } = migrate({ policy: 'precopy' });
    const m = record.metrics;
    // The link (100 Mbit/s) is slower than max-bandwidth (128 MiB/s), so the pass runs at link speed
    // without gaps: total = all bytes * 8 / B + L, whatever part of it is sent while stopped.
    expect(m.total_time_ms).toBeCloseTo(ms((PAGES * WIRE * 8) / B + L), 6);
    expect(m.transferred_bytes).toBe(PAGES * WIRE);
    // Set-up sync, the sync once the stale estimate fell below bandwidth x 300 ms (nothing new), completion.
    expect(m.dirty_sync_count).toBe(3);
    expect(rounds.map((r) => r.phase)).toEqual(['precopy', 'precopy', 'downtime']);
    const [pass, , final] = rounds;
    expect(pass.pages_sent + final.pages_sent).toBe(PAGES);
    expect(final.pages_sent * WIRE).toBeLessThan(0.3 * (B / 8));
    expect(m.downtime_ms).toBeCloseTo(ms((final.bytes_sent * 8) / B + L), 6);
    expect(m.downtime_ms).toBeLessThan(300);
    // QEMU's expected-downtime is re-estimated only once a dirty-page rate has been measured: an
    // idle VM never gets one, so it stays at downtime-limit (the reference runs' idle rows say 300).
    expect(m.expected_downtime_ms).toBe(300);
    expect(m.dirty_pages_rate).toBe(0);
    expect(m.converged).toBe(1);
  });

  it('on a link faster than max-bandwidth the live pass runs at max-bandwidth (within one 100 ms window)', () => {
    const { record, rounds } = migrate({ policy: 'precopy', link: { bandwidth: '10Gbit/s', latency: '0.1ms' }, options: { max_bandwidth: '256Mbit/s' } });
    const final = rounds.at(-1)!;
    const live = ((record.metrics.transferred_bytes - final.bytes_sent) * 8) / 256e6;
    expect(final.start_ms).toBeGreaterThan(ms(live) - 100);
    expect(final.start_ms).toBeLessThan(ms(live) + 100);
    // The stopped tail goes at link speed.
    expect(final.duration_ms).toBeCloseTo(ms((final.bytes_sent * 8) / 10e9 + 0.0001), 6);
  });

  it('zero pages go as 9-byte headers (duplicate_pages)', () => {
    const { record } = migrate({ policy: 'precopy', vm: { zero: '50%' } });
    const m = record.metrics;
    expect(m.duplicate_pages + m.normal_pages).toBe(PAGES);
    expect(m.transferred_bytes).toBe(m.duplicate_pages * 9 + m.normal_pages * WIRE);
  });
});

describe('precopy (qemu): rounds follow the saturation formula', () => {
  it('a uniform set of W pages dirtied at r pages/s, r below the bandwidth: round k+1 sends W(1 - exp(-r T_k / W))', () => {
    const W = 8192;
    const r = 1500;
    // A tiny downtime limit: a sync comes only once the pass is (nearly) done, so rounds do not overlap.
    const ratios: number[] = [];
    for (const seed of [1, 2, 3]) {
      const { rounds } = migrate({
        policy: 'precopy',
        vm: { working_set: [{ name: 'hot', size: '32MiB', rate: `${r} pages/s` }] },
        options: { downtime_limit: '1ms', deadline: '20s' },
        seed,
      });
      const live = rounds.filter((x) => x.phase === 'precopy' && x.pages_sent > 0);
      for (let k = 0; k + 1 < live.length; k++) {
        const predicted = W * (1 - Math.exp((-r * live[k].duration_ms) / 1e3 / W));
        if (predicted < 1000) break;
        ratios.push(live[k + 1].pages_sent / predicted);
      }
      // and they shrink
      for (let k = 0; k + 1 < Math.min(live.length, 4); k++) expect(live[k + 1].pages_sent).toBeLessThan(live[k].pages_sent);
    }
    expect(ratios.length).toBeGreaterThanOrEqual(6);
    for (const q of ratios) {
      expect(q).toBeGreaterThan(0.95);
      expect(q).toBeLessThan(1.05);
    }
  });
});

describe('precopy: dirtying faster than the link', () => {
  const hot = { working_set: [{ name: 'hot', size: '32MiB', rate: '50000 pages/s' }] };

  it('qemu rules never switch over without auto-converge: not converged at the deadline, VM still at the source', () => {
    const { record, world } = migrate({ policy: 'precopy', vm: hot, options: { deadline: '30s' } });
    const m = record.metrics;
    expect(m.converged).toBe(0);
    // It ran until the deadline, and has no total time or downtime: it never switched over.
    expect(m.elapsed_ms).toBeGreaterThanOrEqual(30_000);
    expect(m.elapsed_ms).toBeLessThan(31_000);
    expect(m.total_time_ms).toBeNaN();
    expect(m.downtime_ms).toBeNaN();
    expect(record.goal).toBe('converged');
    expect(m.remaining_bytes).toBeGreaterThan(0);
    // Without auto-converge there is no throttle to report (QEMU shows cpu-throttle-percentage only with it).
    expect(m.cpu_throttle_percentage).toBeUndefined();
    expect(m.throttle_lost_s).toBeUndefined();
    expect(m.postcopy_blocktime_ms).toBeUndefined();
    // The estimate follows the bytes pending at the last sync (the whole 32 MiB hot set at least)
    // over the measured bandwidth (the link's), no longer the 300 ms limit.
    expect(m.expected_downtime_ms).toBeGreaterThanOrEqual(ms((8192 * 4096 * 8) / B) - 1e-6);
    expect(m.expected_downtime_ms).toBeLessThanOrEqual(ms((PAGES * 4096 * 8) / B));
    expect(world.vm('vm').site).toBe('source');
  });

  it('qemu rules with auto-converge throttle the vCPUs (20%, then +10% steps) and converge', () => {
    const { record } = migrate({ policy: 'precopy', vm: hot, options: { auto_converge: true } });
    const m = record.metrics;
    expect(m.converged).toBe(1);
    // 20% first, then +10% per step, capped at 99%.
    const steps = [20, 30, 40, 50, 60, 70, 80, 90, 99];
    expect(steps.some((p) => Math.abs(p - m.cpu_throttle_percentage) < 1e-9)).toBe(true);
    expect(m.downtime_ms).toBeLessThan(300 + ms(L) + 50);
  });

  it('xen rules stop at one of their caps and finish with a stop-and-copy', () => {
    const { record, rounds } = migrate({ policy: 'precopy', vm: hot, options: { rules: 'xen' } });
    const m = record.metrics;
    const live = rounds.filter((x) => x.phase === 'precopy');
    const sent = live.map((x) => x.pages_sent);
    const total = sent.reduce((a, b) => a + b, 0);
    const capped = live.length === 29 || total > 3 * PAGES || (live.length > 1 && sent.at(-1)! > sent.at(-2)!);
    expect(capped).toBe(true);
    expect(live.length).toBeLessThanOrEqual(29);
    expect(m.converged).toBe(1);
    expect(rounds.at(-1)!.phase).toBe('downtime');
    // Xen sends whole pages: a 4-byte count per batch, an 8-byte pfn entry and 4096 bytes per page.
    expect(m.duplicate_pages).toBe(0);
  });

  it('xen rules: the first round runs at 100 Mbit/s even on a faster link; the rate never exceeds 500 Mbit/s', () => {
    const { rounds } = migrate({ policy: 'precopy', link: { bandwidth: '1Gbit/s', latency: '1ms' }, vm: hot, options: { rules: 'xen' } });
    expect(rounds[0].bandwidth_bps).toBeCloseTo(100e6, -4);
    for (const r of rounds.filter((x) => x.phase === 'precopy')) expect(r.bandwidth_bps).toBeLessThanOrEqual(500e6 * 1.0001);
  });
});

describe('precopy (xen): the rate of each round', () => {
  const vm = { working_set: [{ name: 'hot', size: '8MiB', rate: '2000 pages/s' }] };
  const link = { bandwidth: '1Gbit/s', latency: '1ms' };

  it('paper rule: round 2 runs at round 1 dirtying rate + 50 Mbit/s; xc rule keeps 100 Mbit/s when dirtying is slower', () => {
    const paper = migrate({ policy: 'precopy', link, vm, options: { rules: 'xen' } }).rounds;
    const dirtyRate = (paper[0].pages_dirtied * 4096 * 8) / (paper[0].duration_ms / 1e3);
    expect(dirtyRate).toBeLessThan(100e6);
    expect(paper[1].bandwidth_bps).toBeCloseTo(dirtyRate + 50e6, -3);
    const xc = migrate({ policy: 'precopy', link, vm, options: { rules: 'xen', xen_rate_rule: 'xc' } }).rounds;
    expect(xc[1].bandwidth_bps).toBeCloseTo(100e6, -3);
  });
});

describe('precopy (qemu): XBZRLE', () => {
  it('after the first pass, re-sent pages found in the cache go as deltas, and fewer bytes cross', () => {
    const vm = { write_delta: '10%', working_set: [{ name: 'hot', size: '8MiB', rate: '3000 pages/s' }] };
    const plain = migrate({ policy: 'precopy', vm }).record.metrics;
    const x = migrate({ policy: 'precopy', vm, options: { xbzrle: true } }).record.metrics;
    expect(plain.xbzrle_pages).toBe(0);
    expect(x.xbzrle_pages).toBeGreaterThan(0);
    // Each XBZRLE page: 8-byte header + 3 + ceil(0.1 * 4096) = 421 bytes on the wire; QEMU's
    // xbzrle-cache bytes leave the header out (413), and no page overflows at a 10% delta.
    expect(x.xbzrle_overflow).toBe(0);
    expect(x.xbzrle_bytes).toBe(x.xbzrle_pages * 413);
    expect(x.transferred_bytes).toBeLessThan(plain.transferred_bytes);
    expect(x.converged).toBe(1);
  });
});

describe('precopy: determinism', () => {
  it('the same seed gives the same record', () => {
    const o = { policy: 'precopy', vm: { working_set: [{ name: 'hot', size: '8MiB', rate: '3000 pages/s' }] }, seed: 9 };
    expect(migrate(o).record).toEqual(migrate(o).record);
  });
});

describe('precopy (qemu): a sequential writer', () => {
  it('each sync finds min(W, r T) pages: the pages the writer passed since the last sync', () => {
    const W = 8192;
    const r = 1500;
    const { rounds } = migrate({
      policy: 'precopy',
      vm: { working_set: [{ name: 'hot', size: '32MiB', rate: `${r} pages/s`, pattern: 'sequential' }] },
      options: { downtime_limit: '1ms', deadline: '20s' },
    });
    const live = rounds.filter((x) => x.phase === 'precopy');
    expect(live.length).toBeGreaterThanOrEqual(4);
    for (let k = 0; k + 1 < live.length; k++) {
      // pages_dirtied is what the sync closing round k found; the writer ran for the whole round.
      const expected = Math.min(W, Math.floor((r * live[k].duration_ms) / 1e3 + 1e-9));
      expect(Math.abs(live[k].pages_dirtied - expected)).toBeLessThanOrEqual(1);
    }
  });

  it('dirty-pages-rate counts pages newly added per second of the last 1 s period: the sending rate when the set is re-dirtied faster than it goes', () => {
    const { record } = migrate({
      policy: 'precopy',
      vm: { working_set: [{ name: 'hot', size: '32MiB', rate: '50000 pages/s', pattern: 'sequential' }] },
      options: { deadline: '20s' },
    });
    const m = record.metrics;
    expect(m.converged).toBe(0);
    // Every page sent is dirty again at the next sync, and nothing else is new: pages sent per second.
    const sentPerSecond = B / 8 / WIRE;
    expect(m.dirty_pages_rate / sentPerSecond).toBeGreaterThan(0.97);
    expect(m.dirty_pages_rate / sentPerSecond).toBeLessThan(1.03);
  });
});

describe('precopy (qemu): the switch-over', () => {
  it('the final copy is not rate limited: stop cost, then the tail at link speed, then start cost', () => {
    const link = { bandwidth: '8Gbit/s', latency: '0ms' };
    const vm = { working_set: [{ name: 'hot', size: '8MiB', rate: '20000 pages/s', pattern: 'sequential' }] };
    const options = { max_bandwidth: '32MiB/s', stop_time: '2ms', start_time: '1ms' };
    const { record, rounds } = migrate({ policy: 'precopy', link, vm, options });
    const final = rounds.at(-1)!;
    expect(final.phase).toBe('downtime');
    expect(final.pages_sent).toBeGreaterThan(1000); // far more than max-bandwidth allows in 3 ms
    // The rounds table's last round starts after the stop cost (the sync that opens it).
    expect(record.metrics.downtime_ms).toBeCloseTo(2 + ms((final.bytes_sent * 8) / 8e9) + 1, 6);
    const plain = migrate({ policy: 'precopy', link, vm, options: { max_bandwidth: '32MiB/s' } }).record.metrics;
    expect(record.metrics.downtime_ms - plain.downtime_ms).toBeCloseTo(3, 1);
  });
});
