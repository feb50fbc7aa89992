import { describe, expect, test } from 'vitest';
import { PageStore, WritableWorkingSet, ContentIds, UNIQUE_BASE } from '../../sim/world/index.js';
import { RandomStreams } from '../../sim/engine/index.js';

describe('page store', () => {
  test('writes mark dirty once, give unique content, and takeDirty clears', () => {
    const s = new PageStore('mem', 100, 4096);
    s.write(5);
    s.write(5);
    s.write(7);
    expect(s.dirtyCount).toBe(2);
    expect(s.content[5]).toBeGreaterThanOrEqual(UNIQUE_BASE);
    expect(s.content[5]).not.toBe(s.content[7]);
    expect([...s.takeDirty()]).toEqual([5, 7]);
    expect(s.dirtyCount).toBe(0);
    expect(s.dirty[5]).toBe(0);
  });

  test('presence per site is counted', () => {
    const s = new PageStore('disk', 10, 256 * 1024);
    s.setPresent('B', 3);
    s.setPresent('B', 3);
    expect(s.countPresent('B')).toBe(1);
    s.fill('A');
    expect(s.countPresent('A')).toBe(10);
    s.setPresent('A', 0, false);
    expect(s.countPresent('A')).toBe(9);
    expect(s.isPresent('B', 3)).toBe(true);
    expect(s.isPresent('B', 4)).toBe(false);
  });

  test('compressed bytes follow per-class ratios', () => {
    const s = new PageStore('mem', 4, 1000, [{ name: 'text', compress_ratio: 0.5 }, { name: 'random', compress_ratio: 1 }]);
    s.klass.set([0, 0, 1, 1]);
    expect(s.compressedBytes()).toBe(3000);
    expect(s.compressedBytes(Uint32Array.of(0, 1))).toBe(1000);
  });
});

describe('content ids and presence', () => {
  test('writes give fresh content ids that never collide with existing unique content', () => {
    const ids = new ContentIds();
    const s = new PageStore('mem', 4, 4096, undefined, ids);
    s.content[0] = ids.fresh();
    s.write(1);
    expect(s.content[0]).toBeGreaterThanOrEqual(UNIQUE_BASE);
    expect(s.content[1]).not.toBe(s.content[0]);
  });

  test('a write makes the copy at the watched site stale; arrivals are announced', () => {
    const s = new PageStore('mem', 4, 4096);
    const arrived: number[] = [];
    s.onArrival('dst', (u) => arrived.push(u));
    s.setPresent('dst', 1);
    s.setPresent('dst', 2);
    s.setPresent('dst', 2);
    expect(arrived).toEqual([1, 2]);
    s.invalidateOnWrite('dst');
    s.write(2);
    s.write(3);
    expect(s.countPresent('dst')).toBe(1);
    expect(s.isPresent('dst', 2)).toBe(false);
    s.invalidateOnWrite(null);
    s.write(1);
    expect(s.countPresent('dst')).toBe(1);
  });
});

describe('writable working set', () => {
  test('distinct pages dirtied saturate as W(1 - exp(-r t / W))', () => {
    const W = 20000;
    const r = 10000; // writes per second
    for (const t of [0.5, 2, 6]) {
      let total = 0;
      const trials = 20;
      for (let k = 0; k < trials; k++) {
        const s = new PageStore('mem', W, 4096);
        const wss = new WritableWorkingSet(s, [{ name: 'hot', pages: W, rate_pages_s: r }], new RandomStreams(k).stream('wss'));
        wss.advanceTo(t);
        total += s.dirtyCount;
      }
      const expected = W * (1 - Math.exp((-r * t) / W));
      expect(total / trials / expected).toBeGreaterThan(0.99);
      expect(total / trials / expected).toBeLessThan(1.01);
    }
  });

  test('groups dirty only their own pages, and a throttle slows writing in proportion', () => {
    const s = new PageStore('mem', 1000, 4096);
    const wss = new WritableWorkingSet(s, [
      { name: 'hot', pages: 100, rate_pages_s: 1000 },
      { name: 'cold', pages: 900, rate_pages_s: 0 },
    ], new RandomStreams(1).stream('wss'));
    wss.advanceTo(10);
    const d = s.takeDirty();
    expect(d.length).toBeGreaterThan(95);
    expect(Math.max(...d)).toBeLessThan(100);

    const big = new PageStore('mem', 1_000_000, 4096);
    const a = new WritableWorkingSet(big, [{ name: 'all', pages: 1_000_000, rate_pages_s: 1000 }], new RandomStreams(2).stream('w'));
    a.setThrottle(0.5, 0);
    a.advanceTo(100);
    // 100 s at half of 1000 writes/s over 1e6 pages: ~ 1e6 (1 - e^-0.05) = 48771 distinct.
    expect(big.dirtyCount / 48771).toBeGreaterThan(0.98);
    expect(big.dirtyCount / 48771).toBeLessThan(1.02);
  });

  test('a paused workload writes nothing', () => {
    const s = new PageStore('mem', 1000, 4096);
    const wss = new WritableWorkingSet(s, [{ name: 'hot', pages: 1000, rate_pages_s: 1000 }], new RandomStreams(1).stream('w'));
    wss.pause(0);
    wss.advanceTo(100);
    expect(s.dirtyCount).toBe(0);
    wss.unpause(100);
    wss.advanceTo(101);
    expect(s.dirtyCount).toBeGreaterThan(500);
  });
});
