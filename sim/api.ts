// vmsim as a library, platform-neutral part (`import ... from 'vmsim/core'`; 'vmsim' adds files,
// sweeps on worker threads and writing outputs for Node). Everything here takes text or objects
// and returns records or file contents: no file system, no process, so a browser page can run it.
//
//   const s = loadScenario(yamlText, { set: { 'link.bandwidth': '100Mbit/s' } });
//   const records = run(s, { policy: myPolicy, trials: 3 });
//   for (const f of runFiles(records)) ...   // runs.csv, rounds.csv, ... as text
//
// This file is the whole public surface of the core: what it does not export may change freely.
import { BUILT_IN, PolicySet, preparePolicy, scenarioPolicies } from './choice.js';
import { InputError, messages } from './errors.js';
import type { TransferPolicy } from './policy.js';
import type { RunRecord } from './results/record.js';
import { REMAINING_COLUMNS, ROUND_COLUMNS } from './results/migration-tables.js';
import { runTrials, type Trace } from './trials.js';
import { POLICY_KINDS, checkPolicy, sourceOf } from './user-policy.js';
import { POLICIES } from '../policies/index.js';
import { checkBudget } from '../scenarios/budget.js';
import { loadFromObject, parseDocument, parseSets, type Loaded, type Override } from '../scenarios/load.js';
import { MAX_TRIALS } from '../scenarios/schema-common.js';
import { runsCsv, tablesCsv } from '../reports/csv.js';

// Writing policies: the contract, its contexts, a typed constructor, zod and the field builders.
export { definePolicy, checkPolicy, POLICY_KINDS, type PolicyDefinition } from './user-policy.js';
export { DEMAND, WRITEBACK, type IsrContext } from './kinds/isr/contract.js';
export type { TransferPolicy, PolicyKind, PolicyContexts, ScenarioFacts, OptionProblem, SendHow, PageFormat, StreamHow, PageSend } from './policy.js';
export type { BaseContext } from './kinds/shared/context.js';
export type { MigrationContext } from './kinds/migration/contract.js';
export type { SynthesisContext } from './kinds/synthesis/contract.js';
export type { VdiContext } from './kinds/vdi/contract.js';
export type { ForkContext } from './kinds/fork/contract.js';
export type { Event, Rng, Yieldable } from './engine/index.js';
export type { World, Vm, PageStore, UnitList, Transfer, FaultStream, XbzrleCache, Pipeline, Batch, CompressionMode } from './world/index.js';
export { z } from 'zod';
export { bytes, bitRate, byteRate, duration, fraction, perSecond } from './fields.js';
// Results and errors.
export type { RunRecord, ParamValue, TraceEvent } from './results/record.js';
export type { Scenario, ScenarioKind } from '../scenarios/schema.js';
export { VmsimError, InputError, ModelError, LimitError, PolicyError } from './errors.js';
export { deriveSeed } from './run.js';
export { runsCsv } from '../reports/csv.js';

/** Overrides, as `vmsim --set` takes them: ["link.bandwidth=10Mbit/s"] or { 'link.bandwidth': '10Mbit/s' }. */
export type Overrides = readonly string[] | Readonly<Record<string, string | number | boolean | object>>;

/** A validated scenario and how it was made; pass it to run(), or derive others with withOverrides(). */
export interface LoadedScenario {
  /** The file it came from, or the name given for messages. */
  readonly file: string;
  /** The validated scenario: every quantity in base units (bytes, bit/s, bytes/s, s, fractions). */
  readonly scenario: import('../scenarios/schema.js').Scenario;
  /** The document as written, before overrides. */
  readonly raw: unknown;
  readonly overrides: readonly Override[];
  /** The overridden fields as output columns, units in the names (link.bandwidth_bps). */
  readonly params: Readonly<Record<string, string | number | boolean>>;
}

/** The policies a run of this scenario may use: built in, its policy files, and `extra`. */
function policiesOf(s: LoadedScenario, extra: readonly TransferPolicy[] = []): PolicySet {
  const set = (scenarioPolicies.get(s) ?? BUILT_IN).copy();
  for (const p of extra) {
    const file = sourceOf(p);
    checkPolicy(p, file ?? `the policy${typeof p?.name === 'string' ? ` "${p.name}"` : ''} given to the API`);
    if (file !== undefined) set.addFile(p, file);
    else set.add(p, `the policy "${p.name}" given to the API`);
  }
  return set;
}

function overrideList(set: Overrides | undefined): Override[] {
  if (set === undefined) return [];
  if (Array.isArray(set)) return parseSets(set as readonly string[]);
  return Object.entries(set).map(([path, v]) => ({ path, text: typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v) }));
}

/**
 * A scenario from YAML or JSON text, or from an object shaped like a scenario file (quantities as
 * strings with units), with overrides; validated. `file` names it in error messages.
 */
export function loadScenario(input: string | object, opts: { file?: string; set?: Overrides } = {}): LoadedScenario {
  const file = opts.file ?? 'scenario';
  const doc = typeof input === 'string' ? parseDocument(input, file) : input;
  return loadFromObject(file, doc, overrideList(opts.set));
}

/** The same scenario with more overrides (later ones win), validated again. */
export function withOverrides(s: LoadedScenario, set: Overrides): LoadedScenario {
  const next = loadFromObject(s.file, s.raw, [...s.overrides, ...overrideList(set)]);
  const policies = scenarioPolicies.get(s);
  if (policies !== undefined) scenarioPolicies.set(next, policies);
  return next;
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
export interface Validated {
  variant: string;
  policy: TransferPolicy;
  options: unknown;
}

function prepare(s: LoadedScenario, opts: RunOptions) {
  const extra = [...(opts.policies ?? []), ...(typeof opts.policy === 'object' ? [opts.policy] : [])];
  const set = policiesOf(s, extra);
  const name = typeof opts.policy === 'object' ? opts.policy.name : opts.policy;
  const prepared = preparePolicy(s as Loaded, name, name === undefined ? 'file' : 'the policy option', set);
  checkBudget(s.scenario, s.file);
  return prepared;
}

/** Check everything a run would check (policy, options, the memory budget) without running. */
export function validate(s: LoadedScenario, opts: Pick<RunOptions, 'policy' | 'policies'> = {}): Validated {
  const { variant, policy, options } = prepare(s, opts);
  return { variant, policy, options };
}

/** Run every trial of the scenario; the records in trial order. Same inputs, same records. */
export function run(s: LoadedScenario, opts: RunOptions = {}): RunRecord[] {
  const prepared = prepare(s, opts);
  const trials = opts.trials ?? s.scenario.trials;
  if (!Number.isSafeInteger(trials) || trials < 1 || trials > MAX_TRIALS) {
    throw new InputError(messages.inField('run()', 'trials', `expected a whole number from 1 to ${MAX_TRIALS}, got ${String(trials)}`));
  }
  return runTrials({ file: s.file, scenario: s.scenario, ...prepared }, opts.seed ?? s.scenario.seed, trials, opts.trace);
}

/** The built-in policies (of one scenario kind, if given). */
export function listPolicies(kind?: string): readonly TransferPolicy[] {
  return kind === undefined ? POLICIES : POLICIES.filter((p) => p.kind === kind);
}

/** The scenario kinds: each has its own policies and context. */
export const scenarioKinds: readonly string[] = POLICY_KINDS;

/** A file an output set holds: a path inside the output folder and its content. */
export interface OutputFile {
  name: string;
  content: string | Uint8Array;
}

/** The files `vmsim run` writes for these records: runs.csv and each per-run table (rounds.csv, ...). */
export function runFiles(records: readonly RunRecord[]): OutputFile[] {
  const tables = tablesCsv(records, { rounds: ROUND_COLUMNS, remaining: REMAINING_COLUMNS });
  return [{ name: 'runs.csv', content: runsCsv(records) }, ...tables.map((t) => ({ name: `${t.name}.csv`, content: t.csv }))];
}
