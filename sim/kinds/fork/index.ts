// VM fork (SnowFlock): a parent VM cloned onto the hosts of one switched LAN.
import { defineKind } from '../kind.js';
import { COST, pagesOf } from '../shared/cost.js';
import { buildFork } from './build.js';
import { runFork } from './driver.js';
import { ForkScenario } from './schema.js';

export const fork = defineKind({
  name: 'fork',
  schema: ForkScenario,
  build: buildFork,
  run: runFork,
  estimate(s, add) {
    const pages = pagesOf(s.vm.memory, s.vm.page_size);
    const ws = pagesOf(s.workload.working_set, s.vm.page_size);
    const shared = Math.round(ws * s.workload.shared_share);
    add('clones x vm.memory / vm.page_size', s.clones * pages * COST.clonePage + pages * COST.clonePage);
    add('clones x workload.working_set', (shared + s.clones * (ws - shared)) * COST.forkDraw + s.clones * ws * 4);
    add('clones', (s.clones + 2) * COST.site);
  },
  facts: (s) => ({ page_bytes: s.vm.page_size, memory_bytes: s.vm.memory }),
});
