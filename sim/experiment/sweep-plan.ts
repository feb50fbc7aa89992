// Planning a sweep, from the scenario's text: expand the axes into grid points, validate every point
// up front (so bad input fails before anything runs or is written), and list the runs with their
// keys and seeds. Platform-neutral: the CLI (sim/cli/sweep.ts) reads the file and adds the shards'
// fingerprint; the explorer page (sim/web) hands in the text from its editor.
//
// Keys and seeds. A run's key is its identity: the policy, every parameter column with its value,
// and the trial ("policy=precopy; link.bandwidth_bps=64000; trial=3"). Rows are ordered by grid
// index then trial, merged shards are checked against the keys, and the key never depends on a
// run's position. The seed of trial k is deriveSeed(base seed, "trial:k"), exactly as `vmsim run`
// does: every policy and every parameter point sees the same random numbers in trial k (common
// random numbers), so differences between points come from the parameters, not from noise, and a
// sweep row equals the row `vmsim run --set ...` gives for the same point.
import YAML from 'yaml';
import { fieldsAt, schemaFor, textOverride } from '../../scenarios/load.js';
import { InputError, closest, messages } from '../errors.js';
import { schemaAt, unitAt } from '../fields.js';
import { BUILT_IN, PolicySet } from '../policy-set.js';
import { load, type Read } from '../pipeline/load.js';
import { resolve } from '../pipeline/resolve.js';
import { ownPolicy, runsOwnDefaults } from '../choice.js';
import { jobsOf, pointKey, pointOf, type Plan, type Point } from '../pipeline/plan.js';
import { MAX_RUNS, gridPoints, parseAxis, type Axis, type AxisPoints } from './grid.js';
import { isDrawnIn } from '../../scenarios/ranges.js';
import { isDistributionText } from '../distribution.js';

/** An axis as the user wrote it, before expansion. */
export interface AxisText {
  path: string;
  /** The axis in --set syntax. */
  spec: string;
  /** Values given one by one (a YAML list): taken literally, never split or expanded. */
  literal?: string[];
  /** The values themselves when code gave them (the API), one per `literal` text: never read from text. */
  given?: readonly unknown[];
}

export interface SweepSpec {
  /** The scenario as the user named it (a shipped name or a path), for the reproducing command. */
  scenarioArg: string;
  /** The scenario file (for messages), its text and its document, read once. */
  scenario: Read;
  /** Variants declared in the sweep file, added to the scenario's. */
  variants?: Record<string, unknown>;
  /** The sweep file as the user named it, for the command line that reproduces the sweep. */
  sweepFile?: string;
  /** The policies the sweep may use (built-in, and loaded from the user's files). */
  policies?: PolicySet;
  /** Policy files as given on the command line (`--policy-file`), for the reproducing command. */
  policyFiles?: readonly string[];
  axes: readonly AxisText[];
  trials?: number;
  seed?: number | string;
  /** The experiment's own title and description (a sweep file's), for the report. */
  title?: string;
  description?: string;
}

/** Everything that defines a sweep's results (and nothing that does not: workers, shards, output). */
export interface SweepDefinition {
  scenario: string;
  /** The experiment's own title, when it has one (the report's title; else the scenario's name). */
  title?: string;
  /** The experiment's own description, else the base scenario's with the values the sweep fixes. */
  description: string;
  kind: string;
  scenarioArg: string;
  /** The scenario file's text, shown in the report. */
  scenarioText: string;
  axes: Axis[];
  trials: number;
  seed: number | string;
  /** Variants a sweep file added to the scenario's (YAML), when it did: they define results too. */
  variants?: string;
  /** A command line that reproduces these results. */
  command: string;
  runs: number;
}

export interface SweepPlan extends Plan {
  definition: SweepDefinition;
}

/** Fields that are settings of the sweep itself, not scenario parameters. */
const NOT_AXES: Record<string, string> = {
  seed: 'the base seed is a sweep setting: use --seed',
  trials: 'the trial count is a sweep setting: use --trials',
};

const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
export const shellQuote = (s: string): string => (SAFE_WORD.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The unit of the field at a path: the scenario's, or for `options.X` the first of the sweep's policies that has X. */
function unitResolver(raw: unknown, policyNames: readonly string[], set: PolicySet): (path: string) => string | undefined {
  const doc = (raw ?? {}) as { variants?: Record<string, { policy?: unknown }> };
  const fromVariants = Object.values(doc.variants ?? {}).map((v) => v?.policy).filter((p): p is string => typeof p === 'string');
  const names = [...policyNames, ...fromVariants];
  const schema = schemaFor(raw);
  return (path) => {
    if (!path.startsWith('options.')) return unitAt(schema, path);
    const sub = path.slice('options.'.length);
    for (const name of names) {
      const schema = set.find(name)?.options;
      if (schema === undefined) continue; // an unknown policy is reported when its point is validated
      const unit = unitAt(schema, sub);
      if (unit !== undefined) return unit;
    }
    return undefined;
  };
}

/** Read every axis, the policy axis first: its values (or the scenario's policy) tell the units of option axes. */
function readAxes(texts: readonly AxisText[], raw: unknown, file: string, policies: PolicySet): AxisPoints[] {
  const policyText = texts.find((a) => a.path === 'policy');
  const policyAxis = policyText && readAxis(policyText, raw, file, () => undefined);
  const policy = (raw as { policy?: unknown } | null)?.policy;
  const unitOf = unitResolver(raw, policyAxis ? policyAxis.values : typeof policy === 'string' ? [policy] : [], policies);
  return texts.map((a) => (a === policyText ? policyAxis! : readAxis(a, raw, file, unitOf)));
}

/** Expand the axes, then load and resolve every grid point (all of them, before anything runs). */
export function planSweep(spec: SweepSpec): SweepPlan {
  const { file, text: scenarioText, doc: parsed } = spec.scenario;
  const policies = spec.policies ?? BUILT_IN;
  const raw = spec.variants === undefined || parsed === null || typeof parsed !== 'object' ? parsed : { ...(parsed as object), variants: { ...((parsed as { variants?: object }).variants ?? {}), ...spec.variants } };
  const axes = readAxes(spec.axes, raw, file, policies);
  for (const a of axes) {
    const drawn = a.overrides.some((o) => isDistributionText(o.value)) || isDrawnIn(raw, a.path);
    if (drawn && a.overrides.length > 1) throw new InputError(messages.badAxis(a.path, a.spec, messages.distributionOnAxis(a.path)));
  }
  const points: Point[] = [];
  const seen = new Set<string>();
  let trials = 0;
  let seed: number | string = 0;
  for (const overrides of gridPoints(axes)) {
    const resolved = resolve(load({ file, doc: raw }, overrides, policies), { trials: spec.trials, seed: spec.seed });
    const point = pointOf(resolved);
    const key = pointKey(point);
    // An option axis applies to the variants whose policy has the option; for the others its values
    // give the same point again, which is run once.
    if (seen.has(key) && resolved.ignored.length > 0) continue;
    if (seen.has(key)) throw new InputError(messages.duplicatePoint(key));
    if (points.length === 0) ({ trials, seed } = resolved);
    seen.add(key);
    points.push(point);
  }
  for (const a of axes) {
    const applies = (p: Point): boolean => Object.keys(p.params).some((c) => c === a.path || c.startsWith(`${a.path}_`)) || (p.optionRanges?.fields.some((f) => f.name === a.path) ?? false);
    if (a.path.startsWith('options.') && !points.some(applies)) {
      throw new InputError(messages.optionAppliesToNone(a.path, [...new Set(points.map((p) => `${p.variant} (${p.policy})`))]));
    }
  }
  if (points.length * trials > MAX_RUNS) throw new InputError(messages.tooManyRuns(points.length, trials, MAX_RUNS));
  const jobs = jobsOf(points, trials, seed);
  const first = points[0].scenario;
  const definition: SweepDefinition = {
    scenario: first.name,
    ...(spec.title === undefined ? {} : { title: spec.title }),
    description: withOptions(spec.description ?? baseWithChanges(first.description, axes), raw, points, policies),
    kind: first.kind,
    scenarioArg: spec.scenarioArg,
    scenarioText,
    axes: axes.map(({ path, spec, values }) => ({ path, spec, values })),
    trials,
    seed,
    ...(spec.variants === undefined ? {} : { variants: YAML.stringify({ variants: spec.variants }) }),
    command: sweepCommand({ ...spec, axes, trials, seed }),
    runs: jobs.length,
  };
  return { definition, points, jobs, policies };
}

/** The base scenario's description, saying which of its values the sweep replaced with one value. */
function baseWithChanges(description: string, axes: readonly Axis[]): string {
  const fixed = axes.filter((a) => a.values.length === 1 && !FREE_TEXT.has(a.path));
  return fixed.length === 0 ? description : messages.baseWithChanges(description, fixed.map((a) => `${a.path}=${a.values[0]}`));
}

/** The description, saying which policies ran with their own defaults rather than the scenario's options (when it has any). */
function withOptions(description: string, raw: unknown, points: readonly Point[], policies: PolicySet): string {
  const given = (raw as { options?: unknown } | null)?.options;
  if (given === null || typeof given !== 'object' || Object.keys(given).length === 0) return description;
  const own = ownPolicy(raw, policies);
  const others = [...new Set(points.filter((p) => p.variant === p.policy && runsOwnDefaults(policies.find(p.policy)!, { scenario: p.scenario, raw }, policies)).map((p) => p.policy))];
  return others.length === 0 || own === undefined ? description : `${description}. ${messages.ownDefaults(others, own)}`;
}

/** Fields of free text (a name is a short identifier, a title belongs to the sweep): a comma in them is text, never a second point. */
const FREE_TEXT = new Set(['description']);

/** An axis as written, checked and expanded (a range's points in its field's unit). */
function readAxis(a: AxisText, raw: unknown, file: string, unitOf: (path: string) => string | undefined): AxisPoints {
  if (NOT_AXES[a.path]) throw new InputError(messages.badAxis(a.path, a.spec, NOT_AXES[a.path]));
  if (FREE_TEXT.has(a.path)) {
    if (a.literal !== undefined && a.literal.length !== 1) throw new InputError(messages.badAxis(a.path, a.spec, messages.freeTextAxis()));
    const text = a.literal?.[0] ?? a.spec;
    return { path: a.path, spec: a.spec, values: [text], overrides: [{ path: a.path, text, value: a.given?.[0] ?? text }] };
  }
  const kindSchema = schemaFor(raw);
  if (schemaAt(kindSchema, a.path) === undefined) {
    const keys = a.path.split('.');
    const parent = keys.slice(0, -1).join('.');
    const guess = closest(keys[keys.length - 1], fieldsAt(kindSchema, parent));
    throw new InputError(messages.unknownSetPath(a.path, file, guess === undefined ? undefined : parent ? `${parent}.${guess}` : guess));
  }
  if (a.literal === undefined) return parseAxis(a.path, a.spec, unitOf(a.path));
  const overrides = a.literal.map((text, k) => (a.given === undefined ? textOverride(a.path, text) : { path: a.path, text, value: a.given[k] }));
  return { path: a.path, spec: a.spec, values: [...a.literal], overrides };
}

/** The command line that reproduces a sweep: `vmsim sweep SCENARIO --set PATH=AXIS ... --trials N --seed S`. */
export function sweepCommand(s: Pick<SweepSpec, 'scenarioArg' | 'sweepFile' | 'variants' | 'policyFiles'> & { axes: readonly Pick<AxisText, 'path' | 'spec'>[]; trials: number; seed: number | string }): string {
  return [
    'vmsim sweep',
    ...(s.sweepFile !== undefined && s.variants !== undefined ? [`--sweep ${shellQuote(s.sweepFile)}`] : []),
    shellQuote(s.scenarioArg),
    ...(s.policyFiles ?? []).map((f) => `--policy-file ${shellQuote(f)}`),
    ...s.axes.map((a) => `--set ${shellQuote(`${a.path}=${a.spec}`)}`),
    `--trials ${s.trials}`,
    `--seed ${shellQuote(String(s.seed))}`,
  ].join(' ');
}

/** Axes given twice (a sweep file's, then the command line's): a later axis for a path replaces the earlier in place. */
export function mergeAxes(first: readonly AxisText[], then: readonly AxisText[]): AxisText[] {
  const out = [...first];
  for (const a of then) {
    const i = out.findIndex((x) => x.path === a.path);
    if (i >= 0) out[i] = a;
    else out.push(a);
  }
  return out;
}
