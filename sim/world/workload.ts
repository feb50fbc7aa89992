// A writable working set: page groups, each written at a rate, each with an access pattern.
//   random      writes are a Poisson process of rate r split uniformly over the group's W pages: each
//               page is its own Poisson process, written in an interval with probability
//               1 - exp(-Λ/W) (Λ the group's writes in it), so t seconds dirty W (1 - exp(-r t / W))
//               distinct pages; sampled with geometric skips, at a cost that follows pages dirtied.
//   zipf        the same, with page k (1..W) getting a share k^-s / H (thinning inside buckets).
//   sequential  one writer cycling through the group in address order from its cursor, as a loop
//               over an array does: t seconds dirty exactly min(W, floor(r t)) distinct pages. The
//               state is a count of writes done, so finding the pages an interval dirtied is O(1),
//               never an event per write; marking them costs one store write per distinct page.
// A group's rate may follow a schedule (dirty-rate samples over time), and a trace group replays
// (time, page) writes as given. Groups sit where `start` says (by default one after another).
//
// Time: the workload runs on guest time, which advances at (1 - throttle) of real time, so a CPU
// throttle (auto-converge) slows every group, schedule and trace in proportion. Dirtying is brought
// up to date lazily, whenever anyone looks.
import type { Rng } from '../engine/index.js';
import type { PageStore } from './memory.js';
import type { Seconds } from './units.js';
import { ZipfPopularity } from './zipf.js';

export interface RateStep {
  /** Guest time the rate takes effect. */
  at_s: Seconds;
  rate_pages_s: number;
}

export interface WriteTrace {
  /** Guest times of the writes, non-decreasing. */
  at_s: Float64Array;
  /** Page written by each write (an index into the store). */
  page: Uint32Array;
}

export type AccessPattern = 'random' | 'zipf' | 'sequential';

export interface WssGroup {
  name: string;
  /** Pages covered; 0 for a trace group. */
  pages: number;
  /** First page of the group (default: right after the previous group, the first at page 0). */
  start?: number;
  /** How writes pick pages (default: zipf when `zipf` is set, else random). */
  pattern?: AccessPattern;
  /** Sequential: the page (0-based within the group) the writer's next write goes to at guest time 0. */
  cursor?: number;
  /** Page writes per second over the whole group (not distinct pages), until the first schedule step. */
  rate_pages_s: number;
  /** Piecewise-constant rate: from at_s (guest time) on, rate_pages_s. Sorted by at_s. */
  schedule?: readonly RateStep[];
  /** Zipf exponent s: page k of the group is written with weight k^-s (omit for uniform). */
  zipf?: number;
  /** Replay these writes instead of drawing them. */
  trace?: WriteTrace;
}

// Above this per-page probability, testing every page beats skipping.
const DENSE = 0.25;
// Slack when flooring a sequential group's write count, so r t = 2100 written as 2099.9999999999995
// still counts 2100 writes.
const EPS = 1e-9;

/**
 * Distinct pages a group of `pages` pages written at `rate` page writes per second dirties in `t`
 * seconds, as the model draws them (the header): random W (1 - exp(-r t / W)) (the expectation),
 * sequential min(W, floor(r t)). What `vmsim predict` fits a measured curve with.
 */
export function distinctPages(pattern: 'random' | 'sequential', pages: number, rate: number, t: Seconds): number {
  if (pages <= 0 || rate <= 0 || t <= 0) return 0;
  return pattern === 'sequential' ? Math.min(pages, Math.floor(rate * t + EPS)) : pages * -Math.expm1((-rate * t) / pages);
}

export class WritableWorkingSet {
  readonly starts: number[] = [];
  readonly patterns: AccessPattern[] = [];
  private readonly zipf: Array<ZipfPopularity | null> = [];
  /** Writes a sequential group has done so far (its cursor is cursor0 + this, modulo its pages). */
  private readonly seqDone: number[] = [];
  private readonly traceNext: number[] = [];
  private lastT: Seconds;
  private tau: Seconds = 0;
  private paused = false;
  /** Fraction of vCPU time taken away (auto-converge): guest time runs at (1 - throttle). */
  private throttle = 0;
  /**
   * Page writes made so far (not distinct pages): exact for sequential and trace groups, the
   * expected count (the rate's integral over guest time) for random and zipf ones. A throttled guest
   * runs less guest time, so it writes less: what a per-write cost (dirty tracking) is charged on.
   */
  writes = 0;

  /**
   * The counted memory model's writer (vm.model: counted): random and Zipf groups hand it their
   * writes per span instead of marking pages; null for the per-page model.
   */
  private readonly counted: ((g: number, writes: number) => void) | null;
  /** The counted model's writer of a sequential group's pages [first, first + pages) (no wrap). */
  private readonly countedRange: ((first: number, pages: number) => void) | null;

  /**
   * `store` is null on the counted model, which takes `counted` (random and Zipf groups) and
   * `countedRange` (sequential groups) instead.
   */
  constructor(
    readonly store: PageStore | null,
    readonly groups: readonly WssGroup[],
    private readonly rng: Rng,
    now: Seconds = 0,
    counted: ((g: number, writes: number) => void) | null = null,
    countedRange: ((first: number, pages: number) => void) | null = null,
  ) {
    this.counted = counted;
    this.countedRange = countedRange;
    let start = 0;
    for (const g of groups) {
      start = g.start ?? start;
      this.starts.push(start);
      start += g.pages;
      const pattern = g.pattern ?? (g.zipf !== undefined ? 'zipf' : 'random');
      this.patterns.push(pattern);
      this.zipf.push(pattern === 'zipf' && g.pages > 0 ? new ZipfPopularity(g.pages, g.zipf ?? 1) : null);
      this.traceNext.push(0);
      this.seqDone.push(0);
    }
    this.lastT = now;
  }

  /** Pages written per second by all random groups at full speed, at the current guest time. */
  get totalRate(): number {
    let s = 0;
    for (let g = 0; g < this.groups.length; g++) s += this.rateAt(g, this.tau);
    return s;
  }

  get cpuThrottle(): number {
    return this.throttle;
  }

  /** Guest seconds run so far. */
  get guestTime(): Seconds {
    return this.tau;
  }

  /** Write rate of group g at guest time tau. */
  rateAt(g: number, tau: Seconds): number {
    const grp = this.groups[g];
    let r = grp.rate_pages_s;
    for (const s of grp.schedule ?? []) {
      if (s.at_s <= tau) r = s.rate_pages_s;
      else break;
    }
    return r;
  }

  /** The first schedule step of any group after guest time tau (Infinity if none). */
  nextRateChange(tau: Seconds): Seconds {
    let next = Infinity;
    for (const grp of this.groups) for (const s of grp.schedule ?? []) if (s.at_s > tau) next = Math.min(next, s.at_s);
    return next;
  }

  /** Writes of group g between guest times a and b (the integral of its rate). */
  writesBetween(g: number, a: Seconds, b: Seconds): number {
    let total = 0;
    let t = a;
    while (t < b) {
      let end = b;
      for (const s of this.groups[g].schedule ?? []) if (s.at_s > t) { end = Math.min(end, s.at_s); break; }
      total += this.rateAt(g, t) * (end - t);
      t = end;
    }
    return total;
  }

  /** Whether group g writes in address order (a cursor) rather than at random. */
  isSequential(g: number): boolean {
    return this.patterns[g] === 'sequential' && this.groups[g].trace === undefined;
  }

  /** Writes sequential group g has done by guest time tau (the integral of its rate, floored). */
  writesDone(g: number, tau: Seconds): number {
    return Math.floor(this.writesBetween(g, 0, tau) + EPS);
  }

  /** The page written by write k (0-based) of sequential group g. */
  sequentialPage(g: number, k: number): number {
    const grp = this.groups[g];
    return this.starts[g] + ((grp.cursor ?? 0) + k) % grp.pages;
  }

  /** Guest time of write k (0-based) of group g: when its cumulative writes reach k + 1; Infinity if never. */
  timeOfWrite(g: number, k: number): Seconds {
    const target = k + 1 - EPS;
    const steps = this.groups[g].schedule ?? [];
    let t = 0;
    let done = 0;
    for (let j = 0; ; j++) {
      const rate = this.rateAt(g, t);
      const end = j < steps.length ? Math.max(t, steps[j].at_s) : Infinity;
      if (rate > 0 && done + rate * (end - t) >= target) return t + (target - done) / rate;
      if (end === Infinity) return Infinity;
      done += rate * (end - t);
      t = end;
    }
  }

  /** Share of group g's writes that go to its page `local` (0-based within the group). */
  pageShare(g: number, local: number): number {
    const z = this.zipf[g];
    return z === null ? 1 / this.groups[g].pages : z.share(local + 1);
  }

  /** One page of group g drawn by its popularity (a random access). */
  samplePage(g: number, rng: Rng): number {
    const z = this.zipf[g];
    const local = z === null ? Math.floor(rng() * this.groups[g].pages) : z.sample(rng);
    return this.starts[g] + local;
  }

  /** Apply all writes up to real time `t`. */
  advanceTo(t: Seconds): void {
    const dt = t - this.lastT;
    this.lastT = t;
    if (dt <= 0 || this.paused) return;
    const tau0 = this.tau;
    const tau1 = tau0 + dt * (1 - this.throttle);
    this.tau = tau1;
    if (tau1 <= tau0) return;
    for (let g = 0; g < this.groups.length; g++) {
      const grp = this.groups[g];
      if (grp.trace !== undefined) {
        this.writes += this.replay(g, grp.trace, tau1);
        continue;
      }
      if (grp.pages === 0) continue;
      if (this.patterns[g] === 'sequential') {
        this.writes += this.writeSequential(g, tau1);
        continue;
      }
      const writes = this.writesBetween(g, tau0, tau1);
      if (writes <= 0) continue;
      this.writes += writes;
      if (this.counted !== null) {
        this.counted(g, writes);
        continue;
      }
      const z = this.zipf[g];
      if (z === null) this.writeEach(this.starts[g], this.starts[g] + grp.pages, 1 - Math.exp(-writes / grp.pages));
      else z.writeEach(writes, this.rng, this.starts[g], this.store!);
    }
  }

  /** Change the throttle from `now` on (writes before now use the old one). */
  setThrottle(fraction: number, now: Seconds): void {
    this.advanceTo(now);
    this.throttle = Math.min(1, Math.max(0, fraction));
  }

  /** Stop writing (VM suspended) or start again. */
  pause(now: Seconds): void {
    this.advanceTo(now);
    this.paused = true;
  }

  unpause(now: Seconds): void {
    this.lastT = now;
    this.paused = false;
  }

  /** Index of the first trace write of group g after guest time tau. */
  traceIndexAfter(g: number, tau: Seconds): number {
    const tr = this.groups[g].trace;
    if (tr === undefined) return 0;
    let lo = 0;
    let hi = tr.at_s.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tr.at_s[mid] <= tau) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Replay group g's trace up to guest time tau1; how many writes that was. */
  private replay(g: number, tr: WriteTrace, tau1: Seconds): number {
    const from = this.traceNext[g];
    let k = from;
    const n = tr.at_s.length;
    while (k < n && tr.at_s[k] <= tau1) this.store!.write(tr.page[k++]);
    this.traceNext[g] = k;
    return k - from;
  }

  /** The writes of sequential group g up to guest time tau1: the last min(W, n) of its n new writes, in order; n. */
  private writeSequential(g: number, tau1: Seconds): number {
    const done = this.writesDone(g, tau1);
    const from = this.seqDone[g];
    if (done <= from) return 0;
    this.seqDone[g] = done;
    const W = this.groups[g].pages;
    const count = Math.min(W, done - from);
    const start = this.starts[g];
    let local = ((this.groups[g].cursor ?? 0) + done - count) % W;
    if (this.countedRange !== null) {
      const head = Math.min(count, W - local);
      this.countedRange(start + local, head);
      if (count > head) this.countedRange(start, count - head);
      return done - from;
    }
    for (let k = 0; k < count; k++) {
      this.store!.write(start + local);
      if (++local === W) local = 0;
    }
    return done - from;
  }

  private writeEach(start: number, end: number, p: number): void {
    const store = this.store!;
    const rng = this.rng;
    if (p <= 0) return;
    if (p >= DENSE) {
      for (let i = start; i < end; i++) if (rng() < p) store.write(i);
      return;
    }
    const logq = Math.log(1 - p);
    let i = start - 1;
    for (;;) {
      i += 1 + Math.floor(Math.log(1 - rng()) / logq);
      if (i >= end) return;
      store.write(i);
    }
  }
}
