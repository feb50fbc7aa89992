// The guest's cost (sim/results/guest-cost.ts): analytic cases for each part, and one small post-copy
// and one auto-converge scenario pinned against a hand calculation.
import { describe, expect, it } from 'vitest';
import { migrate } from '../helpers/migration.js';
import { runEdge } from '../edge/helpers.js';
import { guestCostMetrics, throttleLost } from '../../sim/results/guest-cost.js';
import { WritableWorkingSet } from '../../sim/world/workload.js';
import { PageStore } from '../../sim/world/memory.js';
import type { TraceEvent } from '../../sim/results/record.js';

const WIRE = 4104; // QEMU: 8-byte header + 4 KiB page
const B = 100e6; // bit/s
const L = 0.02; // s
const ms = (s: number) => s * 1e3;

describe('guest cost: the parts, analytically', () => {
  it('a throttle of p for t seconds loses p*t; the integral ends when the guest stops', () => {
    expect(throttleLost([{ t: 2, fraction: 0.2 }], 7)).toBeCloseTo(0.2 * 5, 12);
    // 0% from 0 s, 20% from 1 s, 30% from 3 s, stopped at 4.5 s: 0.2*2 + 0.3*1.5 = 0.85 s.
    const steps = [{ t: 0, fraction: 0 }, { t: 1, fraction: 0.2 }, { t: 3, fraction: 0.3 }];
    expect(throttleLost(steps, 4.5)).toBeCloseTo(0.85, 12);
    // A step after the stop costs nothing.
    expect(throttleLost([...steps, { t: 5, fraction: 0.4 }], 4.5)).toBeCloseTo(0.85, 12);
  });

  it('guest_lost_s sums the parts that apply; the others are absent, not 0', () => {
    const m = guestCostMetrics({
      downtime_s: 0.1, elapsed_s: 10, blocktime_s: 0.4, throttles: [{ t: 0, fraction: 0 }, { t: 2, fraction: 0.5 }], throttle_until_s: 4,
      tracked_writes: 1000, tracking_cost_s: 2e-6,
    });
    // 0.1 downtime + 0.4 stalls + 0.5*2 throttle + 1000 * 2 us tracking = 1.502 s, over 10 s.
    expect(m.postcopy_blocktime_ms).toBeCloseTo(400, 9);
    expect(m.throttle_lost_s).toBeCloseTo(1, 12);
    expect(m.cpu_throttle_percentage).toBe(50);
    expect(m.tracking_lost_s).toBeCloseTo(0.002, 12);
    expect(m.guest_lost_s).toBeCloseTo(1.502, 12);
    expect(m.guest_slowdown_pct).toBeCloseTo(15.02, 9);
    const bare = guestCostMetrics({ downtime_s: 2, elapsed_s: 2, throttle_until_s: 0, tracking_cost_s: 0 });
    expect(Object.keys(bare).sort()).toEqual(['guest_lost_s', 'guest_slowdown_pct']);
    expect(bare.guest_slowdown_pct).toBe(100);
  });

  it('a throttled guest writes less: its writes follow guest time, (1 - p) of real time', () => {
    const store = new PageStore('m', 1024, 4096);
    const wss = new WritableWorkingSet(store, [{ name: 'seq', pages: 512, pattern: 'sequential', rate_pages_s: 1000 }], () => 0.5);
    wss.advanceTo(2); // 2 s at full speed: 2000 writes
    wss.setThrottle(0.75, 2);
    wss.advanceTo(6); // 4 s at 25%: 1000 writes, 3 s of guest work lost
    expect(wss.writes).toBe(3000);
    expect(wss.guestTime).toBeCloseTo(3, 12);
    expect(6 - wss.guestTime).toBeCloseTo(throttleLost([{ t: 2, fraction: 0.75 }], 6), 12);
  });

  it('downtime counts whole: stop-and-copy loses its whole time (100%), and nothing else applies', () => {
    const m = migrate({ policy: 'stop-and-copy' }).record.metrics;
    expect(m.guest_lost_s).toBeCloseTo(m.downtime_ms / 1e3, 12);
    expect(m.guest_slowdown_pct).toBeCloseTo(100, 9);
    for (const k of ['postcopy_blocktime_ms', 'throttle_lost_s', 'cpu_throttle_percentage', 'tracking_lost_s']) expect(m[k]).toBeUndefined();
  });

  it('dirty tracking costs writes x cost: a sequential writer at r writes/s, logged from set-up to the stop', () => {
    const r = 1000;
    const cost = 5e-6;
    const vm = { working_set: [{ name: 'hot', size: '8MiB', rate: `${r} pages/s`, pattern: 'sequential' }], dirty_tracking_cost: '5us' };
    const m = migrate({ policy: 'precopy', vm, options: { setup: '50ms' } }).record.metrics;
    // Logging runs from the set-up sync (50 ms) until the VM stops (total - downtime): r writes/s meanwhile.
    const logged = (m.total_time_ms - m.downtime_ms) / 1e3 - 0.05;
    expect(m.tracking_lost_s / cost).toBeGreaterThanOrEqual(Math.floor(r * logged) - 1);
    expect(m.tracking_lost_s / cost).toBeLessThanOrEqual(r * logged + 1e-6);
    expect(m.guest_lost_s).toBeCloseTo(m.downtime_ms / 1e3 + m.tracking_lost_s, 12);
    // Without a declared cost, tracking applies but is free; post-copy and stop-and-copy never log.
    expect(migrate({ policy: 'precopy', vm: { working_set: vm.working_set } }).record.metrics.tracking_lost_s).toBe(0);
    expect(migrate({ policy: 'postcopy', vm }).record.metrics.tracking_lost_s).toBeUndefined();
  });

  it('a fault stall is its round trip plus its queueing: a page that goes with 4 pre-paged neighbours waits for all 5', () => {
    const events: TraceEvent[] = [];
    const vm = { working_set: [{ name: 'hot', size: '16MiB', rate: '2000 pages/s' }] };
    const { record } = migrate({ policy: 'postcopy', vm, options: { prepage_pages: 4, background_follows_faults: false }, trace: (e) => events.push(e) });
    // Request one way (latency + 16 B), the page and its neighbours back in one message ahead of the
    // stream (5 * 4104 B) + latency.
    const full = 2 * L + ((16 + 5 * WIRE) * 8) / B;
    const waits = events.filter((e) => e.type === 'fault-served').map((e) => e.waited_s as number);
    for (const w of waits) expect(w).toBeLessThanOrEqual(full + 1e-9);
    expect(waits.filter((w) => Math.abs(w - full) < 1e-9).length).toBeGreaterThan(0.5 * waits.length);
    expect(record.metrics.postcopy_blocktime_ms).toBeCloseTo(ms(waits.reduce((a, b) => a + b, 0)), 6);
  });
});

describe('guest cost: pinned scenarios', () => {
  it('post-copy of a 4 MiB VM whose guest writes pages 1000, 900, 800: hand calculation', () => {
    // 4 MiB = 1024 pages, none zero; 100 Mbit/s, 10 ms; no device state; the stream in address
    // order (background_follows_faults off), so the three pages are far ahead of it (1024 pages take
    // 1024 * 4104 * 8 / 1e8 = 336.2 ms) and each fault is served by its request:
    //   downtime    = the empty device state's latency                       = 10 ms
    //   one stall   = 10 ms (request) + 16*8/1e8 + 4104*8/1e8 + 10 ms (page)  = 20.3296 ms
    //   blocktime   = 3 stalls                                               = 60.9888 ms
    //   total time  = 10 ms + 1024 * 4104 * 8 / 1e8 s + 10 ms                = 356.19968 ms
    //     (the link never idles: requested pages leave the stream, their bytes do not add)
    //   guest_lost  = 0.010 + 0.0609888                                      = 0.0709888 s
    //   slowdown    = 0.0709888 / 0.35619968 * 100                           = 19.92951 %
    const writes = [{ at: '10ms', page: 1000 }, { at: '20ms', page: 900 }, { at: '30ms', page: 800 }];
    const m = migrate({
      policy: 'postcopy',
      link: { bandwidth: '100Mbit/s', latency: '10ms' },
      vm: { memory: '4MiB', zero: '0%', working_set: [{ name: 'trace', writes }] },
      options: { background_follows_faults: false },
    }).record.metrics;
    expect(m.postcopy_faults).toBe(3);
    expect(m.downtime_ms).toBeCloseTo(10, 9);
    expect(m.postcopy_blocktime_ms).toBeCloseTo(60.9888, 9);
    expect(m.total_time_ms).toBeCloseTo(356.19968, 9);
    expect(m.guest_lost_s).toBeCloseTo(0.0709888, 12);
    expect(m.guest_slowdown_pct).toBeCloseTo(19.92951, 4);
    expect(m.throttle_lost_s).toBeUndefined();
    expect(m.tracking_lost_s).toBeUndefined();
  });

  it('auto-converge on a hot guest: the throttle steps 20%, 30%, ... and loses its integral; writes fall with it', () => {
    // A 32 MiB sequential writer at 4000 writes/s outpaces a 100 Mbit/s link (3046 pages/s): QEMU's
    // check (every >= 1 s, at a sync) finds dirtied > 50% of sent each period, so every second
    // such period steps the throttle: 20% first, then +10%. The lost work is the sum over the
    // steps of p_i * (t_{i+1} - t_i), the last one up to the stop; the writer's writes while the
    // log is on are r * (logged time - throttle lost), each costing 1 us.
    const events: TraceEvent[] = [];
    const r = 4000;
    const vm = { working_set: [{ name: 'hot', size: '32MiB', rate: `${r} pages/s`, pattern: 'sequential' }], dirty_tracking_cost: '1us' };
    const m = migrate({ policy: 'precopy', vm, options: { auto_converge: true }, trace: (e) => events.push(e) }).record.metrics;
    expect(m.converged).toBe(1);
    const settings = events.filter((e) => e.type === 'throttle').map((e) => ({ t: e.t, fraction: e.fraction as number }));
    const stop = (m.total_time_ms - m.downtime_ms) / 1e3;
    // Switched on at 0% at the set-up sync, then 20, 30, ... percent, and back to 0 when the vCPUs stop.
    expect(settings.at(-1)!.fraction).toBe(0);
    expect(settings.at(-1)!.t).toBeCloseTo(stop, 9);
    const steps = settings.slice(0, -1);
    expect(steps[0]).toEqual({ t: 0, fraction: 0 });
    expect(steps.slice(1).map((s) => Math.round(s.fraction * 100))).toEqual(steps.slice(1).map((_, k) => Math.min(20 + 10 * k, 99)));
    expect(steps.length).toBeGreaterThan(2);
    let lost = 0;
    for (let k = 0; k < steps.length; k++) lost += steps[k].fraction * ((k + 1 < steps.length ? steps[k + 1].t : stop) - steps[k].t);
    expect(m.throttle_lost_s).toBeCloseTo(lost, 9);
    expect(m.cpu_throttle_percentage).toBeCloseTo(steps.at(-1)!.fraction * 100, 9);
    const writes = r * (stop - m.throttle_lost_s);
    expect(m.tracking_lost_s / 1e-6).toBeGreaterThanOrEqual(Math.floor(writes) - 1);
    expect(m.tracking_lost_s / 1e-6).toBeLessThanOrEqual(writes + 1e-6);
    expect(m.guest_lost_s).toBeCloseTo(m.downtime_ms / 1e3 + m.throttle_lost_s + m.tracking_lost_s, 9);
    expect(m.postcopy_blocktime_ms).toBeUndefined();
  });
});

describe("guest cost: a VDI session's migrations", () => {
  it('sums downtime, throttle and dirty tracking over the session; launching logs nothing', () => {
    const m = runEdge('vdi', ['vm.dirty_tracking_cost=2us', 'options.auto_converge=true'], 'vdi-migrate').metrics;
    expect(m.tracking_lost_s).toBeGreaterThan(0);
    expect(m.throttle_lost_s).toBeGreaterThanOrEqual(0);
    expect(m.postcopy_blocktime_ms).toBeUndefined();
    const session = m.guest_lost_s / (m.guest_slowdown_pct / 100);
    expect(m.guest_lost_s).toBeCloseTo(m.downtime_ms / 1e3 + m.throttle_lost_s + m.tracking_lost_s, 9);
    expect(session).toBeGreaterThan(0);
    const launch = runEdge('vdi', [], 'vdi-launch').metrics;
    expect(launch.tracking_lost_s).toBeUndefined();
    expect(launch.throttle_lost_s).toBeUndefined();
    expect(launch.guest_lost_s).toBeCloseTo(launch.downtime_ms / 1e3, 9);
  });
});
