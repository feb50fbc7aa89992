// Runs of the shipped edge scenarios with overrides, through the same path as `vmsim run`.
import { readScenario } from '../helpers/scenarios.js';
import { InThread, planRun, resolve } from '../../sim/pipeline/index.js';
import type { RunRecord } from '../../sim/results/record.js';

export function runEdge(scenario: string, sets: readonly string[] = [], policy?: string): RunRecord {
  const loaded = readScenario(scenario, sets);
  return new InThread().runSync(planRun(resolve(loaded, { policy, trials: 1 })))[0];
}
