import { expect, test } from 'vitest';
import { Vm, PageStore, WritableWorkingSet } from '../../sim/world/index.js';
import { ModelError } from '../../sim/errors.js';
import { twoSites } from '../helpers/world.js';

function vm() {
  const w = twoSites();
  const mem = new PageStore('mem', 1000, 4096);
  const wss = new WritableWorkingSet(mem, [{ name: 'hot', pages: 1000, rate_pages_s: 100 }], w.random.stream('wss'));
  const v = w.addVm(new Vm('desk', mem, null, wss, 'A', w.sim, w.observe));
  return { w, v, mem };
}

test('the VM state machine allows the life cycle and records every move', () => {
  const { w, v } = vm();
  const log: string[] = [];
  w.observe.on((e) => e.type === 'vm-state' && log.push(`${e.from}->${e.to}@${e.site}`));
  v.start();
  v.suspend();
  v.depart();
  v.resume('B');
  v.destroy();
  expect(log).toEqual(['created->running@A', 'running->suspended@A', 'suspended->in-transit@A', 'in-transit->running@B', 'running->destroyed@B']);
});

test('impossible transitions are model errors naming VM, state and operation', () => {
  const { v } = vm();
  expect(() => v.resume('B')).toThrow(ModelError);
  expect(() => v.resume('B')).toThrow('VM "desk" cannot resume while created');
  v.start();
  expect(() => v.start()).toThrow('cannot start while running');
  v.destroy();
  expect(() => v.suspend()).toThrow('cannot suspend while destroyed');
});

test('a suspended VM does not dirty memory', () => {
  const { w, v, mem } = vm();
  v.start();
  w.sim.schedule(1, () => v.suspend());
  w.sim.schedule(100, () => v.workload!.advanceTo(w.now));
  w.run();
  // 1 s at 100 writes/s over 1000 pages: about 95 pages, never thousands.
  expect(mem.dirtyCount).toBeGreaterThan(60);
  expect(mem.dirtyCount).toBeLessThan(130);
});
