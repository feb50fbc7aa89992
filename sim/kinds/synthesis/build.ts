// Synthesis scenario -> World: the mobile device and the cloudlet joined by the scenario's link.
import { World } from '../../world/index.js';
import { addLink, hostSpec, engineLimits } from '../shared/build.js';
import type { SynthesisSetup } from './context.js';
import type { SynthesisScenarioT } from './schema.js';

export const SYNTHESIS_SITES = { device: 'device', cloudlet: 'cloudlet' } as const;

export function buildSynthesis(s: SynthesisScenarioT, seed: number): { world: World; setup: SynthesisSetup } {
  const world = new World(seed, engineLimits(s.limits));
  const { device, cloudlet } = SYNTHESIS_SITES;
  // The device only sends; its CPU rates are never used.
  world.addHost(hostSpec(device, s.cloudlet));
  world.addHost(hostSpec(cloudlet, s.cloudlet));
  addLink(world, 'link', device, cloudlet, s.link);
  return {
    world,
    setup: {
      kind: 'synthesis',
      device,
      cloudlet,
      overlay_bytes: s.overlay.size,
      compress_ratio: s.overlay.compress_ratio,
      base_memory_bytes: s.vm.memory,
      vmm_resume_s: s.vmm_resume,
    },
  };
}
