// `vmsim sweep`: plan (every point validated before anything runs), run on worker threads with a
// progress display, then write the outputs, or this shard's share of the runs. Ctrl-C (or SIGTERM,
// as a batch system sends at its time limit) stops the workers and keeps the completed runs in
// output marked partial; a second Ctrl-C quits at once.
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { InputError, Interrupted, messages } from '../../errors.js';
import { parseSets } from '../../../scenarios/load.js';
import { execute, read, stopped, type Executed, type Job, type OutputFile, type Plan } from '../../pipeline/index.js';
import { readText, resolveScenario } from '../io/files.js';
import { sweepPolicySet } from '../policy-files.js';
import { intOption, listOption, stringOption, trialsOption, type Args } from '../args.js';
import type { Io } from '../io/io.js';
import { checkOutDir, writeFileAtomic, writeSet } from '../io/output.js';
import { RunPool } from '../pool/pool.js';
import { startProgress } from '../progress.js';
import { parseShard, shardFileName, shardRuns, shardText, SHARD_FORMAT, type ShardHeader } from '../shard.js';
import { planNamedSweep, type FingerprintedPlan } from '../sweep.js';
import { readSweepFile } from '../sweep-file.js';
import { mergeAxes, type AxisText } from '../../experiment/sweep-plan.js';
import { PARTIAL_FILES, partialFiles, sweepFiles } from '../../experiment/sweep-outputs.js';
import { resolveDetailPoint, type DetailChoice } from '../../experiment/detail-point.js';
import { renderPng } from '../png.js';

export interface SweepArgs {
  scenario?: string;
  sweep?: string;
  set: string[];
  /** Policy files (paths from the current folder). */
  policyFiles: string[];
  trials?: number;
  seed?: number;
  workers?: number;
  shard?: string;
  out?: string;
  png: boolean;
  quiet: boolean;
  /** --detail-point PATH=VALUE texts. */
  detail: string[];
}

/** The sweep's arguments from the command line, each checked. */
export function sweepArgs(a: Args): SweepArgs {
  return {
    scenario: stringOption(a, 'scenario'),
    sweep: stringOption(a, 'sweep'),
    set: listOption(a, 'set'),
    policyFiles: listOption(a, 'policy-file'),
    trials: trialsOption(a),
    seed: intOption(a, 'seed', 0),
    workers: intOption(a, 'workers', 1, 256),
    shard: stringOption(a, 'shard'),
    out: stringOption(a, 'out'),
    png: a.png === true,
    quiet: a.quiet === true,
    detail: listOption(a, 'detail-point'),
  };
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

const SIGNAL_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * Build the plan from the sweep file and the flags (flags win), after loading every policy file the
 * sweep names. With one --policy-file and no policy or variant axis, the sweep runs that policy.
 */
export async function sweepPlanFromArgs(a: SweepArgs, cwd: string): Promise<FingerprintedPlan & { detail: DetailChoice[] }> {
  const file = a.sweep === undefined ? undefined : readSweepFile(a.sweep, cwd);
  const fileBase = a.sweep === undefined ? cwd : dirname(resolve(cwd, a.sweep));
  const scenarioArg = a.scenario ?? file?.scenario;
  if (scenarioArg === undefined) throw new InputError(messages.noScenario());
  // A positional scenario never silently replaces the sweep file's (a copied command line would).
  if (a.scenario !== undefined && file?.scenario !== undefined && resolveScenario(a.scenario, cwd).file !== resolveScenario(file.scenario, fileBase).file) {
    throw new InputError(messages.scenarioDisagrees(a.scenario, a.sweep!, file.scenario));
  }
  const cli: AxisText[] = parseSets(a.set).map((o) => ({ path: o.path, spec: o.text }));
  let axes = mergeAxes(file?.axes ?? [], cli);
  const { file: scenarioFile, note } = resolveScenario(scenarioArg, cwd);
  const scenario = read(scenarioFile, readText(scenarioFile, 'scenario file'));
  const policies = await sweepPolicySet({
    scenarioFile,
    doc: scenario.doc,
    axes: axes.map((x) => ({ ...x, base: cli.includes(x) ? cwd : fileBase, confined: !cli.includes(x) })),
    variants: file?.variants ? { doc: file.variants, base: fileBase, file: a.sweep } : undefined,
    files: a.policyFiles.map((text) => ({ text, base: cwd })),
  });
  if (a.policyFiles.length === 1 && !axes.some((x) => x.path === 'policy' || x.path === 'variant')) {
    axes = [...axes, { path: 'policy', spec: a.policyFiles[0], literal: [a.policyFiles[0]] }];
  }
  const plan = planNamedSweep({ scenarioArg, scenario, note, title: file?.title, description: file?.description, variants: file?.variants, sweepFile: a.sweep, axes, trials: a.trials ?? file?.trials, seed: a.seed ?? file?.seed, policies, policyFiles: a.policyFiles });
  // --detail-point on the command line wins over the sweep file's detail_point.
  return { ...plan, detail: a.detail.length > 0 ? a.detail : (file?.detail ?? []) };
}

/** Run the jobs on a pool, with progress, Ctrl-C and SIGTERM cancelling; never throws for a failed run. */
export async function executeOnPool(plan: Plan, jobs: readonly Job[], workers: number, quiet: boolean, label: string, io: Io): Promise<Executed & { signal?: string }> {
  const progress = startProgress({ total: jobs.length, label, quiet, tty: io.tty, write: io.stderr });
  const stop = new AbortController();
  let signal: string | undefined;
  let done = 0;
  const onSignal = (s: NodeJS.Signals): void => {
    if (signal !== undefined) process.exit(SIGNAL_CODES[s] ?? 130);
    signal = s;
    progress.note(`vmsim: ${s}: stopping and writing the ${done} completed runs (again to quit at once)`);
    stop.abort(messages.stoppedBySignal(s));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const ex = await execute(plan, new RunPool(workers), {
      jobs,
      signal: stop.signal,
      onProgress: (n) => progress.update((done = n)),
    });
    return { ...ex, signal };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    progress.stop();
  }
}

export async function cmdSweep(args: Args, io: Io): Promise<void> {
  const a = sweepArgs(args);
  const shard = a.shard === undefined ? undefined : parseShard(a.shard);
  const plan = await sweepPlanFromArgs(a, io.cwd);
  if (plan.note) io.stderr(`vmsim: ${plan.note}\n`);
  const def = plan.definition;
  const jobs = shard ? shardRuns(plan.jobs, shard.k, shard.n) : plan.jobs;
  const workers = Math.min(a.workers ?? availableParallelism(), Math.max(1, jobs.length));
  const out = a.out ?? join('out', `${def.scenario}-sweep`);
  const outDir = checkOutDir(out, io.cwd);
  const label = shard ? `sweep ${def.scenario} shard ${shard.k}/${shard.n}` : `sweep ${def.scenario}`;
  const detail = resolveDetailPoint(plan.detail, def, Object.keys(plan.points[0].params));
  const shown = (paths: readonly string[]): string[] => paths.map((f) => (f.startsWith(outDir) ? join(out, f.slice(outDir.length + 1)) : f));

  const ex = await executeOnPool(plan, jobs, workers, a.quiet, label, io);
  const records = ex.completed.map((c) => c.record);
  const done = ex.completed.length;

  // Shards write their share losslessly for `vmsim merge`; a stopped shard names itself partial.
  const shardFile = (partial: boolean): OutputFile => {
    const rows = ex.completed;
    const header: ShardHeader = { format: SHARD_FORMAT, fingerprint: plan.fingerprint, k: shard!.k, n: shard!.n, runs: rows.length, code: plan.code, ...(partial ? { partial: true as const } : {}), definition: def };
    return { name: shardFileName(shard!.k, shard!.n, partial), content: shardText(header, rows) };
  };

  const writeShard = (f: OutputFile): string[] => {
    writeFileAtomic(join(outDir, f.name), f.content);
    return [join(outDir, f.name)];
  };
  const stop = stopped(ex);
  if (stop !== undefined) {
    const written = stop.keep ? shown(shard ? writeShard(shardFile(true)) : writeSet(outDir, partialFiles(records, def, stop.why))) : [];
    if (ex.outcome === 'cancelled') throw new Interrupted(messages.interrupted(ex.signal!, done, jobs.length, written.length ? written : ['(nothing: no run had finished)']), SIGNAL_CODES[ex.signal!] ?? 130);
    const err = ex.error!;
    if (written.length > 0) err.message += `; the ${done} completed runs are in ${written.join(', ')} (marked partial)`;
    throw err;
  }

  let written: string[];
  if (shard) {
    written = shown(writeShard(shardFile(false)));
  } else {
    written = shown(writeSet(outDir, await sweepFiles(records, def, { png: a.png ? renderPng : undefined, detail }), PARTIAL_FILES));
  }
  if (!a.quiet) {
    const points = def.runs / def.trials;
    const rate = ex.wall_s > 0 ? done / ex.wall_s : 0;
    io.stdout(
      `${plural(done, 'run')}${shard ? ` (shard ${shard.k}/${shard.n} of ${def.runs})` : ` (${plural(points, 'point')} × ${plural(def.trials, 'trial')})`} in ` +
        `${ex.wall_s.toFixed(1)} s, ${rate.toFixed(1)} runs/s on ${workers} worker${workers > 1 ? 's' : ''}\n`,
    );
    const charts = written.filter((f) => f.endsWith('.svg')).length;
    const listed = written.filter((f) => !f.startsWith(join(out, 'charts')));
    io.stdout(`wrote ${listed.join(', ')}${charts ? ` and ${charts} charts in ${join(out, 'charts')}` : ''}\n`);
  }
}
