// One run of a sweep, from its validated point and its job: what a pool worker does per message
// (worker.ts), and what the sweep benchmark's single-threaded baseline does without a pool.
import { getPolicy } from '../../policies/index.js';
import { buildScenario } from '../../scenarios/build.js';
import { runOne } from '../run.js';
import type { FromWorker, PointJob, RunJob } from './pool.js';

/** The job's record, or its error as plain data (what a worker posts back). */
export function runJob(points: readonly PointJob[], job: RunJob): FromWorker {
  try {
    const p = points[job.point];
    const { world, setup } = buildScenario(p.scenario, job.seed);
    const record = runOne({
      scenario: p.scenario.name,
      world,
      setup,
      policy: getPolicy(p.policy),
      options: p.options,
      seed: job.seed,
      trial: job.trial,
      params: p.params,
    });
    return { index: job.index, record };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    return { index: job.index, error: { name: err.name, message: err.message, stack: err.stack } };
  }
}
