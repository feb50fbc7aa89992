// Which policy a run uses, with which options, under which name. A scenario names a policy and its
// options, or selects one of its `variants` (a named policy plus options); `--policy` and `--set
// policy=` replace the policy (one other than the scenario's own runs with its own defaults unless
// it takes all of the scenario's options, which were written for the scenario's policy), `--set options.X=` overrides an option. Everything here is resolved
// once, before any run, into the (policy, options) pair runOne takes and the variant name that
// travels in every record, so a bad choice is an error naming where it came from.
import { InputError, byCloseness, closest, messages } from './errors.js';
import { columnName, schemaAt, unitAt } from './fields.js';
import type { OptionProblem, TransferPolicy } from './policy.js';
import { factsOf } from './kinds/index.js';
import { isPolicyPath } from './user-policy.js';
import { BUILT_IN, type PolicySet } from './policy-set.js';
import type { Loaded } from './pipeline/load.js';
import type { ParamValue } from './results/record.js';
import { parseOrThrow, type Override } from '../scenarios/load.js';

/**
 * Where a policy name came from, for messages: the scenario file's `policy` field, another field of
 * it, `--set policy`, or any other flag or argument named as it is (`--policy`, `--policy-file`).
 */
export type PolicySource = 'file' | '--set' | `field ${string}` | (string & {});

/** The policy of this name for the scenario's kind, or an InputError naming where the name came from. */
export function policyFor(loaded: Pick<Loaded, 'file' | 'scenario'>, name: string, source: PolicySource, set: PolicySet = BUILT_IN): TransferPolicy {
  const { scenario, file } = loaded;
  const where = source === 'file' ? `${file}, field policy` : source.startsWith('field ') ? `${file}, ${source}` : source === '--set' ? '--set policy' : source;
  const ofKind = set.ofKind(scenario.kind).map((p) => p.name);
  const p = set.find(name);
  if (p === undefined && isPolicyPath(name)) throw new InputError(messages.policyFileNotLoaded(where, name), { file, path: 'policy' });
  if (p === undefined) throw new InputError(messages.unknownPolicyOfKind(where, name, scenario.kind, byCloseness(name, ofKind)), { file, path: 'policy' });
  if (p.kind !== scenario.kind) throw new InputError(messages.policyKindAt(where, p.name, p.kind, scenario.kind, ofKind), { file, path: 'policy' });
  return p;
}

/** A scenario's policy choice, resolved. */
export interface Choice {
  /** The name runs carry: the variant's, or the policy's when no variant is chosen. */
  variant: string;
  policy: TransferPolicy;
  options: unknown;
  params: Record<string, ParamValue>;
  /** Option overrides that do not apply to this variant's policy (a sweep axis for other variants). */
  ignored: string[];
}

function setIn(obj: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let node = obj;
  for (const k of keys.slice(0, -1)) {
    const next = Object.hasOwn(node, k) ? node[k] : undefined;
    node = (node[k] = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...(next as object) } : {}) as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

/** The name of the policy the scenario file itself names (before any override), whose options it holds. */
export function ownPolicy(raw: unknown, set: PolicySet = BUILT_IN): string | undefined {
  const given = (raw as { policy?: unknown } | null)?.policy;
  return typeof given === 'string' ? (set.find(given)?.name ?? given) : undefined;
}

/**
 * Whether `policy`, chosen by flag or axis, runs with its own default options: it is not the
 * scenario's own policy and does not take the scenario's options (all of them: a policy file that
 * wraps pre-copy takes pre-copy's).
 */
export function runsOwnDefaults(policy: TransferPolicy, loaded: Pick<Loaded, 'scenario' | 'raw'>, set: PolicySet = BUILT_IN): boolean {
  const own = ownPolicy(loaded.raw, set);
  return own !== undefined && own !== policy.name && !policy.options.safeParse(loaded.scenario.options ?? {}).success;
}

/** `base` options with every --set options.X that `policy`'s schema has; the others are `ignored`. */
function ownOptions(policy: TransferPolicy, base: unknown, overrides: readonly Override[], applied: Override[], ignored: string[]): Record<string, unknown> {
  const opts = structuredClone(base ?? {}) as Record<string, unknown>;
  for (const o of overrides) {
    const sub = o.path.slice('options.'.length);
    if (schemaAt(policy.options, sub, opts) === undefined) ignored.push(o.path);
    else {
      setIn(opts, sub.split('.'), o.value);
      applied.push(o);
    }
  }
  return opts;
}

/**
 * Resolve the policy (by name, or the scenario's, or the chosen variant's), check its kind and
 * options (the policy's own check included), and name the run.
 */
export function choosePolicy(loaded: Pick<Loaded, 'file' | 'scenario' | 'overrides' | 'params' | 'raw'>, policyName: string | undefined, source: PolicySource = policyName === undefined ? 'file' : '--policy', set: PolicySet = BUILT_IN): Choice {
  const { scenario, file } = loaded;
  const optionOverrides = loaded.overrides.filter((o) => o.path.startsWith('options.'));
  let policy: TransferPolicy;
  let rawOptions: unknown = scenario.options;
  let variant: string;
  let where = `${file} (options of policy`;
  const ignored: string[] = [];
  const applied: Override[] = [];
  if (scenario.variant !== undefined && policyName === undefined) {
    const known = Object.keys(scenario.variants ?? {});
    const v = scenario.variants?.[scenario.variant];
    if (v === undefined || !Object.hasOwn(scenario.variants ?? {}, scenario.variant)) {
      const fromSet = loaded.overrides.some((o) => o.path === 'variant');
      throw new InputError(messages.unknownVariant(fromSet ? '--set variant' : `${file}, field variant`, scenario.variant, known, closest(scenario.variant, known)), { file, path: 'variant' });
    }
    policy = policyFor(loaded, v.policy, `field variants.${scenario.variant}.policy`, set);
    variant = scenario.variant;
    where = `${file} (variant ${variant}, options of policy`;
    rawOptions = ownOptions(policy, v.options, optionOverrides, applied, ignored);
  } else {
    if (scenario.variant !== undefined && policyName !== undefined) throw new InputError(messages.policyAndVariant(scenario.variant, source));
    const fromSet = loaded.overrides.some((o) => o.path === 'policy');
    policy = policyFor(loaded, policyName ?? scenario.policy, policyName === undefined && fromSet ? '--set' : source, set);
    variant = policy.name;
    // The scenario's options go with its own policy; another policy chosen by flag or axis runs
    // with its own defaults, plus the --set options.X its schema has (as for variants).
    if (runsOwnDefaults(policy, loaded, set)) rawOptions = ownOptions(policy, {}, optionOverrides, applied, ignored);
    else applied.push(...optionOverrides);
  }
  const options: unknown = parseOrThrow(policy.options, rawOptions, `${where} ${policy.name})`, ['options'], applied);
  const problems = policy.check?.(options, factsOf(scenario)) ?? [];
  if (problems.length > 0) {
    const field = (p: OptionProblem): string => p.field ?? `options.${p.path}`;
    throw new InputError(messages.optionProblems(where, policy.name, problems.map((p) => messages.inField(undefined, field(p), p.message))), { file, path: field(problems[0]) });
  }
  // The loaded scenario's columns, then the overridden options that apply, with the unit the
  // policy's schema gives them.
  const params: Record<string, ParamValue> = { ...loaded.params };
  for (const o of applied) {
    const sub = o.path.slice('options.'.length);
    let v: unknown = options;
    for (const k of sub.split('.')) v = v !== null && typeof v === 'object' && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined;
    params[columnName(o.path, unitAt(policy.options, sub, options))] = typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : o.text;
  }
  return { variant, policy, options, params, ignored };
}
