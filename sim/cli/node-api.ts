// vmsim as a library in Node (`import ... from 'vmsim'`): the platform-neutral core (sim/api.ts)
// plus what needs the platform: scenario and policy files, sweeps on worker threads, writing the
// standard outputs. It is a composition root like the CLI, and the CLI's own machinery does the work,
// so a script gets exactly what `vmsim run` and `vmsim sweep` give.
//
//   import { loadScenarioFile, loadPolicyFile, run, sweep, writeRun } from 'vmsim';
//   const s = await loadScenarioFile('stop-and-copy', { set: { 'vm.memory': '512MiB' } });
//   const mine = await loadPolicyFile('./my-policy.js');
//   writeRun('out/mine', run(s, { policy: mine, trials: 3 }));
//
// This file is the whole public surface of the package: what it does not export may change freely.
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { PolicySet } from '../policy-set.js';
import { InputError, messages } from '../errors.js';
import type { TransferPolicy } from '../policy.js';
import type { RunRecord } from '../results/record.js';
import { checkPolicy } from '../user-policy.js';
import { parseSets } from '../../scenarios/load.js';
import { InThread, execute, givenOverride, overridesOf, read, runFiles, type Loaded, type Overrides } from '../pipeline/index.js';
import type { AxisText, SweepDefinition } from '../experiment/sweep-plan.js';
import { readText, resolveScenario, shippedScenarios as shipped } from './io/files.js';
import { checkOutDir, writeSet } from './io/output.js';
import { loadPolicyFile as loadFile, loadScenarioAndPolicies, sweepPolicySet } from './policy-files.js';
import { RunPool } from './pool/pool.js';
import { planNamedSweep } from './sweep.js';
import { PARTIAL_FILES, sweepFiles } from '../experiment/sweep-outputs.js';
import { renderPng } from './png.js';
import { loadedArg, optionsArg, recordsArg, seedArg, shown, trialsArg, typed } from '../api-args.js';
// Installs the max_wall watchdog: a library user's runs are bounded as the CLI's are.
import './watchdog.js';

export * from '../api.js';
export type { SweepDefinition } from '../experiment/sweep-plan.js';

/** The scenarios shipped with vmsim (`vmsim scenarios`): name, kind, description and file. */
export function shippedScenarios(): Array<{ name: string; kind: string; description: string; file: string }> {
  return shipped();
}

/**
 * A scenario file (YAML or JSON) or a shipped scenario by name, with overrides, validated; the
 * policy files it names (`policy: ./mine.js`, in variants too) are loaded and go with it to run().
 */
export async function loadScenarioFile(nameOrPath: string, opts: { set?: Overrides; cwd?: string } = {}): Promise<Loaded> {
  const o = optionsArg<{ set?: Overrides; cwd?: string }>('loadScenarioFile()', opts);
  typed('loadScenarioFile()', 'the scenario', nameOrPath, ['string'], 'a file path or a shipped scenario name');
  typed('loadScenarioFile()', 'set', o.set, ['object', 'array'], 'an object of PATH: VALUE or an array of "PATH=VALUE"');
  typed('loadScenarioFile()', 'cwd', o.cwd, ['string'], 'a folder path');
  opts = o;
  const { note: _note, text: _text, ...loaded } = await loadScenarioAndPolicies(nameOrPath, overridesOf(opts.set), opts.cwd ?? process.cwd());
  return loaded;
}

/** A policy file: an ES module whose default export is a policy, checked like a built-in one. */
export async function loadPolicyFile(path: string, opts: { cwd?: string } = {}): Promise<TransferPolicy> {
  opts = optionsArg<{ cwd?: string }>('loadPolicyFile()', opts);
  if (typeof path !== 'string' || path === '') throw new InputError(messages.apiArgument('loadPolicyFile()', 'the path', 'the path of a policy file', shown(path)));
  typed('loadPolicyFile()', 'cwd', opts.cwd, ['string'], 'a folder path');
  return loadFile(resolve(opts.cwd ?? process.cwd(), path));
}

export interface SweepOptions {
  /**
   * The grid's axes, first outermost, as `vmsim sweep --set` takes them: { 'link.bandwidth':
   * '1Mbit/s..1Gbit/s:log:10', policy: ['precopy', './mine.js'] } (a list: literal values) or
   * ["link.bandwidth=1Mbit/s..1Gbit/s:log:10"].
   */
  set?: Readonly<Record<string, string | readonly (string | number | boolean)[]>> | readonly string[];
  trials?: number;
  seed?: number | string;
  /** Policies of your own: policy objects, or paths of policy files (from `cwd`). */
  policies?: ReadonlyArray<TransferPolicy | string>;
  /** Worker threads (default: one per core). A sweep with policy objects runs in this thread (threads cannot share functions); records are the same either way. */
  workers?: number;
  /** The folder relative paths are read from (default: the process's). */
  cwd?: string;
}

export interface SweepResult {
  /** One record per run, in grid order (point, then trial). */
  records: RunRecord[];
  /** The sweep's scenario, axes, trials, seed and a command line that reproduces it. */
  definition: SweepDefinition;
}

function axesOf(set: SweepOptions['set']): AxisText[] {
  if (set === undefined) return [];
  if (Array.isArray(set)) return parseSets(set as readonly string[]).map((o) => ({ path: o.path, spec: o.text }));
  return Object.entries(set as Record<string, string | readonly (string | number | boolean)[]>).map(([path, v]) =>
    Array.isArray(v) ? { path, spec: v.map(String).join(','), literal: v.map(String), given: v.map((x) => givenOverride(path, x).value) } : { path, spec: String(v) },
  );
}

/** Run a scenario over a grid of parameters, as `vmsim sweep` does: the records in grid order. */
export async function sweep(scenario: string | Loaded, opts: SweepOptions = {}): Promise<SweepResult> {
  opts = optionsArg<SweepOptions>('sweep()', opts);
  if (typeof scenario !== 'string') loadedArg('sweep()', scenario, 'a shipped name, a file path or a scenario from loadScenario() or loadScenarioFile()');
  typed('sweep()', 'set', opts.set, ['object', 'array'], 'an object of PATH: AXIS or an array of "PATH=AXIS"');
  typed('sweep()', 'policies', opts.policies, ['array'], 'an array of policy objects or paths');
  typed('sweep()', 'cwd', opts.cwd, ['string'], 'a folder path');
  trialsArg('sweep()', opts.trials);
  seedArg('sweep()', opts.seed);
  const cwd = opts.cwd ?? process.cwd();
  const objects = (opts.policies ?? []).filter((p): p is TransferPolicy => typeof p !== 'string');
  const files = (opts.policies ?? []).filter((p): p is string => typeof p === 'string');
  let scenarioArg: string;
  let source: { file: string; text: string; doc: unknown };
  // A loaded scenario's overrides stay fixed overrides of every point (literal values, still columns).
  const fixed: AxisText[] = [];
  if (typeof scenario === 'string') {
    scenarioArg = scenario;
    const file = resolveScenario(scenario, cwd).file;
    source = read(file, readText(file, 'scenario file'));
  } else {
    scenarioArg = scenario.file;
    let isFile = false;
    try {
      isFile = resolveScenario(scenario.file, cwd).file === resolve(cwd, scenario.file);
    } catch {
      /* a scenario given as text or an object */
    }
    // The report shows the scenario's text: a file's own, or the document as JSON.
    source = { file: scenario.file, text: isFile ? readText(resolve(cwd, scenario.file), 'scenario file') : JSON.stringify(scenario.raw, null, 2), doc: scenario.raw };
    for (const o of scenario.overrides) fixed.push({ path: o.path, spec: o.text, literal: [o.text], given: [o.value] });
  }
  const axes = [...fixed, ...axesOf(opts.set)];
  const start = typeof scenario === 'string' ? undefined : scenario.policies;
  const set = await sweepPolicySet({ scenarioFile: source.file, doc: source.doc, axes: axes.map((a) => ({ ...a, base: cwd })), files: files.map((text) => ({ text, base: cwd })) }, start ?? new PolicySet());
  for (const p of objects) set.add(checkPolicy(p, `the policy${typeof p?.name === 'string' ? ` "${p.name}"` : ''} given to sweep()`), `the policy "${p.name}" given to sweep()`);
  const plan = planNamedSweep({ scenarioArg, scenario: source, axes, trials: opts.trials, seed: opts.seed, policies: set });
  const workers = opts.workers ?? availableParallelism();
  if (!Number.isSafeInteger(workers) || workers < 1) throw new InputError(messages.inField('sweep()', 'workers', messages.wholeAtLeastOne(workers)));
  // Policy objects cannot cross to worker threads: a sweep with any runs in this thread.
  const ex = await execute(plan, objects.length > 0 ? new InThread() : new RunPool(workers));
  if (ex.outcome !== 'done') throw ex.error!;
  return { records: ex.completed.map((c) => c.record), definition: plan.definition };
}

/**
 * Write the files `vmsim run` writes (runs.csv, rounds.csv, ...) into `dir`, replacing the folder as
 * a whole (docs/cli.md: Outputs). The paths written.
 */
export function writeRun(dir: string, records: readonly RunRecord[], opts: { cwd?: string } = {}): string[] {
  opts = optionsArg<{ cwd?: string }>('writeRun()', opts);
  typed('writeRun()', 'the folder', dir, ['string'], 'a folder path');
  recordsArg('writeRun()', records);
  const abs = checkOutDir(dir, opts.cwd ?? process.cwd(), 'writeRun()');
  return writeSet(abs, runFiles(records));
}

/** Write the files `vmsim sweep` writes (runs.csv, aggregate.csv, tables/, charts/, report.html) into `dir`. */
export async function writeSweep(dir: string, result: SweepResult, opts: { png?: boolean; cwd?: string } = {}): Promise<string[]> {
  opts = optionsArg<{ png?: boolean; cwd?: string }>('writeSweep()', opts);
  typed('writeSweep()', 'the folder', dir, ['string'], 'a folder path');
  if (typeof result !== 'object' || result === null || typeof result.definition !== 'object' || result.definition === null) {
    throw new InputError(messages.apiArgument('writeSweep()', 'the result', 'what sweep() returned ({ records, definition })', shown(result)));
  }
  recordsArg('writeSweep()', result.records, { nonEmpty: true });
  const abs = checkOutDir(dir, opts.cwd ?? process.cwd(), 'writeSweep()');
  return writeSet(abs, await sweepFiles(result.records, result.definition, { png: opts.png ? renderPng : undefined }), PARTIAL_FILES);
}
