// Zod field builders for quantities with units. Each parses a unit-suffixed string into a number
// in base units and tags the field with `meta({ unit })`, so outputs can name columns with units
// (link.bandwidth -> link.bandwidth_bps) and the JSON Schema tells editors what to type. The unit
// tag also names the field's codec (`unitCodec`), which reads sweep range ends and makes the range's
// points: one table of units, so a new unit cannot be known to fields and unknown to ranges. A
// point is handed to the field as a number in base units (a `Planned`, never a text read back);
// a bare number written by a user is still refused.
import { z } from 'zod';
import { InputError, messages } from './errors.js';
import { Planned, parseBitRate, parseBytes, parseDuration, parseFraction, parseRate, type QuantityOptions } from './quantity.js';

/** How a unit reads a text into base units, and the override value and text of a generated point. */
export interface UnitCodec {
  parse(text: string): number;
  /** A range's point as an override: its value (base units, as the field takes it) and its text for messages and outputs. */
  point(value: number): { value: unknown; text: string };
}

interface Unit {
  /** Example texts for error messages. */
  examples: string;
  parse(text: string | Planned, opts?: QuantityOptions): number;
  /** The value a generated point takes (bytes are whole; twelve significant digits) and its text. */
  round(value: number): number;
  format(value: number): string;
}

/** Twelve significant digits, like the CSV: no float noise in generated values. */
const round12 = (v: number): number => Number(v.toPrecision(12));
const num = (v: number): string => String(round12(v));

const PLAIN_NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

const UNITS: Record<string, Unit> = {
  // a byte is indivisible: generated sizes are whole bytes
  bytes: { examples: '"256KiB", "41MB"', parse: parseBytes, round: Math.round, format: (v) => `${Math.round(v)}B` },
  bps: { examples: '"100Mbit/s", "64 kbit/s"', parse: parseBitRate, round: round12, format: (v) => `${num(v)}bit/s` },
  // a planned byte rate is in bytes/s already; a text may be a bit rate ("400Mbit/s")
  Bps: { examples: '"50MB/s", "400Mbit/s"', parse: (t, opts) => (t instanceof Planned ? parseBitRate(t, opts) : parseBitRate(t, opts) / 8), round: round12, format: (v) => `${num(v)}B/s` },
  s: { examples: '"20ms", "10s"', parse: parseDuration, round: round12, format: (v) => `${num(v)}s` },
  fraction: { examples: '"25%", "0.25"', parse: parseFraction, round: round12, format: num },
};

const PER_SECOND = '_per_s';

/** The unit of a tag: one of UNITS, or a count per second ("pages_per_s"). */
function unitOf(tag: string): Unit | undefined {
  if (Object.hasOwn(UNITS, tag)) return UNITS[tag];
  if (!tag.endsWith(PER_SECOND)) return undefined;
  const what = tag.slice(0, -PER_SECOND.length);
  return { examples: `"20 ${what}/s"`, parse: (t, opts) => parseRate(t, what, opts), round: round12, format: (v) => `${num(v)}/s` };
}

// Range ends may be zero whatever the field allows: the generated values are validated like any
// override, so a zero the field rejects is reported there.
const RANGE_ENDS: QuantityOptions = { allowZero: true };

/** How to read range endpoints and make generated points for a field with this unit tag. */
export function unitCodec(tag: string | undefined): UnitCodec {
  if (tag === undefined) {
    return {
      parse: (t) => {
        if (!PLAIN_NUMBER.test(t.trim())) throw new InputError(messages.notPlainNumber(t));
        return Number(t);
      },
      // a field without a unit takes a bare number
      point: (v) => ({ value: round12(v), text: num(v) }),
    };
  }
  const unit = unitOf(tag);
  if (unit === undefined) throw new Error(`no range codec for unit "${tag}"`);
  return { parse: (t) => unit.parse(t, RANGE_ENDS), point: (v) => ({ value: new Planned(unit.round(v), unit.format(v)), text: unit.format(v) }) };
}

function quantity(tag: string, description: string, opts?: QuantityOptions) {
  const unit = unitOf(tag);
  if (unit === undefined) throw new Error(`unknown unit "${tag}"`);
  const examples = unit.examples;
  // A text (what a file or --set holds), or a Planned (what a sweep range made): the input side is a
  // string to the JSON Schema, and any other input is the type error a z.string() gives.
  return z
    .custom<string | Planned>(() => true)
    .transform((input, ctx) => {
      if (typeof input !== 'string' && !(input instanceof Planned)) {
        const message = input === undefined ? `required: a quantity with a unit, e.g. ${examples}` : `expected a quantity with a unit (e.g. ${examples}), got ${JSON.stringify(input)}`;
        ctx.issues.push({ code: 'invalid_type', expected: 'string', message, input });
        return z.NEVER;
      }
      try {
        return unit.parse(input, opts);
      } catch (e) {
        ctx.issues.push({ code: 'custom', message: e instanceof InputError ? e.message : String(e), input });
        return z.NEVER;
      }
    })
    .meta({ unit: tag, description, type: 'string' });
}

/** A size: "256KiB", "41MB". Output in bytes. */
export const bytes = (description: string, opts?: QuantityOptions) => quantity('bytes', description, opts);
/** A bit rate: "100Mbit/s", "64 kbit/s". Output in bit/s. */
export const bitRate = (description: string, opts?: QuantityOptions) => quantity('bps', description, opts);
/** A byte rate: "50MB/s", "400Mbit/s". Output in bytes/s. */
export const byteRate = (description: string, opts?: QuantityOptions) => quantity('Bps', description, opts);
/** A duration: "20ms", "10s". Output in seconds. */
export const duration = (description: string, opts?: QuantityOptions) => quantity('s', description, opts);
/** A fraction: "25%" or "0.25". Output in [0, 1]. */
export const fraction = (description: string, opts?: QuantityOptions) => quantity('fraction', description, opts);
/** A count per second: "5000 pages/s". */
export const perSecond = (what: string, description: string, opts?: QuantityOptions) => quantity(`${what}${PER_SECOND}`, description, opts);

/** The parsed type of a set of fields (a shape that policies spread into their own options). */
export type FieldsOutput<S extends z.ZodRawShape> = z.output<z.ZodObject<S>>;

/** Column suffix for a unit tag: link.bandwidth + bps -> link.bandwidth_bps. */
export function columnName(path: string, unit: string | undefined): string {
  return unit === undefined || unit === 'fraction' ? path : `${path}_${unit}`;
}

/**
 * The schema of the field at a dotted path, or undefined when the path names no field. With `value`
 * (the document the path is read in), a union discriminated by a field (pre-copy options by `rules`)
 * is read in the branch the value chooses, its default branch when the value leaves the field out;
 * without it, in the first branch that has the field.
 */
export function schemaAt(schema: z.ZodType, path: string, value?: unknown): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  let v = value;
  for (const key of path.split('.')) {
    s = s === undefined ? undefined : child(s, key, v);
    v = isMapping(v) && Object.hasOwn(v, key) ? v[key] : undefined;
  }
  return s;
}

/** The unit tag of the field at a dotted path in a schema, if it is a quantity (`value` as for schemaAt). */
export function unitAt(schema: z.ZodType, path: string, value?: unknown): string | undefined {
  const s = schemaAt(schema, path, value);
  return s === undefined ? undefined : findUnit(s);
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function defOf(s: z.ZodType): Record<string, any> {
  return (s as any)._zod.def;
}

function findUnit(s: z.ZodType): string | undefined {
  for (let cur: z.ZodType | undefined = s; cur !== undefined; cur = unwrap(cur)) {
    const meta = z.globalRegistry.get(cur) as { unit?: string } | undefined;
    if (meta?.unit !== undefined) return meta.unit;
  }
  return undefined;
}

// Look through wrappers (default, optional, pipe) to the schema that has structure.
function unwrap(s: z.ZodType): z.ZodType | undefined {
  const d = defOf(s);
  if (d.innerType) return d.innerType;
  if (d.type === 'pipe') return d.in;
  return undefined;
}

// The branch of a discriminated union that `value` takes (undefined: none, or no value to go by).
function branchOf(options: z.ZodType[], discriminator: string, value: unknown): z.ZodType | undefined {
  if (!isMapping(value)) return undefined;
  const tag = Object.hasOwn(value, discriminator) ? value[discriminator] : undefined;
  return options.find((o) => (o as any)._zod.propValues?.[discriminator]?.has(tag));
}

function child(s: z.ZodType, key: string, value: unknown): z.ZodType | undefined {
  for (let cur: z.ZodType | undefined = s; cur !== undefined; cur = unwrap(cur)) {
    const d = defOf(cur);
    if (d.type === 'object' && Object.hasOwn(d.shape, key)) return d.shape[key];
    if (d.type === 'union') {
      const options = d.options as z.ZodType[];
      if (d.discriminator !== undefined && isMapping(value)) {
        const branch = branchOf(options, d.discriminator, value);
        return branch === undefined ? undefined : child(branch, key, value);
      }
      for (const o of options) {
        const c = child(o, key, undefined);
        if (c !== undefined) return c;
      }
      return undefined;
    }
    if (d.type === 'array' && /^\d+$/.test(key)) return d.element;
    if (d.type === 'record') return d.valueType;
  }
  return undefined;
}
