// Validated scenario -> World plus the driver's setup (vega-lite's buildModel stage), by the
// scenario's kind (sim/kinds/<kind>/build.ts).
import { kindOf, type Setup } from '../sim/kinds/index.js';
import type { World } from '../sim/world/index.js';
import type { Scenario } from './schema.js';

export interface Built {
  world: World;
  setup: Setup;
}

export function buildScenario(s: Scenario, seed: number): Built {
  return kindOf(s.kind).build(s, seed);
}
