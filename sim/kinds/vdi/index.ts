// EdgeVDI: a desktop VM following its user across cloudlets while the user interacts with it.
import { defineKind } from '../kind.js';
import { COST, vmEstimate } from '../shared/cost.js';
import { buildVdi } from './build.js';
import { runVdi } from './driver.js';
import { VdiScenario } from './schema.js';

export const vdi = defineKind({
  name: 'vdi',
  schema: VdiScenario,
  build: buildVdi,
  run: runVdi,
  estimate(s, add) {
    const n = s.cloudlets.length;
    vmEstimate(s.vm, n + 1, add);
    // Every pair of cloudlets is joined by a WAN link.
    add('cloudlets', (n + 1 + (n * (n - 1)) / 2) * COST.site);
  },
  facts: (s) => ({ page_bytes: s.vm.page_size, memory_bytes: s.vm.memory }),
});
