// Policies from outside vmsim: written by a user in a file (`--policy-file`, `policy: ./mine.js`) or
// handed to the API. They are checked here exactly as the contract (sim/policy.ts) describes a
// built-in one, so a mistake is a one-paragraph error naming the file and the field, found when the
// policy is loaded, never a crash in the middle of a run. Platform-neutral: the Node front door
// imports the file and hands the module's default export in.
import type { z } from 'zod';
import type { Yieldable } from './engine/index.js';
import { InputError, closest, messages } from './errors.js';
import type { OptionProblem, PolicyContexts, PolicyKind, ScenarioFacts, TransferPolicy } from './policy.js';
import { KINDS } from './kinds/index.js';

/** The scenario kinds, each with its own context (sim/policy.ts PolicyContexts), as the registry lists them. */
export const POLICY_KINDS: readonly PolicyKind[] = KINDS.map((k) => k.name);

/** What a policy author writes; `definePolicy` infers the context from `kind` and the options from the schema. */
export interface PolicyDefinition<K extends PolicyKind, S extends z.ZodType> {
  /** Kebab-case, unique among the policies of an invocation: it names the policy in every output. */
  name: string;
  /** One line for `vmsim policies`. */
  summary: string;
  kind: K;
  /** A zod schema of the options (z.strictObject({...}) of field builders with units). */
  options: S;
  /** Checks of the parsed options against the scenario, before any run. */
  check?(opts: z.output<S>, facts: ScenarioFacts): OptionProblem[];
  /** The policy itself: a generator that acts through its context and yields events or delays (s). */
  plan(ctx: PolicyContexts[K], opts: z.output<S>): Generator<Yieldable, void, any>;
}

/** A typed policy: returns its argument, with the context and options types filled in for the author. */
export function definePolicy<K extends PolicyKind, S extends z.ZodType>(policy: PolicyDefinition<K, S>): TransferPolicy<K, z.output<S>> {
  return policy as TransferPolicy<K, z.output<S>>;
}

/** A policy named by a path (it contains a slash or ends in a module extension), not by a name. */
export const isPolicyPath = (s: string): boolean => /[\\/]/.test(s) || /\.[cm]?[jt]s$/i.test(s);

const FIELDS = ['name', 'summary', 'kind', 'options', 'check', 'plan', 'counted'];
const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const GeneratorFunction = Object.getPrototypeOf(function* () {}).constructor as unknown;
const AsyncGeneratorFunction = Object.getPrototypeOf(async function* () {}).constructor as unknown;

/** A value described for a message: "a function", "the number 3", "an array". */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') return 'an object';
  return `the ${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

function optionsProblem(o: unknown): string | undefined {
  const how = "z.strictObject({...}) of fields (import { z, duration, bytes } from 'vmsim')";
  if (o === null || typeof o !== 'object') return `expected a zod schema, ${how}; got ${describeValue(o)}`;
  const s = o as { safeParse?: unknown; _zod?: { def?: unknown }; _def?: unknown };
  if (typeof s.safeParse !== 'function') {
    const keys = Object.keys(o);
    return `expected a zod schema, got a plain object${keys.length ? ` with fields ${keys.join(', ')}` : ''}; wrap the fields in ${how}`;
  }
  if (s._zod?.def === undefined) return `expected a zod 4 schema (this one looks like zod 3); build it with the z that vmsim exports: import { z } from 'vmsim'`;
  let r: { success: boolean; error?: { issues: Array<{ code: string; path: PropertyKey[] }> } };
  try {
    r = (s.safeParse as (v: unknown) => typeof r)({});
  } catch (e) {
    return `the schema throws when it parses options: ${(e as Error).message}`;
  }
  if (!r.success && r.error!.issues.some((i) => i.code === 'invalid_type' && i.path.length === 0)) {
    return `expected a schema of a mapping (options are always a mapping of fields), ${how}`;
  }
  return undefined;
}

/**
 * Check a policy that came from outside (the default export of a policy file, or an object handed to
 * the API) as the contract describes a built-in one; `source` (a file, or a description) leads every
 * message. Returns it typed.
 */
export function checkPolicy(value: unknown, source: string): TransferPolicy {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError(messages.notAPolicy(source, describeValue(value)), { file: source });
  const p = value as Record<string, unknown>;
  const bad = (field: string, detail: string): InputError => new InputError(messages.inField(source, field, detail), { file: source, path: field });
  for (const k of Object.keys(p)) {
    if (FIELDS.includes(k)) continue;
    const guess = closest(k, FIELDS);
    throw bad(k, `unknown field "${k}"${guess ? ` (did you mean "${guess}"?)` : ''}; a policy has name, kind, summary, options, plan and optionally check and counted`);
  }
  if (typeof p.name !== 'string' || !KEBAB.test(p.name) || p.name.length > 64) {
    throw bad('name', `expected a kebab-case name of at most 64 characters (lower-case letters, digits, single dashes; e.g. "my-precopy"), got ${describeValue(p.name)}`);
  }
  if (typeof p.kind !== 'string' || !(POLICY_KINDS as readonly string[]).includes(p.kind)) {
    const guess = typeof p.kind === 'string' ? closest(p.kind, POLICY_KINDS) : undefined;
    throw bad('kind', `expected one of ${POLICY_KINDS.map((k) => `"${k}"`).join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}, got ${describeValue(p.kind)}`);
  }
  if (typeof p.summary !== 'string' || p.summary.trim() === '') throw bad('summary', `expected one line of text saying what the policy does, got ${describeValue(p.summary)}`);
  const problem = optionsProblem(p.options);
  if (problem !== undefined) throw bad('options', problem);
  // A migration policy that runs on vm.model: counted says so; it then acts through ctx.countedPending().
  if (p.counted !== undefined && typeof p.counted !== 'boolean') throw bad('counted', `expected true or false (true: the policy runs on vm.model: counted, through ctx.countedPending()), got ${describeValue(p.counted)}`);
  if (p.check !== undefined && typeof p.check !== 'function') throw bad('check', `expected a function (opts, facts) => problems, got ${describeValue(p.check)}`);
  if (typeof p.plan !== 'function' || Object.getPrototypeOf(p.plan).constructor !== GeneratorFunction) {
    const what = typeof p.plan === 'function' && Object.getPrototypeOf(p.plan).constructor === AsyncGeneratorFunction ? 'an async generator (plans are synchronous: they yield events and delays)' : describeValue(p.plan);
    throw bad('plan', `expected a generator function, *plan(ctx, opts) { ... }, got ${what}`);
  }
  return p as unknown as TransferPolicy;
}

/** Where policies that are not built in came from (their file, or a description), for messages. */
const sources = new WeakMap<object, string>();

export function noteSource(policy: TransferPolicy, source: string): void {
  if (!sources.has(policy)) sources.set(policy, source);
}

export function sourceOf(policy: TransferPolicy): string | undefined {
  return sources.get(policy);
}
