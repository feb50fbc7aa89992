// The explorer's Web Worker: plans and runs a sweep or the ISR reproduction with the same code as
// the CLI (sim/experiment), one run after another, so the page stays responsive. Records go back in
// batches at most every 100 ms. A run cannot be interrupted from inside (it is synchronous): the page
// cancels by terminating this worker and starting another.
import { VmsimError, messages } from '../errors.js';
import { BUILT_IN } from '../choice.js';
import type { RunRecord } from '../results/record.js';
import { runJob } from '../experiment/run-plan.js';
import { planSweep } from '../experiment/sweep-plan.js';
import { reproduceIsr } from '../experiment/isr-reproduction.js';
import type { Reply, Request } from './protocol.js';

interface WorkerScope {
  onmessage: ((e: MessageEvent<Request>) => void) | null;
  postMessage(m: Reply): void;
}

const BATCH_MS = 100;

function sweep(req: Extract<Request, { type: 'sweep' }>, post: (m: Reply) => void): void {
  const plan = planSweep({ scenarioArg: req.file, file: req.file, scenarioText: req.text, axes: req.axes, trials: req.trials, seed: req.seed });
  const total = plan.runs.length;
  post({ id: req.id, type: 'planned', total, definition: plan.definition });
  let batch: Array<{ index: number; record: RunRecord }> = [];
  let last = performance.now();
  let wall = 0;
  for (const job of plan.runs) {
    const t0 = performance.now();
    let record: RunRecord;
    try {
      record = runJob(plan.points, job, BUILT_IN);
    } catch (e) {
      // As the CLI's sweep says it: the run's key, then what went wrong.
      if (e instanceof VmsimError) e.message = messages.runFailed(job.key, e.message);
      throw e;
    }
    const now = performance.now();
    wall += now - t0;
    batch.push({ index: job.index, record });
    if (now - last >= BATCH_MS || job.index === total - 1) {
      post({ id: req.id, type: 'progress', done: job.index + 1, total, records: batch });
      batch = [];
      last = now;
    }
  }
  post({ id: req.id, type: 'swept', wall_s: wall / 1000 });
}

function reproduce(req: Extract<Request, { type: 'reproduce' }>, post: (m: Reply) => void): void {
  const { records, ...rest } = reproduceIsr({
    ...req,
    onProgress: (done, total) => post({ id: req.id, type: 'progress', done, total, records: [] }),
  });
  post({ id: req.id, type: 'reproduced', result: { ...rest, runs: records.length } });
}

export function startWorker(): void {
  const scope = self as unknown as WorkerScope;
  const post = (m: Reply): void => scope.postMessage(m);
  scope.onmessage = (e) => {
    const req = e.data;
    try {
      if (req.type === 'sweep') sweep(req, post);
      else reproduce(req, post);
    } catch (err) {
      const known = err instanceof VmsimError;
      const message = known ? err.message : `internal error: ${err instanceof Error ? err.message : String(err)} (please report this)`;
      post({ id: req.id, type: 'error', message, exitCode: known ? err.exitCode : 1 });
    }
  };
}
