// Zod field builders for quantities with units. Each parses a unit-suffixed string into a number
// in base units and tags the field with `meta({ unit })`, so outputs can name columns with units
// (link.bandwidth -> link.bandwidth_bps) and the JSON Schema tells editors what to type.
import { z } from 'zod';
import { InputError } from './errors.js';
import { parseBitRate, parseBytes, parseDuration, parseFraction, parseRate, type QuantityOptions } from './quantity.js';

type Parser = (text: string) => number;

const EXAMPLES: Record<string, string> = {
  bytes: '"256KiB", "41MB"',
  bps: '"100Mbit/s", "64 kbit/s"',
  Bps: '"50MB/s", "400Mbit/s"',
  s: '"20ms", "10s"',
  fraction: '"25%", "0.25"',
};

function quantity(parse: Parser, unit: string, description: string) {
  const examples = EXAMPLES[unit] ?? `"20 ${unit.replace('_per_s', '')}/s"`;
  return z
    .string({
      error: (iss) =>
        iss.input === undefined
          ? `required: a quantity with a unit, e.g. ${examples}`
          : `expected a quantity with a unit (e.g. ${examples}), got ${JSON.stringify(iss.input)}`,
    })
    .transform((text, ctx) => {
      try {
        return parse(text);
      } catch (e) {
        ctx.issues.push({ code: 'custom', message: e instanceof InputError ? e.message : String(e), input: text });
        return z.NEVER;
      }
    })
    .meta({ unit, description });
}

/** A size: "256KiB", "41MB". Output in bytes. */
export const bytes = (description: string, opts?: QuantityOptions) => quantity((t) => parseBytes(t, opts), 'bytes', description);
/** A bit rate: "100Mbit/s", "64 kbit/s". Output in bit/s. */
export const bitRate = (description: string, opts?: QuantityOptions) => quantity((t) => parseBitRate(t, opts), 'bps', description);
/** A byte rate: "50MB/s", "400Mbit/s". Output in bytes/s. */
export const byteRate = (description: string, opts?: QuantityOptions) => quantity((t) => parseBitRate(t, opts) / 8, 'Bps', description);
/** A duration: "20ms", "10s". Output in seconds. */
export const duration = (description: string, opts?: QuantityOptions) => quantity((t) => parseDuration(t, opts), 's', description);
/** A fraction: "25%" or "0.25". Output in [0, 1]. */
export const fraction = (description: string, opts?: QuantityOptions) => quantity((t) => parseFraction(t, opts), 'fraction', description);
/** A count per second: "5000 pages/s". */
export const perSecond = (what: string, description: string, opts?: QuantityOptions) =>
  quantity((t) => parseRate(t, what, opts), `${what}_per_s`, description);

/** Column suffix for a unit tag: link.bandwidth + bps -> link.bandwidth_bps. */
export function columnName(path: string, unit: string | undefined): string {
  return unit === undefined || unit === 'fraction' ? path : `${path}_${unit}`;
}

/** The schema of the field at a dotted path, or undefined when the path names no field. */
export function schemaAt(schema: z.ZodType, path: string): z.ZodType | undefined {
  let s: z.ZodType | undefined = schema;
  for (const key of path.split('.')) {
    s = s === undefined ? undefined : child(s, key);
  }
  return s;
}

/** The unit tag of the field at a dotted path in a schema, if it is a quantity. */
export function unitAt(schema: z.ZodType, path: string): string | undefined {
  const s = schemaAt(schema, path);
  return s === undefined ? undefined : findUnit(s);
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

function child(s: z.ZodType, key: string): z.ZodType | undefined {
  for (let cur: z.ZodType | undefined = s; cur !== undefined; cur = unwrap(cur)) {
    const d = defOf(cur);
    if (d.type === 'object' && Object.hasOwn(d.shape, key)) return d.shape[key];
    if (d.type === 'union') {
      for (const o of d.options as z.ZodType[]) {
        const c = child(o, key);
        if (c !== undefined) return c;
      }
      return undefined;
    }
    if (d.type === 'array' && /^\d+$/.test(key)) return d.element;
    if (d.type === 'record') return d.valueType;
  }
  return undefined;
}
