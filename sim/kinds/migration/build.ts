// Migration scenario -> World: the source and destination hosts joined by the link, the VM at the source.
import { World } from '../../world/index.js';
import { addLink, hostSpec, engineLimits } from '../shared/build.js';
import { buildVm } from '../shared/vm.js';
import { buildCountedVm } from '../shared/counted-vm.js';
import type { MigrationSetup } from './context.js';
import type { MigrationScenarioT } from './schema.js';

export function buildMigration(s: MigrationScenarioT, seed: number): { world: World; setup: MigrationSetup } {
  const world = new World(seed, engineLimits(s.limits));
  world.addHost(hostSpec('source', s.source));
  world.addHost(hostSpec('destination', s.destination));
  addLink(world, 'link', 'source', 'destination', s.link);
  const vm = s.vm.model === 'counted' ? buildCountedVm(world, s.vm, 'source') : buildVm(world, s.vm, 'source');
  return { world, setup: { kind: 'migration', vm: vm.name, from: 'source', to: 'destination', sample_interval_s: s.sample_interval, dirty_tracking_cost_s: s.vm.dirty_tracking_cost } };
}
