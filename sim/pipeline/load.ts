// Stage 1: scenario text (or a document) + overrides -> Loaded. The document is parsed once, the
// overrides applied to it, the result validated; the policies its runs may use travel with it as a
// field (the built-in ones, plus the policy files a front door loaded for it).
import { BUILT_IN, type PolicySet } from '../policy-set.js';
import { checkBounds } from './bounds.js';
import type { ParamValue } from '../results/record.js';
import { parseDocument, parseSets, textOverride, validateDocument, type Override } from '../../scenarios/load.js';
import type { Scenario } from '../../scenarios/schema.js';
import type { Ranges } from '../../scenarios/ranges.js';

/** A validated scenario and how it was made. */
export interface Loaded {
  /** The file it came from, or the name given for messages. */
  readonly file: string;
  /** The validated scenario: every quantity in base units (bytes, bit/s, bytes/s, s, fractions). */
  readonly scenario: Scenario;
  /** The document as written, before overrides. */
  readonly raw: unknown;
  readonly overrides: readonly Override[];
  /** The overridden fields as output columns, units in the names (link.bandwidth_bps). */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** The policies its runs may use: the built-in ones and the policy files loaded for it. */
  readonly policies: PolicySet;
  /** Fields written as distributions, drawn anew each trial; `scenario` holds each at its centre. */
  readonly ranges?: Ranges;
}

/** A scenario's text (YAML or JSON) and its document, parsed once; `file` names it in messages. */
export interface Read {
  file: string;
  text: string;
  doc: unknown;
}

export function read(file: string, text: string): Read {
  return { file, text, doc: parseDocument(checkBounds(text, file), file) };
}

/** Apply the overrides to a document (parsed, or built in code: plain data only) and validate. */
export function load(source: { file: string; doc: unknown }, overrides: readonly Override[] = [], policies: PolicySet = BUILT_IN): Loaded {
  return { file: source.file, ...validateDocument(source.file, source.doc, overrides), overrides: [...overrides], policies };
}

/** The same scenario with more overrides (later ones win), validated again; its policies stay. */
export function reload(loaded: Loaded, more: readonly Override[]): Loaded {
  return load({ file: loaded.file, doc: loaded.raw }, [...loaded.overrides, ...more], loaded.policies);
}

/** Overrides, as `vmsim --set` takes them: ["link.bandwidth=10Mbit/s"] or { 'link.bandwidth': '10Mbit/s' }. */
export type Overrides = readonly string[] | Readonly<Record<string, string | number | boolean | object>>;

/**
 * Overrides as values: a text is read as `--set` reads it ("5" -> 5); a number, true/false or an
 * object is the value itself, never written out and read back.
 */
export function overridesOf(set: Overrides | undefined): Override[] {
  if (set === undefined) return [];
  if (Array.isArray(set)) return parseSets(set as readonly string[]);
  return Object.entries(set).map(([path, v]) => givenOverride(path, v));
}

/** One value given in code: a text as `--set` reads it, anything else as it is. */
export function givenOverride(path: string, v: unknown): Override {
  if (typeof v === 'object' && v !== null) return { path, text: JSON.stringify(v), value: v };
  if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return { path, text: String(v), value: v };
  return textOverride(path, String(v));
}
