// The explorer's Web Worker: plans and runs a sweep or the ISR reproduction with the same code as
// the CLI (sim/experiment), one run after another, so the page stays responsive. Records go back in
// batches at most every 100 ms. A run cannot be interrupted from inside (it is synchronous): the page
// cancels by terminating this worker and starting another.
import { VmsimError } from '../errors.js';
import type { RunRecord } from '../results/record.js';
import { InThread, execute, read } from '../pipeline/index.js';
import { planSweep } from '../experiment/sweep-plan.js';
import { reproduceIsr } from '../experiment/isr-reproduction.js';
import type { Reply, Request } from './protocol.js';

interface WorkerScope {
  onmessage: ((e: MessageEvent<Request>) => void) | null;
  postMessage(m: Reply): void;
}

const BATCH_MS = 100;

async function sweep(req: Extract<Request, { type: 'sweep' }>, post: (m: Reply) => void): Promise<void> {
  const plan = planSweep({ scenarioArg: req.file, scenario: read(req.file, req.text), axes: req.axes, trials: req.trials, seed: req.seed });
  const total = plan.jobs.length;
  post({ id: req.id, type: 'planned', total, definition: plan.definition });
  let batch: Array<{ index: number; record: RunRecord }> = [];
  let last = performance.now();
  const flush = (done: number): void => {
    post({ id: req.id, type: 'progress', done, total, records: batch });
    batch = [];
    last = performance.now();
  };
  // As the CLI's sweep says it: a failed run's error begins with the run's key.
  const ex = await execute(plan, new InThread({ keyed: true }), {
    onProgress: (done, _total, job, record) => {
      batch.push({ index: job.index, record });
      if (performance.now() - last >= BATCH_MS || done === total) flush(done);
    },
  });
  if (ex.outcome === 'failed') throw ex.error;
  post({ id: req.id, type: 'swept', wall_s: ex.wall_s });
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
    const fail = (err: unknown): void => {
      const known = err instanceof VmsimError;
      const message = known ? err.message : `internal error: ${err instanceof Error ? err.message : String(err)} (please report this)`;
      post({ id: req.id, type: 'error', message, exitCode: known ? err.exitCode : 1 });
    };
    try {
      if (req.type === 'sweep') sweep(req, post).catch(fail);
      else reproduce(req, post);
    } catch (err) {
      fail(err);
    }
  };
}
