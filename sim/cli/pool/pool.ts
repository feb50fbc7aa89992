// The executor on worker threads (sim/pipeline/execute.ts): each worker gets the plan's validated
// points and policy files once (workerData) and then jobs (point, trial, seed); it builds a fresh
// world per run, so a record depends only on its job, never on which worker ran it or when. Records
// come back in finish order and execute() places them by run index. Each worker keeps two jobs
// queued so it never waits for the main thread between runs.
//
// Plain worker_threads rather than a pool library: the only features needed are "keep N busy",
// "stop now" (Ctrl-C) and "fail on the first error", which fit in this file.
import { Worker } from 'node:worker_threads';
import type { Executor, Job, Plan } from '../../pipeline/index.js';
import { InputError, LimitError, ModelError, PolicyError, messages } from '../../errors.js';
import type { RunRecord } from '../../results/record.js';
import type { FromWorker, WorkerError } from './run-job.js';


type PoolOutcome = 'done' | 'cancelled';

const DEPTH = 2;

/** The error a worker reported, as the same class, its message prefixed with the run's key. */
function revive(job: Job, e: WorkerError): Error {
  const text = messages.runFailed(job.key, e.message);
  switch (e.name) {
    case 'InputError':
      return new InputError(text);
    case 'ModelError':
      return new ModelError(text);
    case 'LimitError':
      return new LimitError(text);
    case 'PolicyError':
      return new PolicyError(text);
    default: {
      const err = new Error(text);
      err.stack = `${text}\n(in a worker)\n${e.stack ?? ''}`;
      return err;
    }
  }
}

export class RunPool implements Executor {
  private readonly workers: Worker[] = [];
  private settle: ((o: PoolOutcome) => void) | undefined;
  private fail: ((e: Error) => void) | undefined;
  private finished = false;

  /** At most `size` workers (never more than there are jobs). */
  constructor(private readonly size: number) {}

  run(plan: Plan, jobs: readonly Job[], onRecord: (job: Job, record: RunRecord) => void): Promise<PoolOutcome> {
    return new Promise<PoolOutcome>((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
      if (jobs.length === 0) return this.end('done');
      let next = 0;
      let done = 0;
      const byIndex = new Map(jobs.map((j) => [j.index, j]));
      const feed = (w: Worker): void => {
        if (this.finished || next >= jobs.length) return;
        w.postMessage(jobs[next++]);
      };
      const n = Math.max(1, Math.min(this.size, jobs.length));
      for (let i = 0; i < n; i++) {
        const w = new Worker(new URL('./worker.js', import.meta.url), { workerData: { points: plan.points, files: plan.policies.fileList } });
        this.workers.push(w);
        w.on('message', (m: FromWorker) => {
          if (this.finished) return;
          const job = byIndex.get(m.index)!;
          if ('error' in m) return this.abort(revive(job, m.error));
          onRecord(job, m.record);
          if (++done === jobs.length) return this.end('done');
          feed(w);
        });
        w.on('error', (e) => this.abort(e));
        w.on('exit', (code) => {
          if (!this.finished) this.abort(new Error(`a sweep worker stopped unexpectedly (exit code ${code})`));
        });
        for (let d = 0; d < DEPTH; d++) feed(w);
      }
    });
  }

  /** Stop at once: runs in flight are dropped, run() resolves 'cancelled'. */
  cancel(): void {
    this.end('cancelled');
  }

  private end(outcome: PoolOutcome): void {
    if (this.finished) return;
    this.finished = true;
    void this.terminate().then(() => this.settle?.(outcome));
  }

  private abort(e: Error): void {
    if (this.finished) return;
    this.finished = true;
    void this.terminate().then(() => this.fail?.(e));
  }

  private async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
