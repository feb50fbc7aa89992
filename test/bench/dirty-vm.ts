// A 256 MiB VM dirtying pages for 1000 simulated seconds, its dirty set collected every 100 ms as a
// pre-copy loop would: the cost of the memory model, reported as simulated seconds per wall second.
import { performance } from 'node:perf_hooks';
import { World, PageStore, WritableWorkingSet, Vm, MiB } from '../../sim/world/index.js';
import { peakRss } from './hold-params.js';
import type { Bench } from './registry.js';

const SIM_SECONDS = 1000;
const SYNC_S = 0.1;

function once(): Record<string, number> {
  const world = new World(7);
  world.addHost({ name: 'h', cores: 1, compress_Bps: 1, decompress_Bps: 1, hash_Bps: 1, disk_read_Bps: 1, disk_write_Bps: 1, cache_bytes: 0 });
  const mem = new PageStore('mem', (256 * MiB) / 4096, 4096);
  const wss = new WritableWorkingSet(mem, [
    { name: 'hot', pages: (16 * MiB) / 4096, rate_pages_s: 50_000 },
    { name: 'warm', pages: (64 * MiB) / 4096, rate_pages_s: 5_000 },
    { name: 'cold', pages: (176 * MiB) / 4096, rate_pages_s: 50 },
  ], world.random.stream('writes'));
  const vm = world.addVm(new Vm('vm', mem, null, wss, 'h', world.sim, world.observe));
  vm.start();
  let dirtied = 0;
  world.sim.process(
    (function* () {
      while (world.now < SIM_SECONDS) {
        yield SYNC_S;
        wss.advanceTo(world.now);
        dirtied += mem.takeDirty().length;
      }
    })(),
  );
  const t0 = performance.now();
  world.run();
  const wall_s = (performance.now() - t0) / 1000;
  return { wall_s, sim_s_per_wall_s: world.now / wall_s, pages_dirtied: dirtied, events: world.sim.processed };
}

export const dirtyVm: Bench = {
  name: 'dirty_vm_256MiB',
  run: () => {
    once();
    return { ...once(), peak_rss_bytes: peakRss() };
  },
};
