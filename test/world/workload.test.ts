// Analytic checks of the dirtying model beyond uniform groups: Zipf popularity, rate schedules,
// write traces and the guest clock under a CPU throttle.
import { describe, expect, test } from 'vitest';
import { PageStore, WritableWorkingSet, ZipfPopularity } from '../../sim/world/index.js';
import { RandomStreams } from '../../sim/engine/index.js';

const rng = (seed: number) => new RandomStreams(seed).stream('w');

describe('Zipf popularity', () => {
  test('shares sum to one and fall as k^-s', () => {
    const z = new ZipfPopularity(100_000, 1.2);
    let sum = 0;
    for (let k = 1; k <= 100_000; k++) sum += z.share(k);
    expect(sum).toBeCloseTo(1, 5);
    expect(z.share(1) / z.share(10)).toBeCloseTo(10 ** 1.2, 9);
  });

  test('distinct pages dirtied match sum of 1 - exp(-writes share(k)) (within 1%)', () => {
    const W = 50_000;
    const writes = 40_000;
    const z = new ZipfPopularity(W, 0.9);
    let expected = 0;
    for (let k = 1; k <= W; k++) expected += 1 - Math.exp(-writes * z.share(k));
    let total = 0;
    const trials = 10;
    for (let t = 0; t < trials; t++) {
      const s = new PageStore('mem', W, 4096);
      const wss = new WritableWorkingSet(s, [{ name: 'z', pages: W, rate_pages_s: writes, zipf: 0.9 }], rng(t));
      wss.advanceTo(1);
      total += s.dirtyCount;
    }
    expect(total / trials / expected).toBeGreaterThan(0.99);
    expect(total / trials / expected).toBeLessThan(1.01);
  });

  test('samples follow popularity: rank 1 is drawn with its share', () => {
    const z = new ZipfPopularity(1000, 1);
    const r = rng(3);
    let top = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) if (z.sample(r) === 0) top++;
    expect(top / n / z.share(1)).toBeGreaterThan(0.97);
    expect(top / n / z.share(1)).toBeLessThan(1.03);
  });
});

describe('rate schedules, traces and the guest clock', () => {
  test('a schedule stops writing at its step: W(1 - exp(-r t1 / W)) however long after', () => {
    const W = 20_000;
    const s = new PageStore('mem', W, 4096);
    const wss = new WritableWorkingSet(s, [{ name: 'g', pages: W, rate_pages_s: 4000, schedule: [{ at_s: 2, rate_pages_s: 0 }] }], rng(1));
    wss.advanceTo(50);
    const expected = W * (1 - Math.exp((-4000 * 2) / W));
    expect(s.dirtyCount / expected).toBeGreaterThan(0.97);
    expect(s.dirtyCount / expected).toBeLessThan(1.03);
    expect(wss.writesBetween(0, 0, 50)).toBe(8000);
  });

  test('a trace writes exactly its pages at its times, slowed by a throttle', () => {
    const s = new PageStore('mem', 10, 4096);
    const trace = { at_s: Float64Array.of(0.5, 1, 1, 3), page: Uint32Array.of(2, 4, 2, 9) };
    const wss = new WritableWorkingSet(s, [{ name: 't', pages: 0, rate_pages_s: 0, trace }], rng(1));
    wss.advanceTo(0.99);
    expect([...s.takeDirty()]).toEqual([2]);
    wss.advanceTo(1);
    expect([...s.takeDirty()]).toEqual([4, 2]);
    wss.setThrottle(0.5, 1);
    wss.advanceTo(4.9); // guest time 1 + 3.9 * 0.5 = 2.95
    expect(s.dirtyCount).toBe(0);
    wss.advanceTo(5); // guest time 3
    expect([...s.takeDirty()]).toEqual([9]);
    expect(wss.guestTime).toBeCloseTo(3, 12);
  });
});
