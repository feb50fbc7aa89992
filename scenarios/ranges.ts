// Scenario fields written as distributions (sim/distribution.ts). When a scenario is loaded, every
// text of the form `uniform(...)`, `normal(...)` or `choice(...)` is found, read in its field's
// unit and checked against the field (its ends, mean or every choice must be values the field
// takes); the scenario is validated with each distribution at its centre, so its cross-field checks
// and the memory budget see a real value. Each trial then draws its own values (drawTrial) from
// streams derived from the trial's seed and named for the field, apart from the world's streams:
// a scenario without distributions draws nothing and runs exactly as before, and a field's draws do
// not change when another field gets a distribution.
import type { z } from 'zod';
import { InputError, messages } from '../sim/errors.js';
import { columnName, schemaAt, unitAt, unitCodec, type UnitCodec } from '../sim/fields.js';
import { Planned } from '../sim/quantity.js';
import { RandomStreams } from '../sim/engine/random.js';
import { centreOf, draw, isCutDistribution, isDistributionText, looksLikeCall, parseDistribution, supportOf, type Distribution } from '../sim/distribution.js';

/** A field that takes a new value every trial. */
export interface RangeField {
  /** Dotted path in its document (`vm.memory`, `vm.working_set.0.rate`; a policy's `downtime_limit`). */
  path: string;
  /** Dotted path in the scenario (`options.downtime_limit`): names its stream and messages. */
  name: string;
  /** Its column in runs.csv, the unit in the name (`vm.memory_bytes`). */
  column: string;
  /** The field's unit tag; absent for a plain number. */
  unit?: string;
  /** As written. */
  text: string;
  dist: Distribution;
}

/** What a scenario with distributions needs to make each trial's scenario: plain data (it crosses to workers). */
export interface Ranges {
  /** The document after overrides, distributions still as text, every other value plain data. */
  doc: unknown;
  fields: RangeField[];
}

/** Fields that are settings of the whole run, never of one trial. */
const SETTINGS: Record<string, string> = { trials: 'the trial count', seed: 'the base seed' };
/** Free text: a call written in it is text. */
const FREE_TEXT = new Set(['description']);

type Doc = Record<string, unknown>;
const isMapping = (v: unknown): v is Doc => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Every text leaf of a document with its path. */
function texts(v: unknown, path: string[], out: Array<{ path: string[]; text: string }>): void {
  if (typeof v === 'string') out.push({ path, text: v });
  else if (Array.isArray(v)) v.forEach((x, i) => texts(x, [...path, String(i)], out));
  else if (isMapping(v)) for (const [k, x] of Object.entries(v)) texts(x, [...path, k], out);
}

/** The schema under wrappers (default, optional, pipe), where its type is. */
function core(s: z.ZodType): z.ZodType {
  let cur = s as unknown as { _zod: { def: Record<string, any> } };
  for (;;) {
    const d = cur._zod.def;
    if (d.innerType) cur = d.innerType;
    else if (d.type === 'pipe') cur = d.in;
    else return cur as unknown as z.ZodType;
  }
}

/** How a numeric field reads a value, and whether it takes whole numbers; undefined when it is not numeric. */
function numericField(field: z.ZodType, unit: string | undefined): { codec: UnitCodec; int: boolean } | undefined {
  if (unit !== undefined) return { codec: unitCodec(unit), int: false };
  const c = core(field) as unknown as { _zod: { def: { type: string } }; isInt?: boolean };
  return c._zod.def.type === 'number' ? { codec: unitCodec(undefined), int: c.isInt === true } : undefined;
}

/** The message of a field refusing a value, or undefined when it takes it. */
function refusal(field: z.ZodType, value: unknown): string | undefined {
  const r = field.safeParse(value);
  return r.success ? undefined : r.error.issues[0].message.replace(/^Invalid input: /, '');
}

/** A policy's options: read with the policy's schema when the policy is chosen (sim/choice.ts). */
const OPTIONS = /^(?:variants\.[^.]+\.)?options\./;

/** A distribution found at a path, read and checked against its field; undefined when the text is not one. */
function readField(schema: z.ZodType, doc: unknown, path: string, text: string, prefix: string): RangeField | undefined {
  if (prefix === '' && OPTIONS.test(path)) return undefined;
  // the kind chooses the schema itself
  if (prefix === '' && path === 'kind' && isDistributionText(text)) throw new InputError(messages.distributionNotHere(text, messages.distributionFixedField()));
  const field = schemaAt(schema, path, doc);
  if (field === undefined) return undefined; // an unknown field: the schema says so
  const unit = unitAt(schema, path, doc);
  const free = FREE_TEXT.has(path.split('.').pop()!);
  const numeric = SETTINGS[path] === undefined && !free ? numericField(field, unit) : undefined;
  if (numeric === undefined) {
    if (!isDistributionText(text) || free) return undefined;
    throw new InputError(messages.distributionNotHere(text, SETTINGS[path] ? messages.distributionSetting(SETTINGS[path]) : messages.distributionFixedField()));
  }
  const dist = parseDistribution(text, (t) => numeric.codec.parse(t), numeric.int);
  const whats = dist.fn === 'uniform' ? ['its low end', 'its high end'] : dist.fn === 'normal' ? ['its mean'] : supportOf(dist).map((_, k) => `value ${k + 1}`);
  supportOf(dist).forEach((v, k) => {
    const why = refusal(field, numeric.codec.point(v).value);
    if (why !== undefined) throw new InputError(messages.distributionOutOfField(text, whats[k], why));
  });
  return { path, name: prefix + path, column: columnName(prefix + path, unit), ...(unit === undefined ? {} : { unit }), text, dist };
}

/** Where a text at this path came from, for messages: a --set, or the file. */
export type FromSet = (path: string) => { path: string; text: string } | undefined;

/**
 * The distributions of a document (after overrides), each checked against its field, and the
 * document with each at its centre (what the scenario is validated with once); undefined when it
 * has none. A policy's options are a document of their own, found with `prefix` "options.".
 */
export function findRanges(doc: unknown, schema: z.ZodType, file: string, fromSet: FromSet, prefix = ''): { ranges: Ranges; centred: unknown } | undefined {
  const leaves: Array<{ path: string[]; text: string }> = [];
  texts(doc, [], leaves);
  const fields: RangeField[] = [];
  for (const { path, text } of leaves) {
    if (!looksLikeCall(text) && !isCutDistribution(text)) continue;
    const dotted = path.join('.');
    try {
      if (isCutDistribution(text)) throw new InputError(messages.distributionCut(text));
      const f = readField(schema, doc, dotted, text, prefix);
      if (f !== undefined) fields.push(f);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const o = fromSet(prefix + dotted);
      const detail = o === undefined ? e.message : messages.fromSet(e.message, o.path, o.text);
      throw new InputError(messages.inScenarioFile(file, messages.inField(undefined, prefix + dotted, detail)), { file, path: prefix + dotted });
    }
  }
  if (fields.length === 0) return undefined;
  const centred = plain(doc);
  for (const f of fields) setAt(centred, f.path, unitCodec(f.unit).point(centreOf(f.dist)).value);
  return { ranges: { doc: plain(doc), fields }, centred };
}

/** The document as plain data: a sweep point's Planned quantity as its text, which reads back to the same value. */
function plain(v: unknown): unknown {
  if (v instanceof Planned) return v.text;
  if (Array.isArray(v)) return v.map(plain);
  if (isMapping(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function setAt(doc: unknown, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = doc as Doc;
  for (const k of keys.slice(0, -1)) node = node[k] as Doc;
  node[keys[keys.length - 1]] = value;
}

/** One trial's document: every distribution drawn from its stream, as a value its field takes. */
export function drawTrial(ranges: Ranges, schema: z.ZodType, seed: number): { doc: unknown; drawn: Record<string, number>; shown: string } {
  const streams = new RandomStreams(seed);
  const doc = structuredClone(ranges.doc);
  const drawn: Record<string, number> = {};
  const shown: string[] = [];
  for (const f of ranges.fields) {
    const codec = unitCodec(f.unit);
    const field = schemaAt(schema, f.path, doc)!;
    let v: number;
    try {
      v = draw(f.dist, streams.stream(`input:${f.name}`), (x) => refusal(field, codec.point(x).value) === undefined);
    } catch (e) {
      throw e instanceof InputError ? new InputError(messages.inField(undefined, f.name, `${f.text}: ${e.message}`), { path: f.name }) : e;
    }
    const p = codec.point(v);
    setAt(doc, f.path, p.value);
    drawn[f.column] = p.value instanceof Planned ? p.value.value : (p.value as number);
    shown.push(`${f.name}=${p.text}`);
  }
  return { doc, drawn, shown: shown.join(', ') };
}


/** The value at a dotted path of a document, if any. */
function valueAt(doc: unknown, path: string): unknown {
  let v = doc;
  for (const k of path.split('.')) v = isMapping(v) && Object.hasOwn(v, k) ? v[k] : Array.isArray(v) && /^\d+$/.test(k) ? v[Number(k)] : undefined;
  return v;
}

/** Whether a document writes the field at `path` as a distribution (an option: in its own options or a variant's). */
export function isDrawnIn(doc: unknown, path: string): boolean {
  if (isDistributionText(valueAt(doc, path))) return true;
  if (!path.startsWith('options.')) return false;
  const variants = isMapping(doc) && isMapping(doc.variants) ? Object.values(doc.variants) : [];
  return variants.some((v) => isDistributionText(valueAt(v, path)));
}
