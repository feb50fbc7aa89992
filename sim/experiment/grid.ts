// Parameter grids for `vmsim sweep`. Each `--set PATH=SPEC` is one axis; the grid is the cartesian
// product of the axes, first axis outermost. An axis SPEC is a comma-separated list of items, each a
// value or a range:
//
//   64kbit/s                       one value (applied exactly like `vmsim run --set`)
//   stop-and-copy,precopy          a list
//   64kbit/s..1Gbit/s:log:40       40 log-spaced points, both ends included
//   0B..1MiB:5  (or :lin:5)        5 evenly spaced points
//
// Range endpoints are parsed with the codec of the field's unit (sim/fields.ts, `unitCodec`), and
// every generated point is handed to its override as a number in base units (never written out to
// be read back); its text in the base unit ("64000bit/s", "1048576B") names it in the definition,
// the fingerprint and messages. Every point then goes through the same validation as `vmsim run
// --set`. Commas inside brackets, braces or quotes (YAML flow values such as `[{...}, {...}]`) do
// not split a list.
import { InputError, messages } from '../errors.js';
import { unitCodec } from '../fields.js';
import { textOverride, type Override } from '../../scenarios/load.js';

export interface Axis {
  path: string;
  /** The axis as the user wrote it (for the canonical command line). */
  spec: string;
  /** Values as texts, in order (a range's points in the base unit): the definition's, the fingerprint's. */
  values: string[];
}

/** An axis with the override each of its values makes, in order. */
export interface AxisPoints extends Axis {
  overrides: Override[];
}

/** A point of the grid: one override per axis, in axis order. */
export type GridPoint = Override[];

/** More points than this is almost certainly a typo (a count of 4000 for 40). */
export const MAX_POINTS = 1_000_000;

/** Runs of one sweep (points x trials): every run's record is kept until the outputs are written. */
export const MAX_RUNS = 10_000_000;

/** Split at commas that are not inside [], {}, () or quotes. */
export function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}' || c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim());
}

const RANGE = /^(.+?)\.\.(.+?)(?::(lin|log))?:(\d+)$/s;

/** Expand one range item "LOW..HIGH[:lin|:log]:N" into its points' overrides. */
function expandRange(path: string, spec: string, item: string, unit: string | undefined): Override[] {
  const m = RANGE.exec(item);
  if (!m) throw new InputError(messages.badAxis(path, spec, messages.rangeUnreadable(item)));
  const [, loText, hiText, scale = 'lin', countText] = m;
  const count = Number(countText);
  if (count < 2) throw new InputError(messages.badAxis(path, spec, messages.rangeFewPoints(count)));
  if (count > MAX_POINTS) throw new InputError(messages.gridTooLarge(count, MAX_POINTS));
  const codec = unitCodec(unit);
  let lo: number;
  let hi: number;
  try {
    lo = codec.parse(loText.trim());
    hi = codec.parse(hiText.trim());
  } catch (e) {
    if (e instanceof InputError) throw new InputError(messages.badAxis(path, spec, e.message));
    throw e;
  }
  if (scale === 'log' && (lo <= 0 || hi <= 0)) {
    throw new InputError(messages.badAxis(path, spec, messages.rangeLogZero()));
  }
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const f = i / (count - 1);
    const v = i === 0 ? lo : i === count - 1 ? hi : scale === 'log' ? lo * Math.pow(hi / lo, f) : lo + (hi - lo) * f;
    values.push(v);
  }
  return values.map((v) => ({ path, ...codec.point(v) }));
}

/**
 * Read one axis. `unit` is the unit tag of the field at `path` (undefined for plain fields); it is
 * needed only for ranges. Items without ".." are taken literally.
 */
export function parseAxis(path: string, spec: string, unit: string | undefined): AxisPoints {
  const overrides: Override[] = [];
  for (const item of splitTopLevel(spec)) {
    if (item === '') throw new InputError(messages.badAxis(path, spec, messages.emptyAxisValue()));
    const quoted = /^(["']).*\1$/s.test(item);
    if (!quoted && !/^[[{]/.test(item) && item.includes('..')) overrides.push(...expandRange(path, spec, item, unit));
    else overrides.push(textOverride(path, item));
  }
  return { path, spec, values: overrides.map((o) => o.text), overrides };
}

/** The cartesian product of the axes' overrides, first axis outermost (it changes slowest). */
export function gridPoints(axes: readonly Pick<AxisPoints, 'overrides'>[]): GridPoint[] {
  const total = axes.reduce((n, a) => n * a.overrides.length, 1);
  if (total > MAX_POINTS) throw new InputError(messages.gridTooLarge(total, MAX_POINTS));
  let points: GridPoint[] = [[]];
  for (const a of axes) {
    const next: GridPoint[] = [];
    for (const p of points) for (const o of a.overrides) next.push([...p, o]);
    points = next;
  }
  return points;
}
