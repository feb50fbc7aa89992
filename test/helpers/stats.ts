// Two-sample statistics for agreement tests (the counted memory model against the per-page one).

export const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Two-sample Kolmogorov-Smirnov statistic: the largest gap between the samples' empirical CDFs. */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
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
