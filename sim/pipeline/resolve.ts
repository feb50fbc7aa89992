// Stage 2: Loaded + a policy or variant choice -> Resolved. The policy and its parsed options, the
// parameter columns, the trials, the seed and the memory budget are each settled here, for every
// front door and every point of a sweep, so a bad choice fails before anything runs.
import { choosePolicy, type Choice, type PolicySource } from '../choice.js';
import type { PolicySet } from '../policy-set.js';
import { InputError, messages } from '../errors.js';
import { checkBudget } from '../../scenarios/budget.js';
import { MAX_TRIALS, isTrialCount } from '../../scenarios/schema-common.js';
import type { Loaded } from './load.js';

/** What a front door chooses for a loaded scenario; each is the scenario's own when left out. */
export interface Choose {
  /** A policy by name or file, replacing the scenario's (a variant is chosen with `variant=`). */
  policy?: string;
  /** Where `policy` came from, for messages (`--policy`, `the policy option`, ...). */
  source?: PolicySource;
  /** The policies to choose from (default: the loaded scenario's). */
  policies?: PolicySet;
  trials?: number;
  seed?: number | string;
  /** Names the caller in a message about `trials` (`run()`). */
  caller?: string;
}

/** A scenario ready to plan: its policy choice, how many trials, from which base seed. */
export interface Resolved extends Choice {
  loaded: Loaded;
  /** The set the policy was chosen from: a plan's runs find it there by name. */
  policies: PolicySet;
  trials: number;
  seed: number | string;
}

export function resolve(loaded: Loaded, c: Choose = {}): Resolved {
  const policies = c.policies ?? loaded.policies;
  const choice = choosePolicy(loaded, c.policy, c.source, policies);
  checkBudget(loaded.scenario, loaded.file);
  const trials = c.trials ?? loaded.scenario.trials;
  if (!isTrialCount(trials)) {
    throw new InputError(messages.inField(c.caller ?? loaded.file, 'trials', messages.trialsRange(MAX_TRIALS, trials)));
  }
  return { ...choice, loaded, policies, trials, seed: c.seed ?? loaded.scenario.seed };
}
