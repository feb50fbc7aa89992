// Runs of the shipped edge scenarios with overrides, through the same path as `vmsim run`.
import { readScenario } from '../helpers/scenarios.js';
import { preparePolicy } from '../../sim/choice.js';
import { runTrials } from '../../sim/experiment/run-plan.js';
import type { RunRecord } from '../../sim/results/record.js';

export function runEdge(scenario: string, sets: readonly string[] = [], policy?: string): RunRecord {
  const loaded = readScenario(scenario, sets);
  return runTrials({ loaded, prepared: preparePolicy(loaded, policy), baseSeed: loaded.scenario.seed, trials: 1 })[0];
}
