// Zipf-like popularity over a group of W pages: page of rank k (1..W) gets the share k^-s / H of the
// group's writes, H = sum of k^-s. Ranks are cut into buckets whose first page is at most
// BUCKET_RATIO^s more popular than its last, so inside a bucket one geometric-skip pass at the
// bucket's top probability plus thinning (accept with p_k / p_top) samples every page's own
// probability exactly, at a cost within BUCKET_RATIO^s of the pages actually written.
import type { Rng } from '../engine/index.js';

/** Width of a bucket in rank: an implementation choice (cost only), not a model parameter. */
const BUCKET_RATIO = 1.25;
// Above this probability, testing every page beats skipping.
const DENSE = 0.25;
// Sums of k^-s over ranges with more terms than this, starting at or above it, use the midpoint
// integral; its relative error there is below 1e-6.
const EXACT_TERMS = 64;

interface Writer {
  write(i: number): void;
}

export class ZipfPopularity {
  /** First rank (1-based) of each bucket, then W + 1. */
  private readonly edge: Uint32Array;
  /** Cumulative share of the writes up to the end of each bucket (last = 1). */
  private readonly cum: Float64Array;
  private readonly norm: number;

  constructor(
    readonly pages: number,
    readonly s: number,
  ) {
    const edges = [1];
    while (edges[edges.length - 1] <= pages) {
      const a = edges[edges.length - 1];
      edges.push(Math.min(pages + 1, Math.max(a + 1, Math.ceil(a * BUCKET_RATIO))));
    }
    this.edge = Uint32Array.from(edges);
    const masses = [];
    for (let j = 0; j + 1 < edges.length; j++) masses.push(this.sum(edges[j], edges[j + 1] - 1));
    this.norm = masses.reduce((x, y) => x + y, 0);
    this.cum = new Float64Array(masses.length);
    let c = 0;
    for (let j = 0; j < masses.length; j++) this.cum[j] = c += masses[j] / this.norm;
    this.cum[masses.length - 1] = 1;
  }

  /** Share of the group's writes that go to the page of rank k (1-based). */
  share(k: number): number {
    return Math.pow(k, -this.s) / this.norm;
  }

  /** Apply `writes` writes spread by popularity: each page k written with probability 1 - exp(-writes share(k)). */
  writeEach(writes: number, rng: Rng, offset: number, store: Writer): void {
    const buckets = this.cum.length;
    for (let j = 0; j < buckets; j++) {
      const a = this.edge[j];
      const b = this.edge[j + 1] - 1;
      const top = 1 - Math.exp(-writes * this.share(a));
      if (top <= 0) return; // later buckets are less popular still
      if (top >= DENSE) {
        for (let k = a; k <= b; k++) if (rng() < 1 - Math.exp(-writes * this.share(k))) store.write(offset + k - 1);
        continue;
      }
      const logq = Math.log(1 - top);
      let k = a - 1;
      for (;;) {
        k += 1 + Math.floor(Math.log(1 - rng()) / logq);
        if (k > b) break;
        if (rng() * top < 1 - Math.exp(-writes * this.share(k))) store.write(offset + k - 1);
      }
    }
  }

  /** The buckets as runs of ranks (0-based first page, page count) with the mean share of a page in each. */
  buckets(): Array<{ first: number; pages: number; share: number }> {
    const out = [];
    for (let j = 0; j < this.cum.length; j++) {
      const pages = this.edge[j + 1] - this.edge[j];
      out.push({ first: this.edge[j] - 1, pages, share: (this.cum[j] - (j > 0 ? this.cum[j - 1] : 0)) / pages });
    }
    return out;
  }

  /** A page index (0-based within the group) drawn by popularity. */
  sample(rng: Rng): number {
    const u = rng();
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    const a = this.edge[lo];
    const width = this.edge[lo + 1] - a;
    for (;;) {
      const k = a + Math.floor(rng() * width);
      if (rng() < Math.pow(a / k, this.s)) return k - 1;
    }
  }

  /** Sum of k^-s for k = a..b. */
  private sum(a: number, b: number): number {
    const s = this.s;
    if (b - a < EXACT_TERMS || a < EXACT_TERMS) {
      let t = 0;
      for (let k = a; k <= b; k++) t += Math.pow(k, -s);
      return t;
    }
    const lo = a - 0.5;
    const hi = b + 0.5;
    return Math.abs(s - 1) < 1e-12 ? Math.log(hi / lo) : (Math.pow(hi, 1 - s) - Math.pow(lo, 1 - s)) / (1 - s);
  }
}
