// Summary statistics for repeated trials: mean, sample standard deviation, and the 95% confidence
// interval of the mean from Student's t (the trials of a point are few, so the normal 1.96 would be
// too narrow: with 3 trials the factor is 4.30, not 1.96).

/** Two-sided 95% quantiles t(0.975, df) for df = 1..30 (standard tables, 6 decimals). */
const T975 = [
  12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
  2.200985, 2.178813, 2.160369, 2.144787, 2.13145, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
  2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.04523, 2.042272,
];

const Z975 = 1.959963984540054;

/** t(0.975, df): the table up to 30, beyond it the Cornish-Fisher expansion (error < 1e-6 there). */
export function t975(df: number): number {
  if (!(df >= 1)) return NaN;
  if (df <= 30 && Number.isInteger(df)) return T975[df - 1];
  const z = Z975;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  const z9 = z ** 9;
  const g1 = (z3 + z) / 4;
  const g2 = (5 * z5 + 16 * z3 + 3 * z) / 96;
  const g3 = (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / 384;
  const g4 = (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (n - 1); NaN for fewer than two values. */
  sd: number;
  min: number;
  max: number;
  ci95_low: number;
  ci95_high: number;
}

/** Summary of the finite values (NaN, a metric a run could not measure, is left out). */
export function summarize(values: readonly number[]): Summary {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, min: NaN, max: NaN, ci95_low: NaN, ci95_high: NaN };
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs) {
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = sum / n;
  if (n < 2) return { n, mean, sd: NaN, min, max, ci95_low: NaN, ci95_high: NaN };
  let ss = 0;
  for (const x of xs) ss += (x - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  const half = (t975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, min, max, ci95_low: mean - half, ci95_high: mean + half };
}

/**
 * The q-quantile (0..1) of the finite values, interpolated linearly between order statistics (R's
 * type 7, numpy's default); NaN when there are none.
 */
export function quantile(values: readonly number[], q: number): number {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return NaN;
  const h = (xs.length - 1) * q;
  const lo = Math.floor(h);
  return lo + 1 >= xs.length ? xs[lo] : xs[lo] + (h - lo) * (xs[lo + 1] - xs[lo]);
}
