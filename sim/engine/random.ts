// Named random streams. Each stream is seeded from (run seed, stream name), so adding a component
// with its own stream never shifts the numbers another component draws.
import seedrandom from 'seedrandom';

export type Rng = () => number;

export class RandomStreams {
  private readonly streams = new Map<string, Rng>();
  constructor(readonly seed: number | string) {}

  /** The stream called `name`: uniform in [0, 1). The same name returns the same stream. */
  stream(name: string): Rng {
    let s = this.streams.get(name);
    if (s === undefined) {
      // Alea: fast, small state, good statistical quality; plenty for a simulator.
      const prng = seedrandom.alea(`${this.seed}\u0000${name}`);
      s = () => prng();
      this.streams.set(name, s);
    }
    return s;
  }
}

/** Exponential variate with the given mean. */
export const exponential = (rng: Rng, mean: number): number => -mean * Math.log(1 - rng());

/** Uniform in [lo, hi). */
export const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng();

/** Standard normal (Box-Muller; one value per call keeps streams simple to reason about). */
export const normal = (rng: Rng, mean = 0, sd = 1): number =>
  mean + sd * Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());

/** Poisson variate (Knuth for small means, normal approximation beyond). */
export function poisson(rng: Rng, mean: number): number {
  if (mean <= 0) return 0;
  if (mean > 50) return Math.max(0, Math.round(normal(rng, mean, Math.sqrt(mean))));
  const l = Math.exp(-mean);
  let k = 0;
  let p = rng();
  while (p > l) {
    k++;
    p *= rng();
  }
  return k;
}
