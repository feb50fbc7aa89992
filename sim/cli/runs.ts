// Turning a loaded scenario into runs: resolve and validate the policy and its options, derive
// each trial's seed, build a fresh world per run, and run it. Shared by `run` and later commands.
import type { Loaded } from '../../scenarios/load.js';
import { buildScenario } from '../../scenarios/build.js';
import { InputError } from '../errors.js';
import { deriveSeed, runOne } from '../run.js';
import type { RunRecord, TraceEvent } from '../results/record.js';

export { BUILT_IN, PolicySet, factsOf, policyFor, preparePolicy, type PolicySource, type Prepared } from './choice.js';
import type { Prepared } from './choice.js';

export interface RunPlan {
  loaded: Loaded;
  prepared: Prepared;
  baseSeed: number | string;
  trials: number;
  trace?: (e: TraceEvent & { trial: number }) => void;
}

/** Run every trial. Trial k's seed depends only on (base seed, k): common random numbers across policies. */
export function runTrials(plan: RunPlan): RunRecord[] {
  try {
    return runAll(plan);
  } catch (e) {
    throw inFile(e, plan.loaded.file);
  }
}

/** A bad-input error found while a run was built or ran names the scenario file too. */
export function inFile(e: unknown, file: string): unknown {
  if (e instanceof InputError && !e.message.startsWith(file)) return new InputError(`${file}: ${e.message}`, { ...e.where, file });
  return e;
}

function runAll(plan: RunPlan): RunRecord[] {
  const out: RunRecord[] = [];
  for (let trial = 0; trial < plan.trials; trial++) {
    const seed = deriveSeed(plan.baseSeed, `trial:${trial}`);
    const { world, setup } = buildScenario(plan.loaded.scenario, seed);
    const trace = plan.trace;
    out.push(
      runOne({
        scenario: plan.loaded.scenario.name,
        variant: plan.prepared.variant,
        world,
        setup,
        policy: plan.prepared.policy,
        options: plan.prepared.options,
        seed,
        trial,
        params: plan.prepared.params,
        trace: trace === undefined ? undefined : (e) => trace({ ...e, trial }),
      }),
    );
  }
  return out;
}
