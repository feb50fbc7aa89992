// One run of a sweep, from its validated point and its job, as a worker posts it back (worker.ts):
// the record, or the error as plain data. The sweep benchmark's single-threaded baseline runs the
// same function without a pool.
import type { PolicySet } from '../../choice.js';
import { inFile, runJob as runPlannedJob } from '../../experiment/run-plan.js';
import type { FromWorker, PointJob, RunJob } from './pool.js';

export function runJob(points: readonly PointJob[], job: RunJob, policies: PolicySet | Error): FromWorker {
  try {
    if (policies instanceof Error) throw policies;
    return { index: job.index, record: runPlannedJob(points, job, policies) };
  } catch (e) {
    const named = inFile(e, points[job.point].file);
    const err = named instanceof Error ? named : new Error(String(e));
    return { index: job.index, error: { name: err.name, message: err.message, stack: err.stack } };
  }
}
