// Stage 4: Plan + Executor -> records. An executor runs jobs and hands back each record as it
// finishes, in any order: in this thread (InThread, below), on worker threads (sim/cli/pool/pool.ts), in
// a Web Worker (sim/web/runner.ts). execute() places the records by run index and applies the one
// rule for a stopped execution (stopped(), below), whichever executor ran and whoever stopped it.
import { InputError, PolicyError, VmsimError, messages } from '../errors.js';
import type { PolicySet } from '../policy-set.js';
import type { RunRecord } from '../results/record.js';
import { runTrial, type Trace } from './trial.js';
import type { Job, Plan, Point } from './plan.js';

export interface Executor {
  /**
   * Run the jobs of these points; `onRecord` once per finished run, in finish order. Resolves
   * 'done', or 'cancelled' once cancel() was called; rejects with the first failure.
   */
  run(plan: Plan, jobs: readonly Job[], onRecord: (job: Job, record: RunRecord) => void): Promise<'done' | 'cancelled'>;
  /** Stop at once: runs in flight are dropped. */
  cancel(): void;
}

/** A bad-input error found while a run was built or ran names the scenario file too. */
export function inFile(e: unknown, file: string): unknown {
  if (e instanceof InputError && !e.message.startsWith(file)) return new InputError(messages.inScenarioFile(file, e.message), { ...e.where, file });
  return e;
}

/** One job: a fresh world from its point and seed, so a record depends only on (point, trial, seed). */
export function runJob(points: readonly Point[], policies: PolicySet, job: Job, trace?: Trace): RunRecord {
  const p = points[job.point];
  try {
    const policy = policies.find(p.policy);
    if (policy === undefined) throw new Error(`policy "${p.policy}" is not loaded`);
    return runTrial(p, policy, job.trial, job.seed, trace);
  } catch (e) {
    throw inFile(e, p.file);
  }
}

/** Runs the jobs one after another in this thread (policy objects cannot cross to other threads). */
export class InThread implements Executor {
  private cancelled = false;

  /**
   * `trace` receives every world event; with `keyed`, a failed run's error begins with the run's
   * key, as a sweep on worker threads says it.
   */
  constructor(private readonly opts: { trace?: Trace; keyed?: boolean } = {}) {}

  async run(plan: Plan, jobs: readonly Job[], onRecord: (job: Job, record: RunRecord) => void): Promise<'done' | 'cancelled'> {
    this.runSync(plan, jobs, onRecord);
    return this.cancelled ? 'cancelled' : 'done';
  }

  /** The same, synchronously: every record, in the jobs' order. */
  runSync(plan: Plan, jobs: readonly Job[] = plan.jobs, onRecord?: (job: Job, record: RunRecord) => void): RunRecord[] {
    const out: RunRecord[] = [];
    for (const job of jobs) {
      if (this.cancelled) break;
      let record: RunRecord;
      try {
        record = runJob(plan.points, plan.policies, job, this.opts.trace);
      } catch (e) {
        if (this.opts.keyed && e instanceof VmsimError) e.message = messages.runFailed(job.key, e.message);
        throw e;
      }
      out.push(record);
      onRecord?.(job, record);
    }
    return out;
  }

  cancel(): void {
    this.cancelled = true;
  }
}

/** An execution's end: its completed runs in grid order, and why it stopped when it did not finish. */
export interface Executed {
  outcome: 'done' | 'cancelled' | 'failed';
  /** The failure, when outcome is 'failed'. */
  error?: Error;
  /** Why it was cancelled (the abort signal's reason), when outcome is 'cancelled'. */
  reason?: string;
  /** Completed runs with their index, in grid order (every job's when done). */
  completed: Array<{ index: number; record: RunRecord }>;
  wall_s: number;
}

export interface ExecuteOptions {
  /** The jobs to run (default: the plan's; a shard runs its share). */
  jobs?: readonly Job[];
  /** Called after each finished run with the count done so far. */
  onProgress?: (done: number, total: number, job: Job, record: RunRecord) => void;
  /** Aborting it cancels the executor; its reason says why, in the partial output. */
  signal?: AbortSignal;
}

/** Records placed by run index as they arrive, in any order. */
class Completed {
  private readonly got = new Map<number, RunRecord>();
  add(index: number, record: RunRecord): void {
    this.got.set(index, record);
  }
  get size(): number {
    return this.got.size;
  }
  /** In grid order. */
  inOrder(): Array<{ index: number; record: RunRecord }> {
    return [...this.got.keys()].sort((a, b) => a - b).map((index) => ({ index, record: this.got.get(index)! }));
  }
}

/** Run the jobs on the executor; never throws for a failed run (the failure is in the result). */
export async function execute(plan: Plan, executor: Executor, opts: ExecuteOptions = {}): Promise<Executed> {
  const jobs = opts.jobs ?? plan.jobs;
  const got = new Completed();
  const onAbort = (): void => executor.cancel();
  opts.signal?.addEventListener('abort', onAbort);
  const t0 = performance.now();
  let outcome: Executed['outcome'];
  let error: Error | undefined;
  try {
    outcome = opts.signal?.aborted ? 'cancelled' : await executor.run(plan, jobs, (job, record) => {
      got.add(job.index, record);
      opts.onProgress?.(got.size, jobs.length, job, record);
    });
  } catch (e) {
    outcome = 'failed';
    error = e instanceof Error ? e : new Error(String(e));
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  const reason = outcome === 'cancelled' ? String(opts.signal?.reason ?? 'Cancelled') : undefined;
  return { outcome, error, reason, completed: got.inOrder(), wall_s: (performance.now() - t0) / 1000 };
}

/**
 * The one rule for an execution that did not finish: its completed runs are kept, marked partial,
 * with why it stopped; none are kept when none completed or when a user's policy failed (a bug to
 * fix, not a run to keep). Undefined for a finished execution.
 */
export function stopped(ex: Pick<Executed, 'outcome' | 'error' | 'reason' | 'completed'>): { why: string; keep: boolean } | undefined {
  if (ex.outcome === 'done') return undefined;
  const why = ex.outcome === 'cancelled' ? ex.reason! : messages.stoppedByError(ex.error?.message ?? 'unknown');
  return { why, keep: ex.completed.length > 0 && !(ex.error instanceof PolicyError) };
}
