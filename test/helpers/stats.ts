// Two-sample statistics for agreement tests (the counted memory model against the per-page one).

export const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Two-sample Kolmogorov-Smirnov statistic: the largest gap between the samples' empirical CDFs. */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  if ([...a, ...b].some((v) => !Number.isFinite(v))) throw new Error('the KS statistic needs finite values (a metric missing in some runs?)');
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * The KS test's critical value at level alpha for samples of n and m (the asymptotic Kolmogorov
 * distribution: c(alpha) sqrt((n + m) / (n m)), c = sqrt(-ln(alpha / 2) / 2); 1.628 at 1%).
 * Conservative for discrete data (ties), so a rejection is never an artefact of ties.
 */
export function ksCritical(n: number, m: number, alpha: number): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2) * Math.sqrt((n + m) / (n * m));
}

/** Whether the KS test rejects "same distribution" at level alpha. */
export const ksRejects = (a: readonly number[], b: readonly number[], alpha: number): boolean => ksStatistic(a, b) > ksCritical(a.length, b.length, alpha);

const variance = (xs: readonly number[]): number => {
  const m = mean(xs);
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / (xs.length - 1);
};

/**
 * Welch's t statistic of mean(b) - mean(a); 0 when both samples are constant and equal, Infinity
 * when they are constant and differ.
 */
export function welchT(a: readonly number[], b: readonly number[]): number {
  const se = Math.sqrt(variance(a) / a.length + variance(b) / b.length);
  const d = mean(b) - mean(a);
  if (se === 0) return d === 0 ? 0 : Infinity;
  return d / se;
}

/** Two-sided 1% critical value of the standard normal: stricter than Student's t at any df (2.64 at df 80). */
export const WELCH_CRITICAL_1PCT = 2.576;
