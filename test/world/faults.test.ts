// Post-copy faults: accesses to absent pages block the single vCPU stream until the page arrives.
import { expect, test } from 'vitest';
import { PageStore, WritableWorkingSet, Vm, FaultStream, type WorldEvent } from '../../sim/world/index.js';
import { twoSites } from '../helpers/world.js';

function setup(W: number, rate: number) {
  const w = twoSites();
  const mem = new PageStore('vm:memory', W, 4096);
  const wss = new WritableWorkingSet(mem, [{ name: 'all', pages: W, rate_pages_s: rate }], w.random.stream('writes'));
  const vm = w.addVm(new Vm('vm', mem, null, wss, 'B', w.sim, w.observe));
  vm.start();
  return { w, mem, vm };
}

test('faults arrive at the access rate and each blocks for exactly the fetch time', () => {
  const W = 100_000;
  const r = 100;
  const D = 0.01;
  const T = 20;
  const { w, mem, vm } = setup(W, r);
  const events: WorldEvent[] = [];
  w.observe.on((e) => (e.type === 'fault' || e.type === 'fault-served') && events.push(e));
  const faults = new FaultStream(w.sim, w.observe, vm, 'B', w.random.stream('faults'));
  w.sim.process(
    (function* () {
      for (;;) {
        const page: number = yield faults.next();
        yield D;
        mem.setPresent('B', page);
      }
    })(),
  );
  w.run(T);
  const served = events.filter((e) => e.type === 'fault-served');
  // A renewal process: exponential gaps of mean 1/r (absent pages stay ~all of W) plus D blocked.
  const expected = T / (1 / r + D);
  expect(served.length / expected).toBeGreaterThan(0.95);
  expect(served.length / expected).toBeLessThan(1.05);
  for (const e of served) expect((e as { waited_s: number }).waited_s).toBeCloseTo(D, 12);
  expect(events.filter((e) => e.type === 'fault').length - served.length).toBeLessThanOrEqual(1);
});

test('pages already present never fault, and the stream completes when all are present', () => {
  const { w, mem, vm } = setup(100, 1000);
  for (let i = 0; i < 90; i++) mem.setPresent('B', i);
  const faults = new FaultStream(w.sim, w.observe, vm, 'B', w.random.stream('faults'));
  const seen: number[] = [];
  w.sim.process(
    (function* () {
      for (;;) {
        const page: number = yield faults.next();
        seen.push(page);
        mem.setPresent('B', page);
      }
    })(),
  );
  let doneAt = NaN;
  faults.complete.then(() => (doneAt = w.now));
  w.run(100);
  expect(seen.every((p) => p >= 90)).toBe(true);
  expect(new Set(seen).size).toBe(10);
  expect(seen.length).toBe(10);
  expect(Number.isFinite(doneAt)).toBe(true);
});
