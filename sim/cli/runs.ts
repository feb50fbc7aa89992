// Turning a loaded scenario into runs: resolve and validate the policy and its options, derive
// each trial's seed, build a fresh world per run, and run it (sim/trials.ts). Shared by `run` and
// `reproduce`.
import type { Loaded } from '../../scenarios/load.js';
import { InputError } from '../errors.js';
import type { RunRecord } from '../results/record.js';
import { runTrials as runPointTrials, type Trace } from '../trials.js';

export { BUILT_IN, PolicySet, factsOf, policyFor, preparePolicy, type PolicySource, type Prepared } from '../choice.js';
import type { Prepared } from '../choice.js';

export interface RunPlan {
  loaded: Loaded;
  prepared: Prepared;
  baseSeed: number | string;
  trials: number;
  trace?: Trace;
}

/** Run every trial. Trial k's seed depends only on (base seed, k): common random numbers across policies. */
export function runTrials(plan: RunPlan): RunRecord[] {
  const { loaded, prepared } = plan;
  try {
    return runPointTrials({ file: loaded.file, scenario: loaded.scenario, ...prepared }, plan.baseSeed, plan.trials, plan.trace);
  } catch (e) {
    throw inFile(e, loaded.file);
  }
}

/** A bad-input error found while a run was built or ran names the scenario file too. */
export function inFile(e: unknown, file: string): unknown {
  if (e instanceof InputError && !e.message.startsWith(file)) return new InputError(`${file}: ${e.message}`, { ...e.where, file });
  return e;
}
