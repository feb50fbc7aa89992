// ISR scenario -> World: client sites A (suspend) and B (resume), the storage server's site S, an
// optional jukebox site J on B's LAN; the VM's disk as chunks whose content ids say which still
// hold the base install (what the DVD and jukebox carry); the seeded benchmark.
import { World, Vm, PageStore, UNIQUE_BASE, generateDesktop } from '../../world/index.js';
import { addLink, hostSpec, engineLimits } from '../shared/build.js';
import type { IsrSetup } from './context.js';
import { localWritesBy } from './driver.js';
import type { IsrScenarioT } from './schema.js';

export const SITES = { suspend: 'A', resume: 'B', server: 'S', jukebox: 'J' } as const;

export function buildIsr(s: IsrScenarioT, seed: number): { world: World; setup: IsrSetup } {
  const world = new World(seed, engineLimits(s.limits));
  const { suspend: A, resume: B, server: S } = SITES;
  world.addHost(hostSpec(A, s.client));
  world.addHost(hostSpec(B, s.client));
  world.addHost(hostSpec(S, s.client));
  addLink(world, 'wan-A', A, S, s.link);
  addLink(world, 'wan-B', B, S, s.link);
  world.addServer({ name: 'fileserver', site: S, request_overhead_s: s.server.request_overhead, throughput_Bps: s.server.throughput });

  const chunks = Math.ceil(s.vm.disk / s.vm.chunk);
  const rng = world.random.stream('isr:workload');
  const w = s.workload;
  const toChunks = (b: number): number => Math.round(b / s.vm.chunk);
  const workload = generateDesktop(
    {
      operations: w.operations,
      applications: w.applications,
      quick_share: w.quick_share,
      think_s: w.think,
      quick_think_s: w.quick_think,
      local_duration_s: w.local_duration,
      footprint: toChunks(w.footprint),
      background_share: w.background_share,
      launch_share: w.launch_share,
      written: toChunks(w.written),
      disk_chunks: chunks,
    },
    rng,
  );

  // Content: every chunk starts as the base install (id i+1); the part of the footprint that the
  // user has customised, and what was dirtied at the suspend site, is unique.
  const disk = new PageStore(`${s.vm.name}:disk`, chunks, s.vm.chunk);
  for (let i = 0; i < chunks; i++) disk.content[i] = i + 1;
  const contentRng = world.random.stream('isr:content');
  for (const c of workload.footprint) if (contentRng() >= w.base_share) disk.content[c] = UNIQUE_BASE + c;
  // The session at the suspend site ran the same benchmark up to suspend_at of its local run: the
  // chunks it wrote by then are the disk part of the dirty state written back at suspend.
  const dirty = localWritesBy(workload, w.suspend_at);
  for (const c of dirty) disk.content[c] = UNIQUE_BASE + c;

  const memory = new PageStore(`${s.vm.name}:memory`, Math.ceil(s.vm.memory / 4096), 4096);
  world.addVm(new Vm(s.vm.name, memory, disk, null, A, world.sim, world.observe));

  addDevices(world, s, chunks);

  return {
    world,
    setup: {
      kind: 'isr',
      vm: s.vm.name,
      suspendSite: A,
      resumeSite: B,
      server: 'fileserver',
      jukebox: s.devices.jukebox ? 'jukebox' : undefined,
      image_bytes: s.vm.image,
      memory_bytes: s.vm.memory,
      chunk_wire_ratio: s.vm.chunk_wire_ratio,
      protocol: { window_bytes: s.protocol.window, rto_s: s.protocol.rto },
      workload,
      suspend_dirty: dirty,
      travel_s: s.travel,
      resume_cache: s.resume_cache,
      vmm_resume_s: s.vm.vmm_resume,
    },
  };
}

/** The lookaside devices: the dongle the user carries, the DVD and the jukebox with the base install. */
function addDevices(world: World, s: IsrScenarioT, chunks: number): void {
  const { jukebox: J, resume: B } = SITES;
  const d = s.devices;
  if (d.dongle) world.addDevice({ name: 'dongle', kind: 'dongle', read_Bps: d.dongle.read, write_Bps: d.dongle.write, access_s: d.dongle.access });
  if (d.dvd) {
    const dvd = world.addDevice({ name: 'dvd', kind: 'dvd', read_Bps: d.dvd.read, write_Bps: d.dvd.write, access_s: d.dvd.access });
    dvd.addRange(1, chunks);
  }
  if (d.jukebox) {
    world.addHost(hostSpec(J, s.client));
    addLink(world, 'lan-J', B, J, d.jukebox.link);
    world.addServer({ name: 'jukebox', site: J, request_overhead_s: d.jukebox.request_overhead, throughput_Bps: d.jukebox.throughput });
    // Its content index: the same base install as the DVD.
    const index = world.addDevice({ name: 'jukebox', kind: 'jukebox', read_Bps: d.jukebox.throughput, write_Bps: 0, access_s: d.jukebox.request_overhead });
    index.addRange(1, chunks);
  }
}
