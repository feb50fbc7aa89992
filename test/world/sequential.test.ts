// The sequential access pattern: one writer cycling through its group in address order. Analytic:
// in t seconds at r writes/s it dirties exactly min(W, floor(r t)) distinct pages, the ones its
// cursor passed; and after a resume it faults in address order from where its cursor stood.
import { describe, expect, test } from 'vitest';
import { FaultStream, PageStore, RateStep, Vm, WritableWorkingSet, type WorldEvent } from '../../sim/world/index.js';
import { RandomStreams } from '../../sim/engine/index.js';
import { twoSites } from '../helpers/world.js';

const rng = () => new RandomStreams(1).stream('w');
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, k) => a + k);

function seq(W: number, r: number, over: { start?: number; cursor?: number; schedule?: RateStep[] } = {}, memory = 10_000) {
  const store = new PageStore('mem', memory, 4096);
  const wss = new WritableWorkingSet(store, [{ name: 's', pages: W, rate_pages_s: r, pattern: 'sequential', ...over }], rng());
  return { store, wss };
}

describe('a sequential group of W pages written at r pages/s', () => {
  test.each([
    [1000, 3000, 0.1],
    [1000, 3000, 0.3333],
    [4096, 2000, 1.5],
    [4096, 40_000, 0.05],
    [4096, 40_000, 1],
  ])('W = %i, r = %i: t = %f s dirties exactly min(W, floor(r t)) distinct pages', (W, r, t) => {
    const { store, wss } = seq(W, r);
    wss.advanceTo(t);
    expect(store.dirtyCount).toBe(Math.min(W, Math.floor(r * t + 1e-9)));
  });

  test('the pages are the ones the cursor passed, in address order from the group start and cursor', () => {
    const { store, wss } = seq(100, 1000, { start: 500, cursor: 90 });
    wss.advanceTo(0.015); // 15 writes: local pages 90..99, then 0..4
    expect([...store.takeDirty()]).toEqual([...range(590, 600), ...range(500, 505)]);
    wss.advanceTo(0.02); // 5 more: 5..9
    expect([...store.takeDirty()]).toEqual(range(505, 510));
    // Writes in many small steps dirty what one big step would: the count is of writes, not of calls.
    const a = seq(700, 3333);
    for (let k = 1; k <= 1000; k++) a.wss.advanceTo(k * 0.0001);
    expect(a.store.dirtyCount).toBe(Math.floor(3333 * 0.1 + 1e-9));
  });

  test('a pass longer than a cycle dirties the whole group once; the cursor keeps its place', () => {
    const { store, wss } = seq(1000, 3000);
    wss.advanceTo(1); // 3000 writes: three cycles
    expect(store.dirtyCount).toBe(1000);
    store.takeDirty();
    wss.advanceTo(1.0004); // write 3000 (at 3001 / 3000 s) goes to local page 0 again
    expect([...store.takeDirty()]).toEqual([0]);
  });

  test('against a random group of the same size and rate: min(W, r t) against W (1 - exp(-r t / W))', () => {
    const W = 8192;
    const r = 8192;
    const { store, wss } = seq(W, r, {}, W);
    wss.advanceTo(1);
    expect(store.dirtyCount).toBe(W); // r t = W: every page
    const randomStore = new PageStore('mem', W, 4096);
    new WritableWorkingSet(randomStore, [{ name: 'u', pages: W, rate_pages_s: r }], rng()).advanceTo(1);
    expect(randomStore.dirtyCount / W).toBeGreaterThan(0.62);
    expect(randomStore.dirtyCount / W).toBeLessThan(0.645); // 1 - 1/e = 0.632
  });

  test('schedules and throttles: writes follow the integral of the rate over guest time', () => {
    const { store, wss } = seq(5000, 1000, { schedule: [{ at_s: 1, rate_pages_s: 3000 }] });
    wss.advanceTo(2);
    expect(store.dirtyCount).toBe(1000 + 3000);
    expect(wss.timeOfWrite(0, 999)).toBeCloseTo(1, 9); // the 1000th write at 1 s
    expect(wss.timeOfWrite(0, 3999)).toBeCloseTo(2, 9);
    store.takeDirty();
    wss.setThrottle(0.5, 2);
    wss.advanceTo(3); // half a guest second at 3000/s
    expect(store.dirtyCount).toBe(1500);
  });
});

describe('post-copy faults of a sequential writer', () => {
  test('fault in address order from the cursor; the writer waits out each fetch and does not catch up', () => {
    const W = 1000;
    const r = 1000;
    const D = 0.05;
    const w = twoSites();
    const mem = new PageStore('vm:memory', 2 * W, 4096);
    const wss = new WritableWorkingSet(mem, [{ name: 's', pages: W, rate_pages_s: r, pattern: 'sequential', start: W, cursor: 400 }], w.random.stream('writes'));
    const vm = w.addVm(new Vm('vm', mem, null, wss, 'B', w.sim, w.observe));
    vm.start();
    // Present at B: everything but every tenth page of the group.
    for (let i = 0; i < 2 * W; i++) if (!(i >= W && (i - W) % 10 === 0)) mem.setPresent('B', i);
    const faults = new FaultStream(w.sim, w.observe, vm, 'B', w.random.stream('faults'));
    const seen: Array<{ t: number; page: number }> = [];
    w.sim.process(
      (function* () {
        for (;;) {
          const page: number = yield faults.next();
          seen.push({ t: w.now, page });
          yield D;
          mem.setPresent('B', page);
        }
      })(),
    );
    const events: WorldEvent[] = [];
    w.observe.on((e) => e.type === 'fault-served' && events.push(e));
    w.run(10); // 1 s of writing and 100 fetches of 50 ms
    // Write k (0-based) goes to local page (400 + k) mod W at (k + 1) / r of unblocked time.
    const expected = [...range(400, 1000), ...range(0, 400)].filter((p) => p % 10 === 0).map((p) => W + p);
    expect(seen.map((s) => s.page)).toEqual(expected);
    seen.forEach((s, j) => {
      const k = (s.page - W - 400 + W) % W; // write index of this page
      expect(s.t).toBeCloseTo((k + 1) / r + j * D, 9);
    });
    expect(events.every((e) => Math.abs((e as { waited_s: number }).waited_s - D) < 1e-12)).toBe(true);
    expect(faults.complete.state).not.toBe('pending');
  });

  test('a page that arrives before the writer reaches it never faults', () => {
    const w = twoSites();
    const mem = new PageStore('vm:memory', 100, 4096);
    const wss = new WritableWorkingSet(mem, [{ name: 's', pages: 100, rate_pages_s: 100, pattern: 'sequential' }], w.random.stream('writes'));
    const vm = w.addVm(new Vm('vm', mem, null, wss, 'B', w.sim, w.observe));
    vm.start();
    for (let i = 0; i < 100; i++) if (i !== 50 && i !== 80) mem.setPresent('B', i);
    const faults = new FaultStream(w.sim, w.observe, vm, 'B', w.random.stream('faults'));
    w.sim.schedule(0.3, () => mem.setPresent('B', 50)); // the writer reaches 50 at 0.51 s
    const seen: number[] = [];
    w.sim.process(
      (function* () {
        for (;;) {
          const page: number = yield faults.next();
          seen.push(page);
          expect(w.now).toBeCloseTo(0.81, 9);
          mem.setPresent('B', page);
        }
      })(),
    );
    w.run(5);
    expect(seen).toEqual([80]);
  });
});
