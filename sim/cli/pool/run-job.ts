// One job of a plan as a worker thread posts it back (worker.ts): the record, or the error as plain
// data. The sweep benchmark's single-threaded baseline runs the same function without a pool.
import type { PolicySet } from '../../policy-set.js';
import type { RunRecord } from '../../results/record.js';
import { inFile, runJob, type Job, type Point } from '../../pipeline/index.js';

export interface WorkerError {
  name: string;
  message: string;
  stack?: string;
}

export type FromWorker = { index: number; record: RunRecord } | { index: number; error: WorkerError };

export function postedRun(points: readonly Point[], policies: PolicySet | Error, job: Job): FromWorker {
  try {
    if (policies instanceof Error) throw policies;
    return { index: job.index, record: runJob(points, policies, job) };
  } catch (e) {
    const named = inFile(e, points[job.point].file);
    const err = named instanceof Error ? named : new Error(String(e));
    return { index: job.index, error: { name: err.name, message: err.message, stack: err.stack } };
  }
}
