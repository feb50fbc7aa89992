// A sweep worker thread (started by pool.ts): runs one job per message and posts back its record.
// Each run builds its own world from the validated point and the job's seed, exactly as `vmsim run`
// does (runs.ts), so a worker holds no state that could leak from one run into the next.
import { parentPort, workerData } from 'node:worker_threads';
import { getPolicy } from '../../policies/index.js';
import { buildScenario } from '../../scenarios/build.js';
import { runOne } from '../run.js';
import { inFile } from './runs.js';
import type { FromWorker, PointJob, RunJob } from './pool.js';

const { points } = workerData as { points: PointJob[] };
const port = parentPort!;

port.on('message', (job: RunJob) => {
  let reply: FromWorker;
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
    reply = { index: job.index, record };
  } catch (e) {
    const named = inFile(e, points[job.point].file);
    const err = named instanceof Error ? named : new Error(String(e));
    reply = { index: job.index, error: { name: err.name, message: err.message, stack: err.stack } };
  }
  port.postMessage(reply);
});
