// Migration benchmarks (issue 4):
//   precopy_16GiB        QEMU pre-copy of a 16 GiB VM (4 Mi pages) with a 1 GiB hot set over
//                        10 Gbit/s, max-bandwidth at link speed, until switch-over, as the CLI runs
//                        it (scenario, recorder, tables);
//   stop_and_copy_x1000  1000 concurrent stop-and-copy migrations of 16 MiB VMs sharing one
//                        10 Gbit/s link (4 Mi pages in all); analytic total 1000 M 8 / B + L.
// Target: each under 1 s of wall time. Memory is reported as typed-array bytes per page (the model's
// state lives in typed arrays: bytes per page, no object per page) and as heap bytes per page.
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { buildScenario } from '../../scenarios/build.js';
import { validateScenario } from '../../scenarios/load.js';
import { precopy } from '../../policies/migration/precopy.js';
import { stopAndCopy } from '../../policies/migration/stop-and-copy.js';
import { runOne } from '../../sim/run.js';
import { migrationContext } from '../../sim/kinds/migration/page-context.js';
import { World, PageStore, Vm, LINK_DEFAULTS, MiB } from '../../sim/world/index.js';
import { peakRss } from './hold-params.js';
import type { Bench } from './registry.js';

export const TARGET_WALL_S = 1;

// A full collection before each snapshot, so garbage of earlier benches does not blur the figures.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

function memory(): { arrayBuffers: number; heapUsed: number } {
  collect();
  const m = process.memoryUsage();
  return { arrayBuffers: m.arrayBuffers, heapUsed: m.heapUsed };
}

function precopy16(): Record<string, number> {
  const scenario = validateScenario(
    {
      kind: 'migration',
      name: 'bench-precopy',
      policy: 'precopy',
      options: { rules: 'qemu', max_bandwidth: '10Gbit/s' },
      link: { bandwidth: '10Gbit/s', latency: '0.1ms' },
      vm: { memory: '16GiB', zero: '20%', working_set: [{ name: 'hot', size: '1GiB', rate: '50000 pages/s' }] },
    },
    'bench',
  );
  const before = memory();
  const t0 = performance.now();
  const { world, setup } = buildScenario(scenario, 1);
  const record = runOne({ scenario: 'bench', world, setup, policy: precopy, options: precopy.options.parse(scenario.options), seed: 1, trial: 0 });
  const wall_s = (performance.now() - t0) / 1000;
  const after = memory();
  const pages = world.vm('vm').memory.count;
  const m = record.metrics;
  return {
    wall_s,
    pages,
    converged: m.converged,
    sim_s: m.total_time_ms / 1e3,
    downtime_ms: m.downtime_ms,
    dirty_sync_count: m.dirty_sync_count,
    array_bytes_per_page: (after.arrayBuffers - before.arrayBuffers) / pages,
    heap_bytes_per_page: (after.heapUsed - before.heapUsed) / pages,
    events: m.events,
    peak_rss_bytes: peakRss(),
  };
}

function stopAndCopy1000(): Record<string, number> {
  const VMS = 1000;
  const PAGES = (16 * MiB) / 4096;
  const B = 10e9;
  const L = 0.0001;
  const before = memory();
  const t0 = performance.now();
  const world = new World(1);
  const host = { cores: 1, compress_Bps: 1, decompress_Bps: 1, hash_Bps: 1, disk_read_Bps: 1, disk_write_Bps: 1, cache_bytes: 0 };
  world.addHost({ name: 'source', ...host });
  world.addHost({ name: 'destination', ...host });
  world.addLink({ name: 'link', a: 'source', b: 'destination', bandwidth_bps: B, latency_s: L, schedule: [], ...LINK_DEFAULTS });
  const plans = [];
  for (let v = 0; v < VMS; v++) {
    const mem = new PageStore(`vm${v}:memory`, PAGES, 4096);
    for (let i = 0; i < PAGES; i++) mem.content[i] = mem.ids.fresh();
    mem.fill('source');
    const vm = world.addVm(new Vm(`vm${v}`, mem, null, null, 'source', world.sim, world.observe));
    vm.start();
    plans.push(world.sim.process(stopAndCopy.plan(migrationContext(world, { kind: 'migration', vm: vm.name, from: 'source', to: 'destination' }), stopAndCopy.options.parse({}))));
  }
  world.run();
  const wall_s = (performance.now() - t0) / 1000;
  const after = memory();
  if (plans.some((p) => p.state !== 'processed' || !p.ok)) throw new Error('a stop-and-copy plan did not finish');
  const analytic = (VMS * PAGES * 4104 * 8) / B + L;
  const moved = [...world.vms.values()].every((vm) => vm.site === 'destination' && vm.memory.countPresent('destination') === PAGES);
  return {
    wall_s,
    pages: VMS * PAGES,
    sim_s: world.now,
    analytic_s: analytic,
    rel_error: Math.abs(world.now - analytic) / analytic,
    all_moved: moved ? 1 : 0,
    array_bytes_per_page: (after.arrayBuffers - before.arrayBuffers) / (VMS * PAGES),
    heap_bytes_per_page: (after.heapUsed - before.heapUsed) / (VMS * PAGES),
    events: world.sim.processed,
    peak_rss_bytes: peakRss(),
  };
}

export const precopyBench: Bench = { name: 'precopy_16GiB', run: precopy16 };
export const stopAndCopyBench: Bench = { name: 'stop_and_copy_x1000', run: stopAndCopy1000 };
