// Live migration of one VM between two hosts (pre-copy, post-copy, hybrid, handoff).
import { defineKind } from '../kind.js';
import { COST, vmEstimate } from '../shared/cost.js';
import { buildMigration } from './build.js';
import { runMigration } from './driver.js';
import { MigrationScenario } from './schema.js';

export const migration = defineKind({
  name: 'migration',
  schema: MigrationScenario,
  build: buildMigration,
  run: runMigration,
  estimate(s, add) {
    if (s.vm.model === 'counted') add('vm.working_set', COST.site * (2 + s.vm.working_set.length));
    else vmEstimate(s.vm, 2, add);
    add('hosts', 2 * COST.site);
  },
  facts: (s) => ({ page_bytes: s.vm.page_size, memory_bytes: s.vm.memory, memory_model: s.vm.model, sequential_writes: s.vm.working_set.some((g) => g.pattern === 'sequential') }),
});
