// The counted model's samplers draw the exact binomial and hypergeometric distributions: empirical
// frequencies against the probability mass function (small n, where every value is frequent), and
// mean and variance against theory (large n, the mode-centred branch).
import { describe, expect, it } from 'vitest';
import { RandomStreams } from '../../sim/engine/index.js';
import { binomial, hypergeometric, logFactorial, negativeHypergeometric } from '../../sim/world/sampling.js';

const logChoose = (n: number, k: number): number => logFactorial(n) - logFactorial(k) - logFactorial(n - k);

/** Pearson's chi-square of counts against expected probabilities (cells with expectation >= 5). */
function chiSquare(counts: number[], probs: number[], draws: number): { stat: number; cells: number } {
  let stat = 0;
  let cells = 0;
  probs.forEach((p, x) => {
    const e = p * draws;
    if (e < 5) return;
    stat += (counts[x] - e) ** 2 / e;
    cells++;
  });
  return { stat, cells };
}

function moments(draw: () => number, n: number): { mean: number; variance: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const x = draw();
    s += x;
    s2 += x * x;
  }
  const mean = s / n;
  return { mean, variance: s2 / n - mean * mean };
}

describe('samplers', () => {
  it('log n! is exact below the table and matches the sum of logs above it', () => {
    let sum = 0;
    for (let k = 1; k <= 2000; k++) {
      sum += Math.log(k);
      expect(Math.abs(logFactorial(k) - sum)).toBeLessThanOrEqual(1e-12 * sum);
    }
  });

  it('binomial draws follow the pmf (small and mode-centred branches)', () => {
    for (const [n, p] of [[20, 0.3], [200, 0.4], [150, 0.9]] as const) {
      const rng = new RandomStreams(7).stream(`b${n}`);
      const draws = 40_000;
      const counts = new Array(n + 1).fill(0);
      for (let i = 0; i < draws; i++) counts[binomial(n, p, rng)]++;
      const probs = counts.map((_, x) => Math.exp(logChoose(n, x) + x * Math.log(p) + (n - x) * Math.log1p(-p)));
      const { stat, cells } = chiSquare(counts, probs, draws);
      // 99.9% quantile of chi-square with df = cells - 1 is below df + 4 sqrt(2 df) + 10 for these df.
      expect(stat).toBeLessThan(cells - 1 + 4 * Math.sqrt(2 * (cells - 1)) + 10);
    }
  });

  it('hypergeometric draws follow the pmf', () => {
    for (const [k, K, N] of [[30, 40, 100], [500, 3000, 10_000]] as const) {
      const rng = new RandomStreams(3).stream(`h${k}`);
      const draws = 40_000;
      const counts = new Array(k + 1).fill(0);
      for (let i = 0; i < draws; i++) counts[hypergeometric(k, K, N, rng)]++;
      const probs = counts.map((_, x) => (x > K || k - x > N - K ? 0 : Math.exp(logChoose(K, x) + logChoose(N - K, k - x) - logChoose(N, k))));
      const { stat, cells } = chiSquare(counts, probs, draws);
      expect(stat).toBeLessThan(cells - 1 + 4 * Math.sqrt(2 * (cells - 1)) + 10);
    }
  });

  it('negative hypergeometric draws follow the pmf', () => {
    for (const [k, p, r] of [[1, 10, 30], [7, 20, 60], [40, 400, 900]] as const) {
      const rng = new RandomStreams(5).stream(`n${k}`);
      const draws = 40_000;
      const counts = new Array(r + 1).fill(0);
      for (let i = 0; i < draws; i++) counts[negativeHypergeometric(k, p, r, rng)]++;
      const probs = counts.map((_, x) => Math.exp(logChoose(x + k - 1, x) + logChoose(r - x + p - k, r - x) - logChoose(r + p, r)));
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      const { stat, cells } = chiSquare(counts, probs, draws);
      expect(stat).toBeLessThan(cells - 1 + 4 * Math.sqrt(2 * (cells - 1)) + 10);
    }
  });

  it('large draws have the theoretical mean and variance', () => {
    const rng = new RandomStreams(11).stream('big');
    const n = 2_000_000;
    const p = 0.025;
    const b = moments(() => binomial(n, p, rng), 4000);
    expect(Math.abs(b.mean - n * p) / Math.sqrt((n * p * (1 - p)) / 4000)).toBeLessThan(4);
    expect(b.variance / (n * p * (1 - p))).toBeGreaterThan(0.9);
    expect(b.variance / (n * p * (1 - p))).toBeLessThan(1.1);
    const [k, K, N] = [30_000, 400_000, 2_000_000];
    const hv = (k * K * (N - K) * (N - k)) / (N * N * (N - 1));
    const h = moments(() => hypergeometric(k, K, N, rng), 4000);
    expect(Math.abs(h.mean - (k * K) / N) / Math.sqrt(hv / 4000)).toBeLessThan(4);
    expect(h.variance / hv).toBeGreaterThan(0.9);
    expect(h.variance / hv).toBeLessThan(1.1);
  });

  it('edge cases are exact', () => {
    const rng = new RandomStreams(1).stream('e');
    expect(binomial(0, 0.5, rng)).toBe(0);
    expect(binomial(10, 0, rng)).toBe(0);
    expect(binomial(10, 1, rng)).toBe(10);
    expect(hypergeometric(5, 0, 10, rng)).toBe(0);
    expect(hypergeometric(5, 10, 10, rng)).toBe(5);
    expect(hypergeometric(8, 5, 10, rng)).toBeGreaterThanOrEqual(3);
  });
});
