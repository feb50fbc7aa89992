// Strict parsing of unit-suffixed strings ("4 GiB", "100Mbit/s", "20ms") into base units.
// Every quantity in a scenario must carry its unit: a bare "4096" could be bytes, KiB or pages,
// and guessing is how simulations silently go wrong. Unit names are matched case-sensitively
// except where a table lists several spellings on purpose.

import { InputError, messages } from './errors.js';

export interface QuantityOptions {
  /** Accept zero. Negative values are always rejected. */
  allowZero?: boolean;
}

/**
 * A quantity already in base units, made by code (a point of a sweep range), not text a user wrote:
 * the quantity fields take it after the same range checks, and a bare number in a file stays an
 * error. `text` names it in messages (the value in its base unit, e.g. "64000bit/s").
 */
export class Planned {
  constructor(
    readonly value: number,
    readonly text: string,
  ) {}
}

/** Unit suffix → multiplier into the base unit. The key '' accepts a bare number. */
export type UnitTable = Readonly<Record<string, number>>;

/** What a parser reports in its messages. */
export interface QuantityKind {
  kind: string;
  examples: string;
  units: UnitTable;
}

// Plain decimal with optional exponent. No '+', hex, commas, NaN or Infinity: none of them
// matches, so they fall through to badQuantity. A leading '-' is captured only to say "negative".
const NUMBER = /^(-?)((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*)$/s;

/**
 * The one parser behind every export: split number and unit, look the unit up, then range-check.
 * Exported so netem.ts can reuse it with tc's own unit table.
 */
export function parseQuantity(text: string | Planned, q: QuantityKind, opts: QuantityOptions = {}): number {
  if (text instanceof Planned) return checked(text.value, text.value < 0, text.text, q, opts);
  const m = NUMBER.exec(text.trim());
  if (!m || !Object.hasOwn(q.units, m[3])) throw new InputError(messages.badQuantity(text, q.kind, q.examples));
  return checked(Number(m[2]) * q.units[m[3]], m[1] === '-', text, q, opts);
}

/** The range checks, for a value read from `text` or planned (then `text` only names it). */
function checked(value: number, negative: boolean, text: string, q: QuantityKind, opts: QuantityOptions): number {
  if (!Number.isFinite(value)) throw new InputError(messages.badQuantity(text, q.kind, q.examples));
  if (negative && value !== 0) throw new InputError(messages.negative(text, q.kind));
  if (value === 0 && !opts.allowZero) throw new InputError(messages.notPositive(text, q.kind));
  return value;
}

const SI = { k: 1e3, M: 1e6, G: 1e9, T: 1e12 } as const;
const IEC = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 } as const;

/** Build a table from prefix→factor maps times suffix→factor maps. */
function table(prefixes: Record<string, number>, suffixes: Record<string, number>): UnitTable {
  const t: Record<string, number> = {};
  for (const [p, pf] of Object.entries(prefixes)) for (const [s, sf] of Object.entries(suffixes)) t[p + s] = pf * sf;
  return t;
}

// "KB" is common enough for kilobytes (1000) that rejecting it would only annoy.
const BYTE_UNITS = table({ '': 1, ...SI, K: 1e3, ...IEC }, { B: 1 });

// Bit rates are never binary-prefixed in networking, so the prefix case carries no meaning:
// "mbit/s" is megabits, not millibits. "Mbps" is the everyday megabits per second (tc differs;
// see netem.ts). Byte rates keep strict case because "MB/s" vs "Mb/s" is the bit/byte distinction.
const BIT_PREFIX = { '': 1, ...SI, K: 1e3, m: 1e6, g: 1e9, t: 1e12 };
const RATE_UNITS: UnitTable = {
  ...table(BIT_PREFIX, { 'bit/s': 1, bps: 1, 'b/s': 1 }),
  ...table({ '': 1, ...SI, K: 1e3, ...IEC }, { 'B/s': 8 }),
};

const DURATION_UNITS: UnitTable = {
  ns: 1e-9, us: 1e-6, 'µs': 1e-6, 'μs': 1e-6, ms: 1e-3, s: 1, min: 60, h: 3600,
};

const BYTES: QuantityKind = { kind: 'a size', examples: '"256KiB", "41MB", "4 GiB"', units: BYTE_UNITS };
const BIT_RATE: QuantityKind = {
  kind: 'a bit rate', examples: '"100Mbit/s", "64 kbit/s", "128MiB/s"', units: RATE_UNITS,
};
const DURATION: QuantityKind = { kind: 'a duration', examples: '"20ms", "10s", "1.5 min"', units: DURATION_UNITS };
const FRACTION: QuantityKind = { kind: 'a fraction', examples: '"0.1%", "25%", "0.25"', units: { '%': 0.01, '': 1 } };

/** Bytes: "256KiB", "41MB", "4 GiB". Zero rejected unless opts.allowZero. */
export function parseBytes(text: string | Planned, opts?: QuantityOptions): number {
  return parseQuantity(text, BYTES, opts);
}

/** Bits per second: "100Mbit/s", "10Mbps", "128MiB/s" (bytes/s ×8). Zero rejected unless allowed. */
export function parseBitRate(text: string | Planned, opts?: QuantityOptions): number {
  return parseQuantity(text, BIT_RATE, opts);
}

/** Seconds: "20ms", "10s", "1.5 min". Zero rejected unless allowed. */
export function parseDuration(text: string | Planned, opts?: QuantityOptions): number {
  return parseQuantity(text, DURATION, opts);
}

/** A fraction in [0,1]: "25%" or a bare "0.25". Zero allowed unless opts.allowZero is false. */
export function parseFraction(text: string | Planned, opts: QuantityOptions = {}): number {
  const value = parseQuantity(text, FRACTION, { allowZero: opts.allowZero ?? true });
  if (value > 1) throw new InputError(messages.tooLarge(text instanceof Planned ? text.text : text, FRACTION.kind, '1 (100%)'));
  return value;
}

/**
 * A count per second: parseRate("5000 pages/s", "pages") → 5000. Accepts "N/s" and "N UNIT/s"
 * with UNIT singular or plural. Zero allowed unless opts.allowZero is false.
 */
export function parseRate(text: string | Planned, unit: string, opts: QuantityOptions = {}): number {
  const singular = unit.endsWith('s') ? unit.slice(0, -1) : unit;
  const units: UnitTable = { '/s': 1, [`${singular}/s`]: 1, [`${singular}s/s`]: 1, [`${unit}/s`]: 1 };
  const q = { kind: `a rate in ${unit} per second`, examples: `"5000 ${unit}/s", "20/s"`, units };
  return parseQuantity(text, q, { allowZero: opts.allowZero ?? true });
}
