// Which policy a run uses, with which options, under which name. A scenario names a policy and its
// options, or selects one of its `variants` (a named policy plus options); `--policy` and `--set
// policy=` replace the policy, `--set options.X=` overrides an option. Everything here is resolved
// once, before any run, into the (policy, options) pair runOne takes and the variant name that
// travels in every record, so a bad choice is an error naming where it came from.
import { InputError, byCloseness, closest, messages } from './errors.js';
import { columnName, schemaAt, unitAt } from './fields.js';
import type { ScenarioFacts, TransferPolicy } from './policy.js';
import { isPolicyPath, noteSource } from './user-policy.js';
import type { ParamValue } from './results/record.js';
import { POLICIES } from '../policies/index.js';
import { parseOrThrow, type Override } from '../scenarios/load.js';
import type { Scenario } from '../scenarios/schema.js';

/** The policies one invocation can use: the built-in ones and any loaded from the user's files. */
export class PolicySet {
  private readonly byName = new Map<string, TransferPolicy>();
  /** Policy files by the path they were named with and by absolute path -> policy name. */
  private readonly files = new Map<string, { name: string; file: string }>();

  constructor(builtIn: readonly TransferPolicy[] = POLICIES) {
    for (const p of builtIn) this.byName.set(p.name, p);
  }

  /**
   * Add a policy loaded from `file` (an absolute path), known also by `aliases` (the texts that named
   * the file). Names must not clash.
   */
  addFile(policy: TransferPolicy, file: string, aliases: readonly string[] = []): void {
    for (const a of aliases) {
      const f = this.files.get(a);
      if (f !== undefined && f.file !== file) throw new InputError(messages.policyFilesAlias(a, f.file, file));
    }
    this.add(policy, file);
    noteSource(policy, file);
    for (const a of [file, ...aliases]) this.files.set(a, { name: policy.name, file });
  }

  /** Add a policy object (handed to the API); `where` names it in messages. Names must not clash. */
  add(policy: TransferPolicy, where: string): void {
    const known = this.byName.get(policy.name);
    if (known !== undefined && known !== policy) {
      const other = this.fileOf(policy.name);
      throw new InputError(messages.policyNameClash(where, policy.name, other === undefined ? (POLICIES.includes(known) ? 'a built-in policy' : 'another policy given') : `the policy of ${other}`), { file: where, path: 'name' });
    }
    this.byName.set(policy.name, policy);
  }

  /** A policy by name, or by the path of the file it was loaded from. */
  find(nameOrFile: string): TransferPolicy | undefined {
    const f = this.files.get(nameOrFile);
    return this.byName.get(f ? f.name : nameOrFile);
  }

  /** The file a policy came from (undefined for a built-in policy). */
  fileOf(name: string): string | undefined {
    for (const f of this.files.values()) if (f.name === name) return f.file;
    return undefined;
  }

  /** Every policy of the set: the built-in ones first, then those added, in order. */
  all(): TransferPolicy[] {
    return [...this.byName.values()];
  }

  ofKind(kind: string): TransferPolicy[] {
    return [...this.byName.values()].filter((p) => p.kind === kind);
  }

  /** A copy, to add to without changing this one. */
  copy(): PolicySet {
    const c = new PolicySet([]);
    for (const [k, v] of this.byName) c.byName.set(k, v);
    for (const [k, v] of this.files) c.files.set(k, v);
    return c;
  }

  /** The files to load in a worker thread, so it has the same set. */
  get fileList(): string[] {
    return [...new Set([...this.files.values()].map((f) => f.file))];
  }
}

export const BUILT_IN = new PolicySet();

/**
 * Where a policy name came from, for messages: the scenario file's `policy` field, another field of
 * it, `--set policy`, or any other flag or argument named as it is (`--policy`, `--policy-file`).
 */
export type PolicySource = 'file' | '--set' | `field ${string}` | (string & {});

/** The policy of this name for the scenario's kind, or an InputError naming where the name came from. */
export function policyFor(loaded: Pick<Chooser, 'file' | 'scenario'>, name: string, source: PolicySource, set: PolicySet = BUILT_IN): TransferPolicy {
  const { scenario, file } = loaded;
  const where = source === 'file' ? `${file}, field policy` : source.startsWith('field ') ? `${file}, ${source}` : source === '--set' ? '--set policy' : source;
  const ofKind = set.ofKind(scenario.kind).map((p) => p.name);
  const p = set.find(name);
  if (p === undefined && isPolicyPath(name)) throw new InputError(messages.policyFileNotLoaded(where, name), { file, path: 'policy' });
  if (p === undefined) throw new InputError(messages.unknownPolicyOfKind(where, name, scenario.kind, byCloseness(name, ofKind)), { file, path: 'policy' });
  if (p.kind !== scenario.kind) throw new InputError(messages.policyKindAt(where, p.name, p.kind, scenario.kind, ofKind), { file, path: 'policy' });
  return p;
}

/** What a policy's check may look at. */
export function factsOf(s: Scenario): ScenarioFacts {
  if (s.kind === 'migration' || s.kind === 'vdi' || s.kind === 'fork') return { kind: s.kind, page_bytes: s.vm.page_size, memory_bytes: s.vm.memory };
  return { kind: s.kind };
}

/** What the choice reads of a loaded scenario (sim/pipeline/load.ts). */
export interface Chooser {
  file: string;
  scenario: Scenario;
  overrides: readonly Override[];
  params: Readonly<Record<string, ParamValue>>;
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

/**
 * Resolve the policy (by name, or the scenario's, or the chosen variant's), check its kind and
 * options (the policy's own check included), and name the run.
 */
export function choosePolicy(loaded: Chooser, policyName: string | undefined, source: PolicySource = policyName === undefined ? 'file' : '--policy', set: PolicySet = BUILT_IN): Choice {
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
    // The variant's own options, then every --set options.X its policy has.
    const opts = structuredClone(v.options) as Record<string, unknown>;
    for (const o of optionOverrides) {
      const sub = o.path.slice('options.'.length);
      if (schemaAt(policy.options, sub) === undefined) ignored.push(o.path);
      else {
        setIn(opts, sub.split('.'), o.value);
        applied.push(o);
      }
    }
    rawOptions = opts;
  } else {
    if (scenario.variant !== undefined && policyName !== undefined) throw new InputError(messages.policyAndVariant(scenario.variant, source));
    const fromSet = loaded.overrides.some((o) => o.path === 'policy');
    policy = policyFor(loaded, policyName ?? scenario.policy, policyName === undefined && fromSet ? '--set' : source, set);
    variant = policy.name;
    applied.push(...optionOverrides);
  }
  let options: unknown;
  try {
    options = parseOrThrow(policy.options, rawOptions, `${where} ${policy.name})`, ['options'], applied);
  } catch (e) {
    // The scenario's options were written for its own policy; another one chosen by flag or axis
    // may not take them.
    const chosenByFlag = policyName !== undefined || loaded.overrides.some((o) => o.path === 'policy');
    if (e instanceof InputError && scenario.variant === undefined && chosenByFlag && /unknown field/.test(e.message)) {
      throw new InputError(messages.optionsOfOwnPolicy(e.message), e.where);
    }
    throw e;
  }
  const problems = policy.check?.(options, factsOf(scenario)) ?? [];
  if (problems.length > 0) {
    throw new InputError(messages.optionProblems(where, policy.name, problems.map((p) => messages.inField(undefined, `options.${p.path}`, p.message))), { file, path: `options.${problems[0].path}` });
  }
  // The loaded scenario's columns, then the overridden options that apply, with the unit the
  // policy's schema gives them.
  const params: Record<string, ParamValue> = { ...loaded.params };
  for (const o of applied) {
    const sub = o.path.slice('options.'.length);
    let v: unknown = options;
    for (const k of sub.split('.')) v = v !== null && typeof v === 'object' && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined;
    params[columnName(o.path, unitAt(policy.options, sub))] = typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : o.text;
  }
  return { variant, policy, options, params, ignored };
}
