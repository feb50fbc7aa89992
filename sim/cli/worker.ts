// A sweep worker thread (started by pool.ts): runs one job per message and posts back its record.
// Each run builds its own world from the validated point and the job's seed, exactly as `vmsim run`
// does (runs.ts), so a worker holds no state that could leak from one run into the next.
import { parentPort, workerData } from 'node:worker_threads';
import { runJob } from './run-job.js';
import type { PointJob, RunJob } from './pool.js';

const { points } = workerData as { points: PointJob[] };
const port = parentPort!;

port.on('message', (job: RunJob) => {
  port.postMessage(runJob(points, job));
});
