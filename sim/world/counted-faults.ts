// Post-copy faults on the counted memory model (counted-memory.ts): the same access process as the
// per-page fault stream (faults.ts) with page identities replaced by segments. Accesses of random
// and Zipf groups to absent pages come at rate λ = Σ r_g share_k absent_k over segments k (a
// candidate at rate λ accepted with probability λ_now / λ as pages arrive: exact, as faults.ts);
// the faulted page is an absent page of a segment drawn by that weight, and it is either still
// pending at the source (the fault holds it there until the policy's request fetches it: the
// background stream cannot send it meanwhile, a small difference from QEMU, where it could within
// the request's round trip) or on its way in a send drawn by how many of the segment's pages each
// carries. One access stream: while a fault is outstanding no further access happens and its clock
// stands still; the time blocked is measured here, never by a policy. A fault event's `unit` is the
// segment's first page (the model keeps no page identities).
import { Event, type Handle, type Rng, type Simulator } from '../engine/index.js';
import { PENDING, PRESENT, type CountedMemory, type CountedSend } from './counted-memory.js';
import type { Observer } from './observe.js';
import type { Vm } from './vm.js';
import type { Seconds } from './units.js';

export interface CountedFault {
  segment: number;
  /** holdPending's value when the page was still pending (the request must fetch it), else -1. */
  held: number;
}

export class CountedFaultStream {
  /** Succeeds once every page is present at the destination. */
  readonly complete: Event<undefined>;
  private clock: Seconds;
  private lastWall: Seconds;
  private timer: Handle | null = null;
  /** The outstanding fault: waiting for `blockedOn` to land, or for its held page to be sent. */
  private blocked = false;
  private blockedOn: CountedSend | null = null;
  private blockedSince = 0;
  private blockedSegment = -1;
  private queued: CountedFault | null = null;
  private waiter: Event<CountedFault> | null = null;

  constructor(
    private readonly sim: Simulator,
    private readonly observe: Observer,
    private readonly vm: Vm,
    private readonly mem: CountedMemory,
    private readonly rng: Rng,
    /** Sends on their way (not landed). */
    private readonly inFlight: () => Iterable<CountedSend>,
  ) {
    this.complete = new Event<undefined>(sim);
    this.clock = vm.workload?.guestTime ?? 0;
    this.lastWall = sim.now;
    if (mem.present === mem.count) this.finish();
    else this.arm();
  }

  next(): Event<CountedFault> {
    const e = new Event<CountedFault>(this.sim);
    if (this.queued !== null) {
      e.succeed(this.queued);
      this.queued = null;
    } else this.waiter = e;
    return e;
  }

  /** The held page of the outstanding fault left in `send`: the vCPU waits for it to land. */
  waitFor(send: CountedSend): void {
    this.blockedOn = send;
  }

  /** `send` landed (its pages are marked present). */
  landed(send: CountedSend): void {
    if (this.blocked && send === this.blockedOn) {
      if (this.observe.active) {
        this.observe.emit({ type: 'fault-served', t: this.sim.now, vm: this.vm.name, store: this.mem.name, unit: this.mem.segments[this.blockedSegment].start, waited_s: this.sim.now - this.blockedSince });
      }
      this.blocked = false;
      this.blockedOn = null;
      this.lastWall = this.sim.now;
    }
    // Between faults λ only falls as pages land: the candidate drawn at the old λ is thinned.
    if (this.mem.present === this.mem.count) this.finish();
    else if (!this.blocked && this.timer === null) this.arm();
  }

  /** Rate of accesses to absent pages at guest time v. */
  private lambda(v: Seconds, weights: Float64Array | null): number {
    const w = this.vm.workload;
    if (w === null) return 0;
    let total = 0;
    this.mem.segments.forEach((s, k) => {
      const x = s.group < 0 ? 0 : w.rateAt(s.group, v) * s.share * this.mem.segmentCount(k, PRESENT, 0);
      if (weights !== null) weights[k] = x;
      total += x;
    });
    return total;
  }

  private arm(): void {
    if (this.timer !== null) this.sim.cancel(this.timer);
    this.timer = null;
    const w = this.vm.workload;
    if (w === null || this.blocked || this.complete.state !== 'pending') return;
    const v = this.clock;
    const lambda = this.lambda(v, null);
    const drawn = lambda > 0 ? v - Math.log(1 - this.rng()) / lambda : Infinity;
    const at = Math.min(drawn, w.nextRateChange(v));
    if (at === Infinity) return;
    this.timer = this.sim.schedule(at - v, () => this.candidate(at === drawn, lambda, at));
  }

  private candidate(draw: boolean, lambda: number, at: Seconds): void {
    this.timer = null;
    this.clock += this.sim.now - this.lastWall;
    this.lastWall = this.sim.now;
    if (this.clock < at) this.clock = at; // as faults.ts: never re-arm for an instant the clock cannot resolve
    if (draw) {
      const weights = new Float64Array(this.mem.segments.length);
      const now = this.lambda(this.clock, weights);
      if (now > 0 && this.rng() * lambda < now) return this.fault(weights, now);
    }
    this.arm();
  }

  private fault(weights: Float64Array, total: number): void {
    let u = this.rng() * total;
    let k = 0;
    for (; k < weights.length - 1; k++) {
      if (weights[k] > 0 && u < weights[k]) break;
      u -= weights[k];
    }
    while (weights[k] <= 0) k--; // rounding left u past the last weight
    const absent = this.mem.segmentCount(k, PRESENT, 0);
    const pending = this.mem.segmentCount(k, PENDING | PRESENT, PENDING);
    let held = -1;
    this.blockedOn = null;
    if (this.rng() * absent < pending) held = this.mem.holdPending(k);
    else this.blockedOn = this.carrier(k);
    this.blocked = true;
    this.blockedSince = this.sim.now;
    this.blockedSegment = k;
    if (this.observe.active) this.observe.emit({ type: 'fault', t: this.sim.now, vm: this.vm.name, store: this.mem.name, unit: this.mem.segments[k].start, source: this.vm.site });
    const f: CountedFault = { segment: k, held };
    if (this.waiter !== null) {
      const e = this.waiter;
      this.waiter = null;
      e.succeed(f);
    } else this.queued = f;
  }

  /** A send on its way carrying pages of segment k, drawn by how many it carries. */
  private carrier(k: number): CountedSend | null {
    const sends: Array<[CountedSend, number]> = [];
    let total = 0;
    for (const s of this.inFlight()) {
      for (let j = 0; j < s.bySegment.length; j += 2) {
        if (s.bySegment[j] !== k) continue;
        sends.push([s, s.bySegment[j + 1]]);
        total += s.bySegment[j + 1];
      }
    }
    let u = this.rng() * total;
    for (const [s, n] of sends) {
      if (u < n) return s;
      u -= n;
    }
    return sends.length > 0 ? sends[sends.length - 1][0] : null;
  }

  private finish(): void {
    if (this.complete.state !== 'pending') return;
    if (this.timer !== null) this.sim.cancel(this.timer);
    this.timer = null;
    this.complete.succeed(undefined);
  }
}
