// What every chart shares: the schema, the series style (a colour, a marker shape and a dash per
// variant, in the order the variants were given, so series that lie on top of each other stay
// apart and the legend reads in the order of the grid), axis formats without SI suffixes, and the
// rule for log axes. Plain JSON in, plain JSON out: the specs render on Node and in a browser alike.
import type { TopLevelSpec } from 'vega-lite';

/** A chart of a report: its spec and how the report shows it. */
export interface Chart {
  /** File-name stem: total_time_ms-vs-link.bandwidth_bps. */
  name: string;
  /** In words, with the unit: "Total migration time (s) against link bandwidth". */
  title: string;
  spec: TopLevelSpec;
  /** Headline charts come first in the report; the others in a later section. */
  headline?: boolean;
  /** Said under the chart: what the crosses mean, where runs did not reach their goal. */
  note?: string;
}

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'triangle-down', 'cross', 'triangle-left', 'triangle-right'];
export const DASHES = [[1, 0], [7, 3], [2, 2], [9, 3, 2, 3], [4, 4], [12, 4], [2, 5], [6, 2, 2, 2]];
/** Tableau 10: distinguishable colours, also in print. */
export const COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const cycle = <T>(xs: readonly T[], n: number): T[] => Array.from({ length: n }, (_, i) => xs[i % xs.length]);

/** Colour, shape and dash scales for series named `names`, in that order (the legend's order too). */
export function seriesScales(names: readonly string[]): {
  color: { domain: string[]; range: string[] };
  shape: { domain: string[]; range: string[] };
  strokeDash: { domain: string[]; range: number[][] };
} {
  const domain = [...names];
  return {
    color: { domain, range: cycle(COLOURS, domain.length) },
    shape: { domain, range: cycle(SHAPES, domain.length) },
    strokeDash: { domain, range: cycle(DASHES, domain.length) },
  };
}

/** The encodings that tell series apart: one legend (colour, shape and dash merged), given order. */
export function seriesEncoding(field: string, names: readonly string[], title: string, with_: { shape?: boolean; dash?: boolean } = {}): Record<string, unknown> {
  const s = seriesScales(names);
  const enc: Record<string, unknown> = { color: { field, type: 'nominal', title, scale: s.color, sort: [...names] } };
  if (with_.shape) enc.shape = { field, type: 'nominal', title, scale: s.shape, sort: [...names] };
  if (with_.dash) enc.strokeDash = { field, type: 'nominal', title, scale: s.strokeDash, sort: [...names] };
  return enc;
}

/** A log axis when every value is positive and the values span at least two decades. */
export function spansDecades(values: readonly number[]): boolean {
  const xs = values.filter((v) => Number.isFinite(v));
  if (xs.length < 2 || xs.some((v) => v <= 0)) return false;
  return Math.max(...xs) / Math.min(...xs) >= 100;
}

/** Tick labels as plain numbers with thousands separators (1,000 not 1k; 0.05 not 50m). */
export const AXIS_NUMBER = { format: ',~f' } as const;

export const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
