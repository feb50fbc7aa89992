// The explorer's Web Worker: the executor of the page's plans (runner.ts), running their jobs one
// after another in this thread with the same code as the CLI (sim/pipeline), and the ISR
// reproduction, so the page stays responsive. Records go back in batches at most every 100 ms. A run
// cannot be interrupted from inside (it is synchronous): the page cancels by terminating this worker
// and starting another.
import { VmsimError } from '../errors.js';
import type { RunRecord } from '../results/record.js';
import { BUILT_IN } from '../policy-set.js';
import { InThread, execute, load, read } from '../pipeline/index.js';
import { parseSets } from '../../scenarios/load.js';
import { reproduceIsr } from '../experiment/isr-reproduction.js';
import type { Reply, Request } from './protocol.js';

interface WorkerScope {
  onmessage: ((e: MessageEvent<Request>) => void) | null;
  postMessage(m: Reply): void;
}

const BATCH_MS = 100;

async function run(req: Extract<Request, { type: 'run' }>, post: (m: Reply) => void): Promise<void> {
  // The page's plans use the built-in policies only (a browser has no policy files).
  const plan = { points: req.points, jobs: req.jobs, policies: BUILT_IN };
  const total = plan.jobs.length;
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
  post({ id: req.id, type: 'ran' });
}

function reproduce(req: Extract<Request, { type: 'reproduce' }>, post: (m: Reply) => void): void {
  const { file, text, set, ...rest } = req;
  const base = load(read(file, text), parseSets(set));
  const { records, ...result } = reproduceIsr({
    ...rest,
    base,
    set,
    onProgress: (done, total) => post({ id: req.id, type: 'progress', done, total, records: [] }),
  });
  post({ id: req.id, type: 'reproduced', result: { ...result, runs: records.length } });
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
      if (req.type === 'run') run(req, post).catch(fail);
      else reproduce(req, post);
    } catch (err) {
      fail(err);
    }
  };
}
