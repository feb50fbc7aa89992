// Runs a live-migration policy: the VM runs at the source, the policy's plan moves it, and the
// run ends when the plan returns. Metrics are named after QEMU's query-migrate fields so a real
// run can be put beside a simulated one.
import type { Event } from '../engine/index.js';
import { allOf, anyOf } from '../engine/index.js';
import { ModelError, messages } from '../errors.js';
import type { MigrationContext, SendHow, TransferPolicy } from '../policy.js';
import type { Recorder } from '../results/recorder.js';
import type { UnitList, World } from '../world/index.js';

export interface MigrationSetup {
  kind: 'migration';
  vm: string;
  from: string;
  to: string;
}

// QEMU precedes every page in the stream with a 64-bit offset|flags word (migration/ram.c,
// save_page_header); a zero page is that word plus one byte.
export const PAGE_HEADER_BYTES = 8;
export const ZERO_PAGE_BYTES = PAGE_HEADER_BYTES + 1;

export function migrationContext(world: World, setup: MigrationSetup): MigrationContext {
  const vm = world.vm(setup.vm);
  const { from, to } = setup;
  const mem = vm.memory;
  return {
    world,
    vm,
    from,
    to,
    get now() {
      return world.now;
    },
    sendPages(units: UnitList, how: SendHow = {}) {
      let bytes = 0;
      const content = mem.content;
      for (let k = 0; k < units.length; k++) bytes += content[units[k]] === 0 ? ZERO_PAGE_BYTES : PAGE_HEADER_BYTES + mem.unitBytes;
      const t = world.send(vm.site, to, bytes, { tag: how.tag ?? 'pages', cap_bps: how.cap_bps });
      t.done.then(() => {
        for (let k = 0; k < units.length; k++) mem.setPresent(to, units[k]);
      });
      return t;
    },
    sendBytes(bytes: number, how: SendHow = {}) {
      return world.send(vm.site, to, bytes, { tag: how.tag ?? 'state', cap_bps: how.cap_bps });
    },
    takeDirty() {
      vm.workload?.advanceTo(world.now);
      return mem.takeDirty();
    },
    suspend() {
      vm.suspend();
    },
    resume() {
      vm.resume(to);
    },
    mark(name: string, value?: number) {
      if (world.observe.active) world.observe.emit({ type: 'mark', t: world.now, name, value });
    },
    timeout: (s: number) => world.sim.timeout(s),
    allOf: (events: readonly Event<unknown>[]) => allOf(world.sim, events),
    anyOf: (events: readonly Event<unknown>[]) => anyOf(world.sim, events),
    random: (name: string) => world.random.stream(`policy:${name}`),
  };
}

export function runMigration(world: World, setup: MigrationSetup, policy: TransferPolicy<'migration'>, options: unknown, rec: Recorder): Record<string, number> {
  const vm = world.vm(setup.vm);
  vm.start();
  const t0 = world.now;
  const plan = world.sim.process(policy.plan(migrationContext(world, setup), options));
  plan.then(() => world.sim.stop());
  world.sim.run();
  if (plan.state !== 'processed') throw new ModelError(messages.deadlock(`policy "${policy.name}"`, world.now));
  if (!plan.ok) throw plan.error as Error;
  return {
    total_time_ms: (world.now - t0) * 1e3,
    downtime_ms: rec.downtime(vm.name) * 1e3,
    transferred_bytes: rec.payloadBytes,
    wire_bytes: rec.wireBytes,
    transfers: rec.transfers,
  };
}
