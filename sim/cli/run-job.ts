// One run of a sweep, from its validated point and its job: what a pool worker does per message
// (worker.ts), and what the sweep benchmark's single-threaded baseline does without a pool.
import type { PolicySet } from '../choice.js';
import { runTrial } from '../trials.js';
import type { FromWorker, PointJob, RunJob } from './pool.js';
import { inFile } from './runs.js';

/** The job's record, or its error as plain data (what a worker posts back). */
export function runJob(points: readonly PointJob[], job: RunJob, policies: PolicySet | Error): FromWorker {
  try {
    if (policies instanceof Error) throw policies;
    const p = points[job.point];
    const policy = policies.find(p.policy);
    if (policy === undefined) throw new Error(`policy "${p.policy}" is not loaded in the sweep worker`);
    return { index: job.index, record: runTrial({ ...p, policy }, job.trial, job.seed) };
  } catch (e) {
    const named = inFile(e, points[job.point].file);
    const err = named instanceof Error ? named : new Error(String(e));
    return { index: job.index, error: { name: err.name, message: err.message, stack: err.stack } };
  }
}
