// Validated scenario -> World plus the driver's setup (vega-lite's buildModel stage). Content of
// pages is drawn from the run's seed on its own stream, so it never shifts other streams.
import { World, Vm, PageStore, WritableWorkingSet, LINK_DEFAULTS, UNIQUE_BASE, type HostSpec } from '../sim/world/index.js';
import type { Setup } from '../sim/run.js';
import type { HostParams, LinkParams, MigrationScenarioT, Scenario, VmParams } from './schema.js';

export interface Built {
  world: World;
  setup: Setup;
}

export function hostSpec(name: string, h: HostParams): HostSpec {
  return {
    name,
    cores: h.cores,
    compress_Bps: h.compress,
    decompress_Bps: h.decompress,
    hash_Bps: h.hash,
    disk_read_Bps: h.disk_read,
    disk_write_Bps: h.disk_write,
    cache_bytes: h.cache,
  };
}

export function addLink(world: World, name: string, a: string, b: string, l: LinkParams): void {
  world.addLink({
    name,
    a,
    b,
    bandwidth_bps: l.bandwidth,
    latency_s: l.latency,
    jitter_s: l.jitter,
    loss: l.loss,
    packet_overhead_bytes: l.packet_overhead,
    mss_bytes: l.mss ?? LINK_DEFAULTS.mss_bytes,
    schedule: l.schedule.map((s) => ({ at_s: s.at, bandwidth_bps: s.bandwidth })),
  });
}

/** Memory pages with content drawn from the VM's shares: zero, base-image, duplicate, unique. */
export function buildMemory(world: World, v: VmParams): PageStore {
  const count = Math.ceil(v.memory / v.page_size);
  const mem = new PageStore(`${v.name}:memory`, count, v.page_size, [{ name: 'data', compress_ratio: v.compress_ratio }]);
  const rng = world.random.stream(`vm:${v.name}:content`);
  const c = mem.content;
  for (let i = 0; i < count; i++) {
    const u = rng();
    if (u < v.zero) c[i] = 0;
    else if (u < v.zero + v.base) c[i] = i + 1; // page i of the base image
    else c[i] = mem.ids.fresh();
  }
  if (v.duplicate > 0) {
    for (let i = 0; i < count; i++) {
      if (c[i] >= UNIQUE_BASE && rng() < v.duplicate / Math.max(1e-12, 1 - v.zero - v.base)) c[i] = c[Math.floor(rng() * count)] || c[i];
    }
  }
  return mem;
}

export function buildVm(world: World, v: VmParams, site: string): Vm {
  const mem = buildMemory(world, v);
  mem.fill(site);
  const groups = v.working_set.map((g) => ({ name: g.name, pages: Math.round(g.size / v.page_size), rate_pages_s: g.rate }));
  const wss = groups.length > 0 ? new WritableWorkingSet(mem, groups, world.random.stream(`vm:${v.name}:writes`)) : null;
  return world.addVm(new Vm(v.name, mem, null, wss, site, world.sim, world.observe));
}

function buildMigration(s: MigrationScenarioT, seed: number): Built {
  const world = new World(seed, { maxEvents: s.limits.max_events, maxTime: s.limits.max_time });
  world.addHost(hostSpec('source', s.source));
  world.addHost(hostSpec('destination', s.destination));
  addLink(world, 'link', 'source', 'destination', s.link);
  const vm = buildVm(world, s.vm, 'source');
  return { world, setup: { kind: 'migration', vm: vm.name, from: 'source', to: 'destination' } };
}

export function buildScenario(s: Scenario, seed: number): Built {
  switch (s.kind) {
    case 'migration':
      return buildMigration(s, seed);
  }
}
