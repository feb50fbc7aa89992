// Reading a scenario from its text: parse YAML or JSON strictly, apply --set overrides by dotted
// path, validate. Every failure is an InputError naming the file (or --set), the field path and
// what was expected. Platform-neutral: the caller reads the file (sim/cli/io/files.ts, or a browser).
import YAML from 'yaml';
import type { z } from 'zod';
import { InputError, closest, messages } from '../sim/errors.js';
import { columnName, schemaAt, unitAt } from '../sim/fields.js';
import { ScenarioSchema, type Scenario } from './schema.js';
import { checkUniqueKeys } from '../sim/pipeline/bounds.js';
import { findRanges, type Ranges } from './ranges.js';

/** Keys that would reach an object's prototype; never fields of anything. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Refuse prototype keys anywhere in a document (a record would silently drop them otherwise). */
function checkKeys(v: unknown, file: string, path: string[] = []): void {
  if (v === null || typeof v !== 'object') return;
  if (Array.isArray(v)) return v.forEach((x, i) => checkKeys(x, file, [...path, String(i)]));
  for (const k of Object.keys(v)) {
    if (PROTOTYPE_KEYS.has(k)) throw new InputError(messages.inField(file, path.join('.') || undefined, messages.unknownField(k)), { file, path: [...path, k].join('.') });
    checkKeys((v as Record<string, unknown>)[k], file, [...path, k]);
  }
}

/**
 * Parse YAML or JSON text. Strict: duplicate keys, unknown tags (`!evil`) and anything else the
 * parser warns about are errors, not warnings printed by a library.
 */
export function parseDocument(text: string, file: string): unknown {
  // Duplicate keys are found by checkUniqueKeys in linear time; the library's own check is quadratic.
  const doc = YAML.parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const line = problem.linePos?.[0];
    const where = line ? ` (line ${line.line}, column ${line.col})` : '';
    throw new InputError(messages.fileSyntax(file, `${problem.message.split('\n')[0]}${where}`), { file });
  }
  checkUniqueKeys(doc, text, file);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new InputError(messages.fileSyntax(file, (e as Error).message.split('\n')[0]), { file });
  }
  checkKeys(value, file);
  return value;
}

/** A --set value as YAML (strictly: an unknown tag or a syntax error leaves it a plain string). */
function parseValue(text: string): unknown {
  const doc = YAML.parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0 || doc.warnings.length > 0) throw new Error('not YAML');
  return doc.toJS({ maxAliasCount: 100 });
}

/** One override: the field's dotted path, its value, and the text that names it in messages. */
export interface Override {
  path: string;
  /** As written (`--set PATH=TEXT`), or the value given in code as JSON. */
  text: string;
  value: unknown;
}

/** An override written as text: the value read as a YAML scalar ("5" -> 5), once. */
export function textOverride(path: string, text: string): Override {
  let value: unknown;
  try {
    value = parseValue(text);
  } catch {
    value = text;
  }
  return { path, text, value: value ?? text };
}

/** Split "PATH=VALUE" arguments. */
export function parseSets(args: readonly string[]): Override[] {
  return args.map((arg) => {
    const i = typeof arg === 'string' ? arg.indexOf('=') : -1;
    if (i <= 0) throw new InputError(messages.badSet(String(arg)));
    return textOverride(arg.slice(0, i).trim(), arg.slice(i + 1).trim());
  });
}

/** The schema of the document's own kind (so `vm.image` is checked against an ISR scenario's vm). */
export function schemaFor(raw: unknown): z.ZodType {
  const kind = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>).kind : undefined;
  return ScenarioSchema.options.find((o) => o.shape.kind.value === kind) ?? ScenarioSchema;
}

/** The field names that could follow `prefix` in this schema, for "did you mean". */
export function fieldsAt(schema: z.ZodType, prefix: string): string[] {
  const s = prefix === '' ? schema : schemaAt(schema, prefix);
  const keys = new Set<string>();
  const visit = (t: z.ZodType | undefined, depth: number): void => {
    if (t === undefined || depth > 8) return;
    const d = (t as unknown as { _zod: { def: Record<string, any> } })._zod.def;
    if (d.type === 'object') for (const k of Object.keys(d.shape)) keys.add(k);
    else if (d.type === 'union') for (const o of d.options) visit(o, depth + 1);
    if (d.innerType) visit(d.innerType, depth + 1);
    if (d.type === 'pipe') visit(d.in, depth + 1);
  };
  visit(s, 0);
  return [...keys];
}

/** Set each override on a copy of the raw document. */
export function applyOverrides(raw: unknown, overrides: readonly Override[], file: string): unknown {
  const doc = structuredClone(raw) as Record<string, unknown>;
  const schema = schemaFor(raw);
  for (const { path, value } of overrides) {
    const keys = path.split('.');
    if (keys.some((k) => PROTOTYPE_KEYS.has(k) || k === '') || schemaAt(schema, path) === undefined) {
      const parent = keys.slice(0, -1).join('.');
      const known = PROTOTYPE_KEYS.has(keys[keys.length - 1]) ? [] : fieldsAt(schema, parent);
      const guess = closest(keys[keys.length - 1], known);
      throw new InputError(messages.unknownSetPath(path, file, guess === undefined ? undefined : parent ? `${parent}.${guess}` : guess));
    }
    let node: Record<string, unknown> = doc;
    for (let i = 0; i < keys.length - 1; i++) {
      const k = keys[i];
      const next = Object.hasOwn(node, k) ? node[k] : undefined;
      if (next === undefined || next === null) node[k] = {};
      else if (typeof next !== 'object') {
        // e.g. a netem string: setting one field would silently drop the others.
        throw new InputError(messages.setThroughScalar(path, keys.slice(0, i + 1).join('.'), file));
      }
      node = node[k] as Record<string, unknown>;
    }
    checkKeys(value, `--set ${path}`);
    node[keys[keys.length - 1]] = value;
  }
  return doc;
}

/** Validate a raw document; errors name the file and every bad field (up to five). */
export function validateScenario(raw: unknown, file: string, overrides: readonly Override[] = []): Scenario {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InputError(messages.inField(file, undefined, messages.notMapping()), { file });
  }
  return parseOrThrow(ScenarioSchema, raw, file, [], overrides) as Scenario;
}

/** Parse with a zod schema; on failure an InputError naming the file and each bad field path. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, file: string, prefix: string[] = [], overrides: readonly Override[] = []): z.output<T> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const lines = flatten(r.error.issues as unknown as Issue[], prefix, schema, prefix.length);
  const shown = lines.slice(0, 5).map(({ path, message }) => {
    const o = fromSet(overrides, path);
    return messages.inField(undefined, path || undefined, o ? messages.fromSet(message, o.path, o.text) : message);
  });
  const more = lines.length > 5 ? ` (and ${lines.length - 5} more)` : '';
  throw new InputError(messages.inScenarioFile(file, `${shown.join('; ')}${more}`), { file, path: lines[0]?.path });
}

/** The override a field's value came from (a value from --set is named as such: the file does not hold it). */
function fromSet(overrides: readonly Override[], path: string): Override | undefined {
  return [...overrides].reverse().find((o) => path === o.path || path.startsWith(`${o.path}.`));
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: Issue[][];
  options?: unknown[];
  discriminator?: string;
  /** invalid_key: what is wrong with the key. */
  issues?: Issue[];
  expected?: string;
}

/** Unknown field names shown in one message at most; the rest are counted ("and 2,990 more"). */
const MAX_NAMES = 10;

/** A missing value: zod says "received undefined" (its issues do not carry the input). */
const isMissing = (iss: Issue): boolean => iss.code === 'invalid_type' && /received undefined$/.test(iss.message);

function flatten(issues: Issue[], prefix: PropertyKey[], schema: z.ZodType, strip: number): Array<{ path: string; message: string }> {
  const out: Array<{ path: string; message: string }> = [];
  for (const iss of issues) {
    const path = [...prefix, ...iss.path];
    if (iss.code === 'invalid_union' && iss.discriminator !== undefined) {
      // A branch that is the default (pre-copy's rules: qemu) also takes an absent discriminator.
      out.push({ path: path.join('.'), message: messages.expectedOneOf((iss.options ?? []).filter((o) => o !== undefined)) });
    } else if (iss.code === 'invalid_union' && iss.errors && iss.errors.length > 0) {
      // Report the branch whose shape matched (its errors are deeper than a type mismatch).
      const deep = iss.errors.filter((b) => !b.every((x) => x.code === 'invalid_type' && x.path.length === 0));
      const missing = iss.errors.every((b) => b.every((x) => isMissing(x) && x.path.length === 0));
      if (deep.length > 0) out.push(...flatten(deep[0], path, schema, strip));
      else out.push({ path: path.join('.'), message: missing ? messages.missingField() : messages.netemOrMapping() });
    } else if (iss.code === 'unrecognized_keys') {
      const inner = path.slice(strip).filter((k) => typeof k === 'string').join('.');
      const known = fieldsAt(schema, inner);
      // Known at this level but refused: fields of another scenario kind (kind: was changed).
      const foreign = iss.keys!.filter((k) => known.includes(k));
      const keys = iss.keys!.filter((k) => !known.includes(k));
      const hints = keys.slice(0, MAX_NAMES).map((k) => {
        const c = closest(k, known);
        return c === undefined ? `"${k}"` : `"${k}" (did you mean "${c}"?)`;
      });
      if (keys.length > 0) out.push({ path: path.join('.'), message: messages.unknownFields(hints, keys.length - hints.length) });
      if (foreign.length > 0) out.push({ path: path.join('.'), message: messages.otherKindFields(foreign.slice(0, MAX_NAMES), foreign.length - Math.min(foreign.length, MAX_NAMES)) });
    } else if (iss.code === 'invalid_key') {
      // A record's key (a variant's name): say which name and why, not "Invalid key in record".
      const key = String(path[path.length - 1]);
      const why = (iss.issues ?? []).map((x) => x.message).join('; ');
      out.push({ path: path.slice(0, -1).join('.'), message: messages.badName(key, why) });
    } else if (isMissing(iss)) {
      out.push({ path: path.join('.'), message: messages.missingField(iss.expected) });
    } else {
      out.push({ path: path.join('.'), message: iss.message.replace(/^Invalid input: /, '') });
    }
  }
  return out;
}

/**
 * A document already parsed (or built in code: plain data only) with overrides, validated exactly
 * as parsed text is; the overridden fields as output columns.
 */
export function validateDocument(file: string, doc: unknown, overrides: readonly Override[] = []): { scenario: Scenario; raw: unknown; params: Record<string, string | number | boolean>; ranges?: Ranges } {
  let raw: unknown;
  try {
    raw = structuredClone(doc);
  } catch (e) {
    throw new InputError(messages.inField(file, undefined, messages.notPlainData((e as Error).message)), { file });
  }
  checkKeys(raw, file);
  const applied = applyOverrides(raw, overrides, file);
  const found = findRanges(applied, schemaFor(applied), file, (path) => fromSet(overrides, path));
  const scenario = validateScenario(found?.centred ?? applied, file, overrides);
  // A field drawn per trial has a column of its own in each record (RunRecord.drawn), not a parameter.
  const drawnPaths = new Set(found?.ranges.fields.map((f) => f.path));
  const params = paramsOf(scenario, overrides.filter((o) => !drawnPaths.has(o.path)), schemaFor(scenario));
  return { scenario, raw, params, ...(found === undefined ? {} : { ranges: found.ranges }) };
}

/** Columns of their own (a run's policy and variant), or the policy's (its options: resolved with it). */
const notParamColumn = (path: string): boolean => path === 'policy' || path === 'variant' || path === 'variants' || path.startsWith('options.');

/**
 * Column name and validated value of each overridden scenario field (e.g. link.bandwidth_bps =
 * 1e8); overridden options become columns when the policy is resolved (sim/choice.ts).
 */
function paramsOf(scenario: Scenario, overrides: readonly Override[], schema: z.ZodType): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { path, text } of overrides) {
    if (notParamColumn(path)) continue;
    let v: unknown = scenario;
    for (const k of path.split('.')) v = v !== null && typeof v === 'object' && Object.hasOwn(v, k) ? (v as Record<string, unknown>)[k] : undefined;
    const value = typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : text;
    out[columnName(path, unitAt(schema, path))] = value;
  }
  return out;
}
