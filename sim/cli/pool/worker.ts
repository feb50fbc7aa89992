// A sweep worker thread (started by pool.ts): runs one job per message and posts back its record.
// Each run builds its own world from the validated point and the job's seed, exactly as `vmsim run`
// does (sim/pipeline/execute.ts), so a worker holds no state that could leak from one run into
// the next. The user's policy files are loaded before the first job (messages wait in the port).
import { parentPort, workerData } from 'node:worker_threads';
import '../watchdog.js';
import { postedRun } from './run-job.js';
import type { Job, Point } from '../../pipeline/index.js';
import { loadPolicySet } from '../policy-files.js';
import type { PolicySet } from '../../policy-set.js';

const { points, files } = workerData as { points: Point[]; files?: string[] };
const port = parentPort!;

let policies: PolicySet | Error;
try {
  policies = await loadPolicySet(files ?? []);
} catch (e) {
  policies = e instanceof Error ? e : new Error(String(e));
}

port.on('message', (job: Job) => {
  port.postMessage(postedRun(points, policies, job));
});
