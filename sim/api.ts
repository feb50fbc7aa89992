// vmsim as a library, platform-neutral part (`import ... from 'vmsim/core'`; 'vmsim' adds files,
// sweeps on worker threads and writing outputs for Node). Everything here takes text or objects
// and returns records or file contents: no file system, no process, so a browser page can run it.
//
//   const s = loadScenario(yamlText, { set: { 'link.bandwidth': '100Mbit/s' } });
//   const records = run(s, { policy: myPolicy, trials: 3 });
//   for (const f of runFiles(records)) ...   // runs.csv, rounds.csv, ... as text
//
// This file is the whole public surface of the core: what it does not export may change freely.
import type { PolicySet } from './policy-set.js';
import type { TransferPolicy } from './policy.js';
import type { RunRecord } from './results/record.js';
import type { Trace } from './pipeline/index.js';
import { POLICY_KINDS, checkPolicy, sourceOf } from './user-policy.js';
import { POLICIES } from '../policies/index.js';
import { InThread, load, overridesOf, planRun, read, reload, resolve, runFiles as filesOf, type Loaded, type OutputFile, type Overrides, type Resolved } from './pipeline/index.js';
import { loadedArg, optionsArg, recordsArg, seedArg, trialsArg, treeArg, typed } from './api-args.js';
import { runsCsv as csvOf } from '../reports/csv.js';

// Writing policies: the contract, its contexts, a typed constructor, zod and the field builders.
export { definePolicy, checkPolicy, POLICY_KINDS, type PolicyDefinition } from './user-policy.js';
export { DEMAND, WRITEBACK, type IsrContext } from './kinds/isr/contract.js';
export type { TransferPolicy, PolicyKind, PolicyContexts, ScenarioFacts, OptionProblem, SendHow, PageFormat, StreamHow, PageSend } from './policy.js';
export type { BaseContext } from './kinds/shared/context.js';
export type { MigrationContext } from './kinds/migration/contract.js';
export type { SynthesisContext } from './kinds/synthesis/contract.js';
export type { VdiContext } from './kinds/vdi/contract.js';
export type { ForkContext } from './kinds/fork/contract.js';
export type { ClusterContext, PendingMigration, MigrationRun, MigrationOutcome } from './kinds/cluster/contract.js';
export type { Event, Rng, Yieldable } from './engine/index.js';
export type { World, Vm, PageStore, UnitList, Transfer, FaultStream, XbzrleCache, Pipeline, Batch, CompressionMode } from './world/index.js';
export { z } from 'zod';
export { bytes, bitRate, byteRate, duration, fraction, perSecond } from './fields.js';
// Results and errors.
export type { RunRecord, ParamValue, TraceEvent } from './results/record.js';
export type { Scenario, ScenarioKind } from '../scenarios/schema.js';
export { VmsimError, InputError, ModelError, LimitError, PolicyError } from './errors.js';
export { deriveSeed } from './run.js';
export type { OutputFile, Loaded, Overrides } from './pipeline/index.js';

/** runs.csv of these records (one row per run). Throws InputError unless given run records. */
export function runsCsv(records: readonly RunRecord[]): string {
  return csvOf(recordsArg('runsCsv()', records));
}

/** The files `vmsim run` writes, as text. Throws InputError unless given run records. */
export function runFiles(records: readonly RunRecord[]): OutputFile[] {
  return filesOf(recordsArg('runFiles()', records));
}


/** The policies a run of this scenario may use: built in, its policy files, and `extra`. */
function policiesOf(s: Loaded, extra: readonly TransferPolicy[]): PolicySet {
  if (extra.length === 0) return s.policies;
  const set = s.policies.copy();
  for (const p of extra) {
    const file = sourceOf(p);
    checkPolicy(p, file ?? `the policy${typeof p?.name === 'string' ? ` "${p.name}"` : ''} given to the API`);
    if (file !== undefined) set.addFile(p, file);
    else set.add(p, `the policy "${p.name}" given to the API`);
  }
  return set;
}

/**
 * A scenario from YAML or JSON text, or from an object shaped like a scenario file (quantities as
 * strings with units), with overrides; validated. `file` names it in error messages.
 */
export function loadScenario(input: string | object, opts: { file?: string; set?: Overrides } = {}): Loaded {
  const o = optionsArg<{ file?: string; set?: Overrides }>('loadScenario()', opts);
  typed('loadScenario()', 'file', o.file, ['string'], 'a string');
  typed('loadScenario()', 'set', o.set, ['object', 'array'], 'an object of PATH: VALUE or an array of "PATH=VALUE"');
  if (typeof input !== 'string') treeArg('loadScenario()', input);
  const file = o.file ?? 'scenario';
  return load(typeof input === 'string' ? read(file, input) : { file, doc: input }, overridesOf(o.set));
}

/** The same scenario with more overrides (later ones win), validated again. */
export function withOverrides(s: Loaded, set: Overrides): Loaded {
  typed('withOverrides()', 'set', set, ['object', 'array'], 'an object of PATH: VALUE or an array of "PATH=VALUE"');
  return reload(loadedArg('withOverrides()', s), overridesOf(set));
}

export interface RunOptions {
  /** Run this policy instead of the scenario's: a name (built in, or one of `policies`) or a policy. */
  policy?: string | TransferPolicy;
  /** Policies of your own that the scenario, its variants or `policy` may name. */
  policies?: readonly TransferPolicy[];
  /** Seeded trials (default: the scenario's). */
  trials?: number;
  /** Base seed (default: the scenario's); trial k runs with deriveSeed(seed, "trial:k"). */
  seed?: number | string;
  /** Every world event of every trial. */
  trace?: Trace;
}

/** What a scenario would run: the variant's name, the policy and its validated options. */
export type Validated = Pick<Resolved, 'variant' | 'policy' | 'options'>;

/** The scenario and options, checked as the CLI checks its arguments (InputError naming `fn`). */
function checked(fn: string, s: unknown, given: unknown): { s: Loaded; opts: RunOptions } {
  const opts = optionsArg<RunOptions>(fn, given);
  typed(fn, 'policy', opts.policy, ['string', 'object'], "a policy's name, a path or a policy object");
  typed(fn, 'policies', opts.policies, ['array'], 'an array of policy objects');
  typed(fn, 'trace', opts.trace, ['function'], 'a function');
  trialsArg(fn, opts.trials);
  seedArg(fn, opts.seed);
  return { s: loadedArg(fn, s), opts };
}

function resolved(s: Loaded, opts: RunOptions): Resolved {
  const extra = [...(opts.policies ?? []), ...(typeof opts.policy === 'object' ? [opts.policy] : [])];
  const name = typeof opts.policy === 'object' ? opts.policy.name : opts.policy;
  return resolve(s, { policy: name, source: name === undefined ? 'file' : 'the policy option', policies: policiesOf(s, extra), trials: opts.trials, seed: opts.seed, caller: 'run()' });
}

/** Check everything a run would check (policy, options, the memory budget) without running. */
export function validate(s: Loaded, opts: Pick<RunOptions, 'policy' | 'policies'> = {}): Validated {
  const c = checked('validate()', s, opts);
  const { variant, policy, options } = resolved(c.s, c.opts);
  return { variant, policy, options };
}

/** Run every trial of the scenario; the records in trial order. Same inputs, same records. */
export function run(s: Loaded, opts: RunOptions = {}): RunRecord[] {
  const c = checked('run()', s, opts);
  return new InThread({ trace: c.opts.trace }).runSync(planRun(resolved(c.s, c.opts)));
}

/** The built-in policies (of one scenario kind, if given). */
export function listPolicies(kind?: string): readonly TransferPolicy[] {
  typed('listPolicies()', 'kind', kind, ['string'], `one of ${POLICY_KINDS.join(', ')}`);
  return kind === undefined ? POLICIES : POLICIES.filter((p) => p.kind === kind);
}

/** The scenario kinds: each has its own policies and context. */
export const scenarioKinds: readonly string[] = POLICY_KINDS;
