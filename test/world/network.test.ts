import { describe, expect, test } from 'vitest';
import { twoSites } from '../helpers/world.js';
import type { Transfer } from '../../sim/world/index.js';

const MB = 1e6;

describe('link analytics (fluid model)', () => {
  test('one transfer of S bytes over B bit/s with latency L takes S*8/B + L', () => {
    for (const [S, B, L] of [[1 * MB, 8e6, 0.01], [41 * MB, 1e5, 0.05], [256 * 1024, 1e8, 0]] as const) {
      const w = twoSites({ bandwidth_bps: B, latency_s: L });
      const t = w.send('A', 'B', S);
      w.run();
      expect(t.doneAt).toBeCloseTo((S * 8) / B + L, 9);
      expect(t.drainedAt).toBeCloseTo((S * 8) / B, 9);
    }
  });

  test('two equal transfers started together each get half the bandwidth', () => {
    const w = twoSites({ bandwidth_bps: 8e6, latency_s: 0 });
    const a = w.send('A', 'B', MB);
    const b = w.send('A', 'B', MB);
    w.run(0.1);
    expect(a.rate_bps).toBeCloseTo(4e6, 6);
    expect(b.rate_bps).toBeCloseTo(4e6, 6);
    w.run();
    expect(a.doneAt).toBeCloseTo(2, 9);
    expect(b.doneAt).toBeCloseTo(2, 9);
  });

  test('when one of two transfers ends, the other speeds up (piecewise answer)', () => {
    const w = twoSites({ bandwidth_bps: 8e6, latency_s: 0 });
    const small = w.send('A', 'B', 0.5 * MB);
    const big = w.send('A', 'B', 1.5 * MB);
    w.run();
    // Both at 0.5 MB/s until the small one ends at 1 s; then 1 MB left at 1 MB/s.
    expect(small.doneAt).toBeCloseTo(1, 9);
    expect(big.doneAt).toBeCloseTo(2, 9);
  });

  test('a capped transfer leaves the rest of the bandwidth to the other', () => {
    const w = twoSites({ bandwidth_bps: 8e6, latency_s: 0 });
    const capped = w.send('A', 'B', MB, { cap_bps: 2e6 });
    const free = w.send('A', 'B', 3 * MB);
    w.run(0.5);
    expect(capped.rate_bps).toBeCloseTo(2e6, 6);
    expect(free.rate_bps).toBeCloseTo(6e6, 6);
    w.run();
    // capped: 1 MB at 0.25 MB/s = 4 s. free: 0.75 MB/s for 4 s = 3 MB: also done at 4 s.
    expect(capped.doneAt).toBeCloseTo(4, 9);
    expect(free.doneAt).toBeCloseTo(4, 9);
  });

  test('a window-limited transfer runs at window/RTT', () => {
    const w = twoSites({ bandwidth_bps: 1e9, latency_s: 0.05 });
    const t = w.send('A', 'B', 6.4 * MB, { window_bytes: 64e3 });
    w.run();
    // cap = 64 kB / 0.1 s = 640 kB/s: 10 s to drain, plus one latency.
    expect(t.doneAt).toBeCloseTo(10.05, 9);
  });

  test('a bandwidth change mid-transfer gives the piecewise answer', () => {
    const w = twoSites({ bandwidth_bps: 8e6, latency_s: 0.02, schedule: [{ at_s: 1, bandwidth_bps: 2e6 }] });
    const t = w.send('A', 'B', 2 * MB);
    w.run();
    // 1 MB in the first second at 1 MB/s, then 1 MB at 0.25 MB/s = 4 s, then latency.
    expect(t.doneAt).toBeCloseTo(5.02, 9);
  });

  test('directions are independent (full duplex)', () => {
    const w = twoSites({ bandwidth_bps: 8e6, latency_s: 0 });
    const ab = w.send('A', 'B', MB);
    const ba = w.send('B', 'A', MB);
    w.run();
    expect(ab.doneAt).toBeCloseTo(1, 9);
    expect(ba.doneAt).toBeCloseTo(1, 9);
  });

  test('loss and per-packet overhead inflate wire bytes and time', () => {
    const w = twoSites({ bandwidth_bps: 8e6, latency_s: 0, loss: 0.2, packet_overhead_bytes: 40, mss_bytes: 1460 });
    const t = w.send('A', 'B', 1460 * 1000);
    w.run();
    const wire = (1460 * 1000 + 1000 * 40) / 0.8;
    expect(t.wireBytes).toBeCloseTo(wire, 6);
    expect(t.doneAt).toBeCloseTo((wire * 8) / 8e6, 9);
  });

  test('jitter draws latency within latency ± jitter from the seeded link stream', () => {
    const times = (seed: number): number[] => {
      const w = twoSites({ bandwidth_bps: 8e9, latency_s: 0.02, jitter_s: 0.005 }, seed);
      const ts: Transfer[] = [];
      for (let i = 0; i < 20; i++) ts.push(w.send('A', 'B', 1));
      w.run();
      return ts.map((t) => t.latency_s);
    };
    const a = times(7);
    for (const l of a) expect(Math.abs(l - 0.02)).toBeLessThanOrEqual(0.005 + 1e-12);
    expect(times(7)).toEqual(a);
    expect(times(8)).not.toEqual(a);
  });

  test('bytes are conserved: every started transfer delivers exactly its bytes once', () => {
    const w = twoSites({ bandwidth_bps: 1e7, latency_s: 0.003 });
    let delivered = 0;
    let started = 0;
    w.observe.on((e) => {
      if (e.type === 'transfer-start') started += e.bytes;
      if (e.type === 'transfer-end' && !e.cancelled) delivered += e.bytes;
    });
    const rng = w.random.stream('test');
    w.sim.process(
      (function* () {
        for (let i = 0; i < 200; i++) {
          w.send(rng() < 0.5 ? 'A' : 'B', rng() < 0.5 ? 'A' : 'B', Math.floor(rng() * 1e6));
          yield rng() * 0.2;
        }
      })(),
    );
    w.run();
    expect(w.network.activeFlows).toBe(0);
    expect(delivered).toBe(started);
    expect(started).toBeGreaterThan(0);
  });

  test('a storage fetch costs RTT + server overhead + response through the server limit', () => {
    const w = twoSites({ bandwidth_bps: 1e8, latency_s: 0.01 });
    const server = w.addServer({ name: 's', site: 'B', request_overhead_s: 0.005, throughput_Bps: 2e6 });
    const ev = w.fetch('A', server, 1e6);
    w.run();
    // request: 0 bytes + 10 ms; overhead 5 ms; response limited by the server to 2 MB/s: 0.5 s + 10 ms.
    expect(ev.value!.doneAt).toBeCloseTo(0.01 + 0.005 + 0.5 + 0.01, 9);
  });

  test('a cancelled transfer never completes and frees its share', () => {
    const w = twoSites({ bandwidth_bps: 8e6, latency_s: 0 });
    const a = w.send('A', 'B', 10 * MB);
    const b = w.send('A', 'B', MB);
    w.sim.schedule(1, () => a.cancel());
    w.run();
    expect(a.done.state).toBe('pending');
    // b: 0.5 MB in the first second, then 0.5 MB at full rate: 0.5 s.
    expect(b.doneAt).toBeCloseTo(1.5, 9);
  });
});
