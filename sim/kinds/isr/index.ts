// Internet Suspend/Resume: a VM suspended at one site, carried as state, resumed at another.
import { defineKind } from '../kind.js';
import { COST, pagesOf } from '../shared/cost.js';
import { buildIsr } from './build.js';
import { runIsr } from './driver.js';
import { IsrScenario } from './schema.js';

export const isr = defineKind({
  name: 'isr',
  schema: IsrScenario,
  build: buildIsr,
  run: runIsr,
  estimate(s, add) {
    add('vm.disk / vm.chunk', pagesOf(s.vm.disk, s.vm.chunk) * COST.isrChunk);
    add('vm.memory', pagesOf(s.vm.memory, 4096) * COST.isrPage);
  },
  facts: () => ({}),
  reproduction: (s) => s.reproduce,
  // ISR's testbed went down to 100 kbit/s.
  bandwidths: '1Mbit/s..100Mbit/s:log:5',
});
