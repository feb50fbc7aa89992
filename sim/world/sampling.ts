// Exact samplers of counts on a seeded stream, for the counted memory model (counted-memory.ts):
// how many of n pages a span of random writes dirties (binomial), and how many pages of one state a
// scan of k pages out of a mixed set takes (hypergeometric). Both invert the distribution function
// over a fixed order of the support: from 0 upwards when the mean is small, otherwise outwards from
// the mode (mode, mode+1, mode-1, ...), so the cost is O(mean) or O(standard deviation), never O(n),
// and the draw is the exact distribution up to floating-point rounding of its probabilities (no
// normal approximation). One uniform per draw.
import type { Rng } from '../engine/index.js';

const LOG_FACT_TABLE = 256;
const logFactTable = new Float64Array(LOG_FACT_TABLE);
for (let k = 1; k < LOG_FACT_TABLE; k++) logFactTable[k] = logFactTable[k - 1] + Math.log(k);
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** log(n!), exact table below 256, Stirling's series above (relative error below 1e-16 there). */
export function logFactorial(n: number): number {
  if (n < LOG_FACT_TABLE) return logFactTable[n];
  const inv = 1 / n;
  const inv2 = inv * inv;
  return (n + 0.5) * Math.log(n) - n + HALF_LOG_2PI + inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 / 1680)));
}

const logChoose = (n: number, k: number): number => logFactorial(n) - logFactorial(k) - logFactorial(n - k);

/** Below this mean, invert from 0 (the probability of 0 is far from underflow). */
const SMALL_MEAN = 30;

/** Binomial(n, p): successes in n independent trials of probability p. */
export function binomial(n: number, p: number, rng: Rng): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(n, 1 - p, rng);
  const q = 1 - p;
  const r = p / q;
  const u = rng();
  if (n * p < SMALL_MEAN) {
    let f = Math.exp(n * Math.log1p(-p));
    let acc = f;
    let x = 0;
    while (u >= acc && x < n) {
      f *= ((n - x) / (x + 1)) * r;
      x++;
      acc += f;
      if (f < 1e-300 && x > n * p) break;
    }
    return x;
  }
  // Outwards from the mode: mode, mode+1, mode-1, ... (ratios P(x+1)/P(x) and P(x-1)/P(x)). If
  // rounding leaves u beyond the summed mass (both tails underflowed), the mode.
  const mode = Math.floor((n + 1) * p);
  const p0 = Math.exp(logChoose(n, mode) + mode * Math.log(p) + (n - mode) * Math.log1p(-p));
  let acc = p0;
  if (u < acc) return mode;
  let a = mode;
  let b = mode;
  let pa = p0;
  let pb = p0;
  while (a > 0 || b < n) {
    if (b < n) {
      pb *= ((n - b) / (b + 1)) * r;
      b++;
      acc += pb;
      if (u < acc) return b;
    }
    if (a > 0) {
      pa *= a / ((n - a + 1) * r);
      a--;
      acc += pa;
      if (u < acc) return a;
    }
    if (pa < 1e-300 && pb < 1e-300) break;
  }
  return mode;
}

/** Hypergeometric: of k pages drawn without replacement from N of which K are marked, how many are marked. */
export function hypergeometric(k: number, K: number, N: number, rng: Rng): number {
  if (k <= 0 || K <= 0) return 0;
  if (K >= N) return k;
  if (k >= N) return K;
  const lo = Math.max(0, k - (N - K));
  const hi = Math.min(k, K);
  if (lo === hi) return lo;
  const mode = Math.min(hi, Math.max(lo, Math.floor(((k + 1) * (K + 1)) / (N + 2))));
  const p0 = Math.exp(logChoose(K, mode) + logChoose(N - K, k - mode) - logChoose(N, k));
  // Outwards from the mode, as binomial() does.
  const u = rng();
  const M = N - K - k;
  let acc = p0;
  if (u < acc) return mode;
  let a = mode;
  let b = mode;
  let pa = p0;
  let pb = p0;
  while (a > lo || b < hi) {
    if (b < hi) {
      pb *= ((K - b) * (k - b)) / ((b + 1) * (M + b + 1));
      b++;
      acc += pb;
      if (u < acc) return b;
    }
    if (a > lo) {
      pa *= (a * (M + a)) / ((K - a + 1) * (k - a + 1));
      a--;
      acc += pa;
      if (u < acc) return a;
    }
    if (pa < 1e-300 && pb < 1e-300) break;
  }
  return mode;
}

/**
 * Negative hypergeometric: in a random order of p marked and r unmarked pages, how many unmarked ones
 * come before the k-th marked one (1 <= k <= p). P(x) = C(x+k-1, x) C(r-x+p-k, r-x) / C(r+p, r).
 */
export function negativeHypergeometric(k: number, p: number, r: number, rng: Rng): number {
  if (r <= 0 || k <= 0) return 0;
  const mode = Math.min(r, Math.max(0, Math.floor((k * r) / (p + 1))));
  const logP = (x: number): number => logChoose(x + k - 1, x) + logChoose(r - x + p - k, r - x) - logChoose(r + p, r);
  const p0 = Math.exp(logP(mode));
  const u = rng();
  let acc = p0;
  if (u < acc) return mode;
  let a = mode;
  let b = mode;
  let pa = p0;
  let pb = p0;
  while (a > 0 || b < r) {
    if (b < r) {
      pb *= ((b + k) / (b + 1)) * ((r - b) / (r - b + p - k));
      b++;
      acc += pb;
      if (u < acc) return b;
    }
    if (a > 0) {
      pa *= (a / (a + k - 1)) * ((r - a + 1 + p - k) / (r - a + 1));
      a--;
      acc += pa;
      if (u < acc) return a;
    }
    if (pa < 1e-300 && pb < 1e-300) break;
  }
  return mode;
}
