// VM synthesis: a mobile device's overlay sent to a cloudlet, applied to its base VM, resumed.
import { defineKind } from '../kind.js';
import { COST } from '../shared/cost.js';
import { buildSynthesis } from './build.js';
import { runSynthesis } from './driver.js';
import { SynthesisScenario } from './schema.js';

export const synthesis = defineKind({
  name: 'synthesis',
  schema: SynthesisScenario,
  build: buildSynthesis,
  run: runSynthesis,
  estimate(_s, add) {
    add('cloudlet', 4 * COST.site);
  },
  facts: () => ({}),
});
