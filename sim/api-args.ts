// The library's front door checks what its caller passes with the CLI's rules and throws the
// project's typed errors (InputError: bad input, exit 2 in the CLI), never a raw TypeError from deep
// inside. Platform-neutral: used by sim/api.ts and sim/cli/node-api.ts.
import { InputError, messages } from './errors.js';
import type { Loaded } from './pipeline/index.js';
import type { RunRecord } from './results/record.js';

/** A value as a message shows it: null, a number, a string in quotes, or its type. */
export function shown(v: unknown): string {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v === 'function' ? 'a function' : 'an object';
}

const bad = (fn: string, what: string, expected: string, v: unknown): InputError => new InputError(messages.apiArgument(fn, what, expected, shown(v)));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A scenario as loadScenario() / loadScenarioFile() return it. */
export function loadedArg(fn: string, s: unknown, expected = 'a scenario from loadScenario() or loadScenarioFile()'): Loaded {
  if (!isObject(s) || !isObject(s.scenario) || typeof s.file !== 'string' || !isObject(s.policies)) {
    throw bad(fn, 'the scenario', expected, s);
  }
  return s as unknown as Loaded;
}

/** An options object, or nothing (then {}). */
export function optionsArg<T extends object>(fn: string, opts: unknown): Partial<T> {
  if (opts === undefined) return {};
  if (!isObject(opts)) throw bad(fn, 'the options', 'an object', opts);
  return opts as Partial<T>;
}

/** A base seed as `--seed` takes it: a whole number from 0 to 2^53 - 1, or its digits. */
export function seedArg(fn: string, seed: unknown): number | string | undefined {
  if (seed === undefined) return undefined;
  const n = typeof seed === 'number' ? seed : typeof seed === 'string' && /^\d+$/.test(seed.trim()) ? Number(seed.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw bad(fn, 'seed', `a whole number from 0 to ${Number.MAX_SAFE_INTEGER}`, seed);
  return seed as number | string;
}

/** Trials as `--trials` takes them (resolve() checks the range and names the scenario). */
export function trialsArg(fn: string, trials: unknown): number | undefined {
  if (trials === undefined || typeof trials === 'number') return trials;
  throw bad(fn, 'trials', 'a whole number of at least 1', trials);
}

/** A value of an option that must be one of a few types. */
export function typed(fn: string, what: string, v: unknown, types: ReadonlyArray<'string' | 'object' | 'function' | 'array'>, expected: string): void {
  if (v === undefined) return;
  const ok = types.some((t) => (t === 'array' ? Array.isArray(v) : t === 'object' ? isObject(v) : typeof v === t));
  if (!ok) throw bad(fn, what, expected, v);
}

/** Run records as run() and sweep() return them. */
export function recordsArg(fn: string, records: unknown, opts: { nonEmpty?: boolean } = {}): readonly RunRecord[] {
  if (!Array.isArray(records)) throw bad(fn, 'the records', 'an array of run records from run() or sweep()', records);
  const k = records.findIndex((r) => !isObject(r) || typeof r.scenario !== 'string' || !isObject(r.metrics) || !isObject(r.params));
  if (k >= 0) throw bad(fn, `record ${k}`, 'a run record from run() or sweep()', records[k]);
  if (opts.nonEmpty && records.length === 0) throw new InputError(messages.apiNoRecords(fn));
  return records as RunRecord[];
}

/**
 * A scenario document given as an object: a tree of plain values. A cycle (an object that contains
 * itself) would recurse without end in validation; refused here with the path where it closes.
 */
export function treeArg(fn: string, doc: unknown): void {
  const open = new Set<unknown>();
  const walk = (v: unknown, path: string): void => {
    if (typeof v !== 'object' || v === null) return;
    if (open.has(v)) throw new InputError(messages.apiCycle(fn, path));
    open.add(v);
    for (const [k, x] of Object.entries(v)) walk(x, path === '' ? k : `${path}.${k}`);
    open.delete(v);
  };
  walk(doc, '');
}
