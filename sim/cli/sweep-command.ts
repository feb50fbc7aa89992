// `vmsim sweep`: plan (every point validated before anything runs), run on worker threads with a
// progress display, then write the outputs, or this shard's share of the runs. Ctrl-C (or SIGTERM,
// as a batch system sends at its time limit) stops the workers and keeps the completed runs in
// output marked partial; a second Ctrl-C quits at once.
import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { InputError, Interrupted, messages } from '../errors.js';
import type { RunRecord } from '../results/record.js';
import { parseSets } from '../../scenarios/load.js';
import { writeAll, type OutFile } from './output.js';
import { RunPool, type PoolOutcome, type RunJob } from './pool.js';
import { startProgress } from './progress.js';
import { parseShard, shardFileName, shardRuns, shardText, SHARD_FORMAT, type ShardHeader } from './shard.js';
import { planSweep, type SweepPlan } from './sweep.js';
import { mergeAxes, readSweepFile, type AxisText } from './sweep-file.js';
import { PARTIAL_FILES, partialFiles, sweepFiles } from './sweep-files.js';

export interface SweepArgs {
  scenario?: string;
  sweep?: string;
  set: string[];
  trials?: number;
  seed?: number;
  workers?: number;
  shard?: string;
  out?: string;
  png: boolean;
  quiet: boolean;
}

const SIGNAL_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/** Build the plan from the sweep file and the flags (flags win). */
export function sweepPlanFromArgs(a: SweepArgs): SweepPlan {
  const file = a.sweep === undefined ? undefined : readSweepFile(a.sweep);
  const scenarioArg = a.scenario ?? file?.scenario;
  if (scenarioArg === undefined) throw new InputError(messages.noScenario());
  const cli: AxisText[] = parseSets(a.set).map((o) => ({ path: o.path, spec: o.text }));
  return planSweep({ scenarioArg, axes: mergeAxes(file?.axes ?? [], cli), trials: a.trials ?? file?.trials, seed: a.seed ?? file?.seed });
}

interface Executed {
  outcome: PoolOutcome | 'failed';
  signal?: string;
  error?: Error;
  /** Completed runs in grid order. */
  completed: Array<{ index: number; record: RunRecord }>;
  done: number;
  wall_s: number;
}

/** Run the jobs on a pool, with progress and signal handling; never throws for a failed run. */
async function execute(plan: SweepPlan, jobs: readonly RunJob[], workers: number, quiet: boolean, label: string): Promise<Executed> {
  const got = new Map<number, RunRecord>();
  const progress = startProgress({ total: jobs.length, label, quiet });
  const pool = new RunPool(plan.points, workers);
  let signal: string | undefined;
  const onSignal = (s: NodeJS.Signals): void => {
    if (signal !== undefined) process.exit(SIGNAL_CODES[s] ?? 130);
    signal = s;
    progress.note(`vmsim: ${s}: stopping and writing the ${got.size} completed runs (again to quit at once)`);
    pool.cancel();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const t0 = performance.now();
  let outcome: Executed['outcome'];
  let error: Error | undefined;
  try {
    outcome = await pool.run(jobs, (job, record) => {
      got.set(job.index, record);
      progress.update(got.size);
    });
  } catch (e) {
    outcome = 'failed';
    error = e as Error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.stop();
  }
  const completed = jobs.filter((j) => got.has(j.index)).map((j) => ({ index: j.index, record: got.get(j.index)! }));
  return { outcome, signal, error, completed, done: got.size, wall_s: (performance.now() - t0) / 1000 };
}

export async function cmdSweep(a: SweepArgs): Promise<void> {
  const plan = sweepPlanFromArgs(a);
  const shard = a.shard === undefined ? undefined : parseShard(a.shard);
  const def = plan.definition;
  const jobs = shard ? shardRuns(plan.runs, shard.k, shard.n) : plan.runs;
  const workers = Math.min(a.workers ?? availableParallelism(), Math.max(1, jobs.length));
  const outDir = a.out ?? join('out', `${def.scenario}-sweep`);
  const label = shard ? `sweep ${def.scenario} shard ${shard.k}/${shard.n}` : `sweep ${def.scenario}`;

  const ex = await execute(plan, jobs, workers, a.quiet, label);
  const complete = ex.outcome === 'done';
  const records = ex.completed.map((c) => c.record);

  // Shards write their share losslessly for `vmsim merge`; a stopped shard names itself partial.
  const shardFile = (partial: boolean): OutFile => {
    const rows = ex.completed;
    const header: ShardHeader = { format: SHARD_FORMAT, fingerprint: plan.fingerprint, k: shard!.k, n: shard!.n, runs: rows.length, ...(partial ? { partial: true as const } : {}), definition: def };
    return { name: shardFileName(shard!.k, shard!.n, partial), content: shardText(header, rows) };
  };

  if (!complete) {
    let written: string[] = [];
    if (ex.done > 0) {
      const why = ex.signal ? `Stopped by ${ex.signal}` : `Stopped by an error: ${ex.error?.message ?? 'unknown'}`;
      written = writeAll(outDir, shard ? [shardFile(true)] : partialFiles(records, def, why));
    }
    if (ex.signal) throw new Interrupted(messages.interrupted(ex.signal, ex.done, jobs.length, written.length ? written : ['(nothing: no run had finished)']), SIGNAL_CODES[ex.signal] ?? 130);
    const err = ex.error!;
    if (written.length > 0) err.message += `; the ${ex.done} completed runs are in ${written.join(', ')} (marked partial)`;
    throw err;
  }

  let written: string[];
  if (shard) {
    written = writeAll(outDir, [shardFile(false)]);
  } else {
    written = writeAll(outDir, await sweepFiles(records, def, { png: a.png }));
    for (const f of PARTIAL_FILES) rmSync(join(outDir, f), { force: true });
  }
  if (!a.quiet) {
    const points = def.runs / def.trials;
    const rate = ex.wall_s > 0 ? ex.done / ex.wall_s : 0;
    process.stdout.write(
      `${ex.done} runs${shard ? ` (shard ${shard.k}/${shard.n} of ${def.runs})` : ` (${points} points × ${def.trials} trials)`} in ` +
        `${ex.wall_s.toFixed(1)} s, ${rate.toFixed(1)} runs/s on ${workers} worker${workers > 1 ? 's' : ''}\n`,
    );
    const charts = written.filter((f) => f.endsWith('.svg')).length;
    const shown = written.filter((f) => !f.includes(`${join(outDir, 'charts')}`));
    process.stdout.write(`wrote ${shown.join(', ')}${charts ? ` and ${charts} charts in ${join(outDir, 'charts')}` : ''}\n`);
  }
}
