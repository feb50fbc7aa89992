// Fork scenario -> World: the parent, `clones` clone hosts and a switch, each host joined to the
// switch by its own access link with the scenario's `link` parameters. The one-way host-to-host
// latency sits on the sender's access link (a transfer pays its sender link's latency once, and
// crosses the receiver's downlink as a further resource), so one page or descriptor alone on the
// LAN takes wire_bytes * 8 / bandwidth + latency.
import { World, forkWorkload } from '../../world/index.js';
import { HostSchema } from '../../../scenarios/schema-common.js';
import { addLink, hostSpec, engineLimits } from '../shared/build.js';
import type { ForkSetup } from './context.js';
import { forkPages, type ForkScenarioT } from './schema.js';

export const FORK_SITES = { parent: 'parent', switch: 'switch' } as const;
export const cloneName = (k: number): string => `clone-${k + 1}`;

/** Descriptor bytes: the fixed part plus the per-GB part (GB = 1e9 bytes of VM memory). */
export function descriptorBytes(s: Pick<ForkScenarioT, 'descriptor' | 'vm'>): number {
  return s.descriptor.base + Math.round((s.descriptor.per_gb * s.vm.memory) / 1e9);
}

export function buildFork(s: ForkScenarioT, seed: number): { world: World; setup: ForkSetup } {
  const world = new World(seed, engineLimits(s.limits));
  const { parent, switch: sw } = FORK_SITES;
  // Hosts do no CPU or disk work here (creating a clone is clone_start): default rates.
  const host = HostSchema.parse({});
  const clones = Array.from({ length: s.clones }, (_, k) => cloneName(k));
  const access: Record<string, string> = {};
  world.addHost(hostSpec(sw, host));
  for (const h of [parent, ...clones]) {
    world.addHost(hostSpec(h, host));
    access[h] = `access-${h}`;
    addLink(world, access[h], h, sw, s.link);
  }
  const p = forkPages(s);
  const workload = forkWorkload(
    { pages: p.memory, clones: s.clones, working_set: p.working_set, shared: p.shared, overwrite_share: s.workload.overwrite_share },
    world.random.stream('fork:pages'),
    (k) => world.random.stream(`fork:${cloneName(k)}:order`),
  );
  return {
    world,
    setup: {
      kind: 'fork',
      parent,
      switch: sw,
      clones,
      access,
      page_size: s.vm.page_size,
      page_bytes: s.vm.page_size + s.vm.page_header,
      descriptor_bytes: descriptorBytes(s),
      save_s: s.descriptor.save,
      clone_start_s: s.clone_start,
      touch_interval_s: s.workload.duration / p.working_set,
      workload,
    },
  };
}
