// EdgeVDI scenario -> World: the user's device, one host per cloudlet, a LAN link from the device
// to every cloudlet (used while the user is attached there), and a WAN link between every pair of
// cloudlets at the smaller of their access bandwidths, its one-way latency the sum of theirs
// (each cloudlet's latency to the WAN core). The VM starts at the trace's first cloudlet.
import { World } from '../../world/index.js';
import { addLink, hostSpec, engineLimits } from '../shared/build.js';
import { buildVm } from '../shared/vm.js';
import type { VdiSetup } from './context.js';
import type { VdiScenarioT } from './schema.js';

export const VDI_USER = 'user';

export function buildVdi(s: VdiScenarioT, seed: number): { world: World; setup: VdiSetup } {
  const world = new World(seed, engineLimits(s.limits));
  world.addHost(hostSpec(VDI_USER, s.cloudlet));
  for (const c of s.cloudlets) {
    world.addHost(hostSpec(c.name, s.cloudlet));
    addLink(world, `lan-${c.name}`, VDI_USER, c.name, s.link);
  }
  s.cloudlets.forEach((a, i) => {
    for (const b of s.cloudlets.slice(i + 1)) {
      addLink(world, `wan-${a.name}-${b.name}`, a.name, b.name, {
        bandwidth: Math.min(a.wan.bandwidth, b.wan.bandwidth),
        latency: a.wan.latency + b.wan.latency,
        jitter: 0,
        loss: 0,
        packet_overhead: 0,
        mss: 1460,
        schedule: [],
      });
    }
  });
  const vm = buildVm(world, s.vm, s.trace[0].cloudlet);
  return {
    world,
    setup: {
      kind: 'vdi',
      vm: vm.name,
      user: VDI_USER,
      trace: s.trace.map((a) => ({ at_s: a.at, cloudlet: a.cloudlet })),
      interaction: {
        interval_s: s.interaction.interval,
        service_s: s.interaction.service,
        request_bytes: s.interaction.request,
        response_bytes: s.interaction.response,
        threshold_s: s.interaction.threshold,
      },
      launch_s: s.launch,
      duration_s: s.duration,
      dirty_tracking_cost_s: s.vm.dirty_tracking_cost,
    },
  };
}
