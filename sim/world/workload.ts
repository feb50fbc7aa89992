// A writable working set: page groups (hot, warm, cold...), each written uniformly at a rate. Writes
// are a Poisson process split uniformly over a group's W pages, i.e. W independent Poisson processes
// of rate r/W: in an interval dt each page is written with probability 1 - exp(-r dt / W),
// independently. Sampling that directly (geometric skips between written pages) costs time
// proportional to the pages dirtied, not to the writes, and gives the expected saturation
// W (1 - exp(-r t / W)) exactly. Dirtying is brought up to date lazily, whenever anyone looks.
import type { Rng } from '../engine/index.js';
import type { PageStore } from './memory.js';
import type { Seconds } from './units.js';

export interface WssGroup {
  name: string;
  pages: number;
  /** Page writes per second over the whole group (not distinct pages). */
  rate_pages_s: number;
}

// Above this per-page probability, testing every page beats skipping.
const DENSE = 0.25;

export class WritableWorkingSet {
  private readonly starts: number[] = [];
  private lastT: Seconds;
  private paused = false;
  /** Fraction of vCPU time taken away (auto-converge): rates scale by (1 - throttle). */
  private throttle = 0;

  constructor(
    readonly store: PageStore,
    readonly groups: readonly WssGroup[],
    private readonly rng: Rng,
    now: Seconds = 0,
  ) {
    let start = 0;
    for (const g of groups) {
      this.starts.push(start);
      start += g.pages;
    }
    this.lastT = now;
  }

  /** Pages written per second by all groups at full speed. */
  get totalRate(): number {
    return this.groups.reduce((s, g) => s + g.rate_pages_s, 0);
  }

  get cpuThrottle(): number {
    return this.throttle;
  }

  /** Apply all writes up to time `t`. */
  advanceTo(t: Seconds): void {
    const dt = t - this.lastT;
    this.lastT = t;
    if (dt <= 0 || this.paused) return;
    const scale = 1 - this.throttle;
    for (let g = 0; g < this.groups.length; g++) {
      const { pages: w, rate_pages_s: r } = this.groups[g];
      if (w === 0 || r === 0) continue;
      const p = 1 - Math.exp((-r * scale * dt) / w);
      this.writeEach(this.starts[g], this.starts[g] + w, p);
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

  private writeEach(start: number, end: number, p: number): void {
    const store = this.store;
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
