// A scenario input given as a range instead of a value: `uniform(a, b)`, `normal(mean, sd)` or
// `choice(v1, v2, ...)`, each value in the unit its field takes (`uniform(10MiB, 50MiB)`). Parsed
// once when the scenario is loaded (scenarios/ranges.ts); each trial draws one value from its own
// seeded stream (sim/pipeline/trial.ts), so a run's outputs can be regressed on its inputs.
// Platform-neutral.
import { InputError, messages } from './errors.js';
import type { Rng } from './engine/random.js';
import { normal } from './engine/random.js';

export type Distribution =
  | { fn: 'uniform'; low: number; high: number; int: boolean }
  | { fn: 'normal'; mean: number; sd: number; int: boolean }
  | { fn: 'choice'; values: number[]; int: boolean };

const DISTRIBUTIONS = ['uniform', 'normal', 'choice'] as const;

/** `name(...)`: a call of some function, the shape every distribution has. */
const CALL = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(([^()]*)\)\s*$/s;

/** Whether a value is written as a distribution (a text naming one of ours, called). */
export function isDistributionText(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = CALL.exec(v);
  return m !== null && (DISTRIBUTIONS as readonly string[]).includes(m[1]);
}

/** A distribution cut at a comma: what YAML makes of `{ a: uniform(1s, 2s) }` (a flow mapping splits at commas). */
const CUT = /^\s*(?:uniform|normal|choice)\s*\([^()]*$/;

/** Whether a text is the first half of a distribution that YAML cut at its comma. */
export function isCutDistribution(v: unknown): v is string {
  return typeof v === 'string' && CUT.test(v);
}

/** Whether a text on a numeric field looks like a function call (a distribution, or a misspelt one). */
export function looksLikeCall(v: unknown): v is string {
  return typeof v === 'string' && CALL.test(v);
}

/**
 * Read a distribution's text. `parse` reads one value as the field does (its unit; zero and
 * negatives allowed here: the field's own domain is checked on the values by the caller); `int`
 * says the field takes whole numbers (a uniform then draws whole numbers from low to high).
 */
export function parseDistribution(text: string, parse: (value: string) => number, int = false): Distribution {
  const m = CALL.exec(text);
  if (m === null) throw new InputError(messages.distributionUnreadable(text));
  const [, fn, inside] = m;
  const args = inside.trim() === '' ? [] : inside.split(',').map((a) => a.trim());
  if (args.some((a) => a === '')) throw new InputError(messages.distributionEmptyValue(text));
  const read = (a: string, what: string): number => {
    try {
      const v = parse(a);
      if (int && !Number.isInteger(v)) throw new InputError(messages.distributionNotWhole(a));
      return v;
    } catch (e) {
      if (e instanceof InputError) throw new InputError(messages.distributionValue(text, what, e.message));
      throw e;
    }
  };
  const arity = (n: number, names: string): void => {
    if (args.length !== n) throw new InputError(messages.distributionArity(text, fn, names, args.length));
  };
  switch (fn) {
    case 'uniform': {
      arity(2, 'low, high');
      const [low, high] = [read(args[0], 'its low end'), read(args[1], 'its high end')];
      if (low > high) throw new InputError(messages.distributionBackwards(text));
      return { fn, low, high, int };
    }
    case 'normal': {
      arity(2, 'mean, sd');
      if (args[1].startsWith('-')) throw new InputError(messages.distributionNegativeSd(text));
      return { fn, mean: read(args[0], 'its mean'), sd: read(args[1], 'its standard deviation'), int };
    }
    case 'choice': {
      if (args.length === 0) throw new InputError(messages.distributionEmptyChoice(text));
      return { fn, values: args.map((a, k) => read(a, `value ${k + 1}`)), int };
    }
    default:
      throw new InputError(messages.distributionUnknown(fn));
  }
}

/**
 * One draw. A normal on a field with a bounded domain is truncated: a draw outside it (as `valid`
 * says) is drawn again, up to MAX_REDRAWS times, then refused.
 */
export function draw(d: Distribution, rng: Rng, valid: (v: number) => boolean = () => true): number {
  switch (d.fn) {
    case 'uniform':
      // whole numbers: each of low..high equally likely
      return d.int ? Math.min(d.high, d.low + Math.floor((d.high - d.low + 1) * rng())) : d.low + (d.high - d.low) * rng();
    case 'choice':
      return d.values[Math.min(d.values.length - 1, Math.floor(d.values.length * rng()))];
    case 'normal':
      for (let k = 0; k < MAX_REDRAWS; k++) {
        const x = normal(rng, d.mean, d.sd);
        const v = d.int ? Math.round(x) : x;
        if (valid(v)) return v;
      }
      throw new InputError(messages.distributionOutsideDomain(MAX_REDRAWS));
  }
}

/** Draws of a truncated normal tried before the field's domain is called out of its reach. */
export const MAX_REDRAWS = 1000;

/** The values a load-time check validates against the field: the ends, the mean, every choice. */
export function supportOf(d: Distribution): number[] {
  if (d.fn === 'uniform') return [d.low, d.high];
  if (d.fn === 'normal') return [d.mean];
  return d.values;
}

/** The value that stands for the distribution where one value is needed before any trial (the centre). */
export function centreOf(d: Distribution): number {
  if (d.fn === 'uniform') return d.int ? Math.round((d.low + d.high) / 2) : (d.low + d.high) / 2;
  if (d.fn === 'normal') return d.mean;
  return d.values[0];
}

/** The distribution in words, values written by `format` (in the field's unit). */
export function describe(d: Distribution, format: (v: number) => string = String): string {
  if (d.fn === 'uniform') return `uniform(${format(d.low)}, ${format(d.high)})`;
  if (d.fn === 'normal') return `normal(${format(d.mean)}, ${format(d.sd)})`;
  return `choice(${d.values.map(format).join(', ')})`;
}
