// Post-copy faults: after a VM resumes at a site that lacks some of its pages, every access to an
// absent page blocks the vCPU until the page arrives. Accesses follow the VM's working set and its
// access pattern: a random or zipf group accesses its pages at its write rate by popularity; a
// sequential group's writer carries on from where its cursor stood, in address order, so it faults
// on the next absent page ahead of it; a trace group replays its writes. One access stream (one
// vCPU): while a fault is outstanding no further access happens, and its clock stands still (a
// paced writer does not catch up afterwards), so the time blocked is measured here (QEMU's
// postcopy-blocktime) and reported as world events, never by a policy.
//
// Next random fault: the rate of accesses to absent pages is λ = Σ_g r_g m_g, with m_g the
// popularity mass of group g's absent pages. λ only falls as pages arrive (until a scheduled rate
// change), so a candidate drawn at rate λ and accepted with probability λ_now / λ (thinning) is
// exact; the page is then drawn by popularity among the absent ones. Next sequential fault: the
// first absent page from the writer's position, at the guest time the writer reaches it; pages only
// arrive, so if it arrived meanwhile the next candidate lies further on. The stream assumes no CPU
// throttle at the destination (QEMU stops auto-converge when the source stops).
import { Event, type Handle, type Rng, type Simulator } from '../engine/index.js';
import type { Observer } from './observe.js';
import type { Vm } from './vm.js';
import type { Seconds } from './units.js';

export class FaultStream {
  /** Succeeds once every page of the VM's memory is present at the site. */
  readonly complete: Event<undefined>;
  private readonly absent: Int32Array;
  private readonly mass: Float64Array;
  private readonly traceNext: Int32Array;
  private clock: Seconds;
  private lastWall: Seconds;
  private timer: Handle | null = null;
  private blockedOn = -1;
  private blockedSince = 0;
  private queued = -1;
  private waiter: Event<number> | null = null;
  private readonly stop: () => void;

  constructor(
    private readonly sim: Simulator,
    private readonly observe: Observer,
    private readonly vm: Vm,
    private readonly site: string,
    private readonly rng: Rng,
  ) {
    this.complete = new Event<undefined>(sim);
    const w = vm.workload;
    const groups = w?.groups ?? [];
    this.absent = new Int32Array(groups.length);
    this.mass = new Float64Array(groups.length);
    this.traceNext = new Int32Array(groups.length);
    const here = vm.memory.presentAt(site);
    for (let g = 0; g < groups.length; g++) {
      const start = w!.starts[g];
      for (let k = 0; k < groups[g].pages; k++) {
        if (here[start + k] === 0) {
          this.absent[g]++;
          this.mass[g] += w!.pageShare(g, k);
        }
      }
    }
    this.clock = w?.guestTime ?? 0;
    this.lastWall = sim.now;
    for (let g = 0; g < groups.length; g++) this.traceNext[g] = w === null ? 0 : w.traceIndexAfter(g, this.clock);
    this.stop = vm.memory.onArrival(site, (u) => this.arrived(u));
    if (vm.memory.countPresent(site) === vm.memory.count) this.finish();
    else this.arm();
  }

  /** The next page whose access blocks the vCPU (one at a time: the vCPU waits for it to arrive). */
  next(): Event<number> {
    const e = new Event<number>(this.sim);
    if (this.queued >= 0) {
      e.succeed(this.queued);
      this.queued = -1;
    } else this.waiter = e;
    return e;
  }

  private arm(): void {
    if (this.timer !== null) this.sim.cancel(this.timer);
    this.timer = null;
    const w = this.vm.workload;
    if (w === null || this.blockedOn >= 0 || this.complete.state !== 'pending') return;
    const v = this.clock;
    let lambda = 0;
    for (let g = 0; g < w.groups.length; g++) if (this.random(g)) lambda += w.rateAt(g, v) * this.mass[g];
    const change = w.nextRateChange(v);
    const traced = this.nextTraced(v);
    const drawn = lambda > 0 ? v - Math.log(1 - this.rng()) / lambda : Infinity;
    const seq = this.nextSequential(v);
    const at = Math.min(change, traced.at, drawn, seq.at);
    if (at === Infinity) return;
    const kind = at === traced.at ? 'trace' : at === seq.at ? 'seq' : at === drawn ? 'draw' : 'change';
    const page = kind === 'trace' ? traced.page : seq.page;
    this.timer = this.sim.schedule(at - v, () => this.candidate(kind, lambda, page, at));
  }

  private candidate(kind: 'trace' | 'seq' | 'draw' | 'change', lambda: number, page: number, at: Seconds): void {
    this.timer = null;
    this.clock += this.sim.now - this.lastWall;
    this.lastWall = this.sim.now;
    // Guest time advanced by wall-time differences can fall an ulp short of the moment the candidate
    // was set for; a rate change then lay ahead by less than the clock can resolve, and re-arming for
    // it scheduled the same instant forever (post-copy with a rate schedule never ended).
    if (this.clock < at) this.clock = at;
    const here = this.vm.memory.presentAt(this.site);
    if ((kind === 'trace' || kind === 'seq') && here[page] === 0) return this.fault(page);
    if (kind === 'draw') {
      const w = this.vm.workload!;
      let now = 0;
      for (let g = 0; g < w.groups.length; g++) if (this.random(g)) now += w.rateAt(g, this.clock) * this.mass[g];
      if (now > 0 && this.rng() * lambda < now) return this.fault(this.pickAbsent(now));
    }
    this.arm();
  }

  /** A page drawn by popularity among the absent ones, in a group chosen by its absent access rate. */
  private pickAbsent(total: number): number {
    const w = this.vm.workload!;
    let u = this.rng() * total;
    let g = -1;
    for (let k = 0; k < w.groups.length; k++) {
      const weight = this.random(k) ? w.rateAt(k, this.clock) * this.mass[k] : 0;
      if (weight <= 0) continue;
      g = k;
      u -= weight;
      if (u < 0) break;
    }
    const here = this.vm.memory.presentAt(this.site);
    for (;;) {
      const p = w.samplePage(g, this.rng);
      if (here[p] === 0) return p;
    }
  }

  /** A group whose accesses are drawn (random or zipf), not replayed or sequential. */
  private random(g: number): boolean {
    const w = this.vm.workload!;
    return w.groups[g].trace === undefined && !w.isSequential(g);
  }

  /** The earliest access of a sequential writer to an absent page: the first absent page ahead of its cursor. */
  private nextSequential(v: Seconds): { at: Seconds; page: number } {
    const w = this.vm.workload!;
    const here = this.vm.memory.presentAt(this.site);
    let best = { at: Infinity, page: -1 };
    for (let g = 0; g < w.groups.length; g++) {
      if (!w.isSequential(g) || this.absent[g] === 0) continue;
      const k = w.writesDone(g, v);
      const W = w.groups[g].pages;
      for (let j = 0; j < W; j++) {
        const p = w.sequentialPage(g, k + j);
        if (here[p] === 1) continue;
        const at = w.timeOfWrite(g, k + j);
        if (at < best.at) best = { at, page: p };
        break;
      }
    }
    return best;
  }

  private nextTraced(v: Seconds): { at: Seconds; page: number } {
    const w = this.vm.workload!;
    const here = this.vm.memory.presentAt(this.site);
    let best = { at: Infinity, page: -1 };
    for (let g = 0; g < w.groups.length; g++) {
      const tr = w.groups[g].trace;
      if (tr === undefined) continue;
      let k = this.traceNext[g];
      while (k < tr.at_s.length && (tr.at_s[k] <= v || here[tr.page[k]] === 1)) k++;
      this.traceNext[g] = k;
      if (k < tr.at_s.length && tr.at_s[k] < best.at) best = { at: tr.at_s[k], page: tr.page[k] };
    }
    return best;
  }

  private fault(page: number): void {
    this.blockedOn = page;
    this.blockedSince = this.sim.now;
    if (this.observe.active) this.observe.emit({ type: 'fault', t: this.sim.now, vm: this.vm.name, store: this.vm.memory.name, unit: page, source: this.site });
    if (this.waiter !== null) {
      const e = this.waiter;
      this.waiter = null;
      e.succeed(page);
    } else this.queued = page;
  }

  private arrived(unit: number): void {
    const w = this.vm.workload;
    if (w !== null) {
      const g = this.groupOf(unit);
      if (g >= 0) {
        this.absent[g]--;
        this.mass[g] = this.absent[g] === 0 ? 0 : Math.max(0, this.mass[g] - w.pageShare(g, unit - w.starts[g]));
      }
    }
    if (unit === this.blockedOn) {
      if (this.observe.active) {
        this.observe.emit({ type: 'fault-served', t: this.sim.now, vm: this.vm.name, store: this.vm.memory.name, unit, waited_s: this.sim.now - this.blockedSince });
      }
      this.blockedOn = -1;
      this.lastWall = this.sim.now;
      this.arm();
    }
    if (this.vm.memory.countPresent(this.site) === this.vm.memory.count) this.finish();
  }

  private groupOf(unit: number): number {
    const w = this.vm.workload!;
    for (let g = 0; g < w.groups.length; g++) {
      const grp = w.groups[g];
      if (grp.trace === undefined && unit >= w.starts[g] && unit < w.starts[g] + grp.pages) return g;
    }
    return -1;
  }

  private finish(): void {
    if (this.complete.state !== 'pending') return;
    if (this.timer !== null) this.sim.cancel(this.timer);
    this.timer = null;
    this.stop();
    this.complete.succeed(undefined);
  }
}
