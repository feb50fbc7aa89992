// Running runs in this thread: a scenario's trials (`vmsim run`, a reproduction's cells), or a
// planned sweep's runs one after another, as the API does for policy objects (threads cannot share
// functions) and the explorer page's Web Worker does. Every run builds its own world from its point
// and seed (sim/trials.ts), so a record is the same whichever thread ran it; the Node CLI spreads the
// same jobs over worker threads (sim/cli/pool/pool.ts).
import type { Loaded } from '../../scenarios/load.js';
import { InputError } from '../errors.js';
import type { PolicySet, Prepared } from '../choice.js';
import type { RunRecord } from '../results/record.js';
import { runTrial, runTrials as runPointTrials, type Trace } from '../trials.js';
import type { PointJob, RunJob } from './sweep-plan.js';

/** A bad-input error found while a run was built or ran names the scenario file too. */
export function inFile(e: unknown, file: string): unknown {
  if (e instanceof InputError && !e.message.startsWith(file)) return new InputError(`${file}: ${e.message}`, { ...e.where, file });
  return e;
}

/** A loaded scenario with its prepared policy, run for some trials (`vmsim run`, a reproduction's cell). */
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

/** Run one job of a plan: the record of that point's trial. */
export function runJob(points: readonly PointJob[], job: RunJob, policies: PolicySet): RunRecord {
  const p = points[job.point];
  try {
    const policy = policies.find(p.policy);
    if (policy === undefined) throw new Error(`policy "${p.policy}" is not loaded`);
    return runTrial({ ...p, policy }, job.trial, job.seed);
  } catch (e) {
    throw inFile(e, p.file);
  }
}

/** Run every job in order; the records in the jobs' order. */
export function runInThread(points: readonly PointJob[], jobs: readonly RunJob[], policies: PolicySet): RunRecord[] {
  return jobs.map((job) => runJob(points, job, policies));
}
