// Fluid max-min sharing of capacity between active flows (SimGrid's LMM, reduced to the case we
// need). A resource is anything with a throughput: one direction of a link, a storage server.
// A flow crosses one or more resources and may carry its own cap and a priority: flows of a higher
// priority share the capacity max-min fairly first, and lower ones share what is left (strict
// priority, as for post-copy page requests ahead of the background stream). Rates are recomputed only when
// a flow starts or ends or a capacity changes, and once per instant however many changes happen
// at it. One timer per network (the next drain) keeps the event queue small. The filling itself
// runs over numbered resources and flow slots (max-min.ts); a listener learns what changed from
// `changes` (flow-changes.ts) rather than by walking every flow.
import type { Simulator, Handle } from '../engine/index.js';
import type { Bytes, BytesPerSecond } from './units.js';
import { MaxMin } from './max-min.js';
import { FlowChanges } from './flow-changes.js';

export class Resource {
  // Paths starting here, kept for reuse (flows only read their path): alone, and with the last
  // resource asked for (a link direction and its storage server).
  private alone: readonly Resource[] | null = null;
  private pairedWith: Resource | null = null;
  private pair: readonly Resource[] = [];
  constructor(
    readonly name: string,
    public capacity: BytesPerSecond,
  ) {}

  /** The path of a flow crossing this resource and then `via`. */
  path(via: readonly Resource[] | undefined): readonly Resource[] {
    if (via === undefined || via.length === 0) return (this.alone ??= [this]);
    if (via.length > 1) return [this, ...via];
    if (this.pairedWith !== via[0]) {
      this.pairedWith = via[0];
      this.pair = [this, via[0]];
    }
    return this.pair;
  }
}

export class Flow {
  remaining: Bytes;
  rate: BytesPerSecond = 0;
  active = false;
  /** The flow's slot in its network's filling while active. */
  slot = -1;
  constructor(
    readonly bytes: Bytes,
    readonly resources: readonly Resource[],
    readonly cap: BytesPerSecond,
    readonly onDrained: (f: Flow) => void,
    /** Higher is served first; flows of equal priority share max-min fairly. */
    readonly priority = 0,
    /** Whatever started the flow, for onDrained (which can then be one shared function). */
    readonly owner: unknown = null,
  ) {
    this.remaining = bytes;
  }
}

// Float residue below this (in bytes) counts as drained.
const EPS_BYTES = 1e-6;
// A flow due to drain within this many seconds is drained now: far from t = 0, adding a smaller
// step to the clock would not move it, and the timer would fire forever at the same instant.
const timeEps = (now: number): number => Math.max(1e-9, Math.abs(now) * 1e-12);

export class Network {
  // The first `count` entries are the active flows, in start order (the order rates are filled in,
  // so it must be kept). The array never shrinks: resetting an array's length goes through a slow
  // runtime setter and gives up its storage, so the next start would grow it again.
  private flows: Array<Flow | null> = [];
  private count = 0;
  /** Scratch for drain(): the flows that finished, in order. */
  private drained: Array<Flow | null> = [];
  private lastSettle = 0;
  private timer: Handle | null = null;
  private reshareQueued = false;
  private readonly maxMin = new MaxMin();
  /** The active flows by slot. */
  private readonly bySlot: Array<Flow | null> = [];
  private readonly reshareNow = (): void => {
    this.reshareQueued = false;
    this.settle();
    this.reshare();
  };
  private readonly onTimer = (): void => {
    this.timer = null;
    this.settle();
    this.drain();
    this.reshare();
  };

  /** Called after every reshare, when the rates of the active flows are those from now on (a cluster's link accounting). */
  onRates: (() => void) | null = null;
  /** What changed since the last reshare, while `changes.on` (for onRates; cleared after it). */
  readonly changes = new FlowChanges();

  constructor(private readonly sim: Simulator) {}

  get activeFlows(): number {
    return this.count;
  }

  /** The `i`th active flow in start order (0 <= i < activeFlows). */
  flowAt(i: number): Flow {
    return this.flows[i] as Flow;
  }

  /** Each active flow, in start order. */
  forEachFlow(fn: (f: Flow) => void): void {
    for (let i = 0; i < this.count; i++) fn(this.flows[i] as Flow);
  }

  start(flow: Flow): void {
    this.settle();
    flow.active = true;
    flow.slot = this.maxMin.add(flow.resources, flow.cap, flow.priority);
    this.bySlot[flow.slot] = flow;
    this.changes.push(flow, 'started');
    this.flows[this.count++] = flow;
    // Alone on an idle network: share at once. Otherwise batch every change at this instant.
    if (this.count === 1 && !this.reshareQueued) this.reshare();
    else this.queueReshare();
  }

  /** Stop a flow early; its remaining bytes are left where they are. */
  cancel(flow: Flow): void {
    if (!flow.active) return;
    this.settle();
    flow.active = false;
    flow.rate = 0;
    this.release(flow);
    const fs = this.flows;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      const f = fs[i] as Flow;
      if (f !== flow) fs[kept++] = f;
    }
    this.truncate(kept);
    this.queueReshare();
  }

  private release(flow: Flow): void {
    this.maxMin.remove(flow.slot);
    this.bySlot[flow.slot] = null;
    flow.slot = -1;
    this.changes.push(flow, 'ended');
  }

  /** Keep the first `n` flows; drop references to the rest. */
  private truncate(n: number): void {
    for (let i = n; i < this.count; i++) this.flows[i] = null;
    this.count = n;
  }

  setCapacity(r: Resource, capacity: BytesPerSecond): void {
    this.settle();
    r.capacity = capacity;
    this.maxMin.setCapacity(r);
    this.queueReshare();
  }

  /** Bring every flow's remaining bytes up to now. */
  private settle(): void {
    const dt = this.sim.now - this.lastSettle;
    this.lastSettle = this.sim.now;
    if (dt <= 0) return;
    const fs = this.flows;
    for (let i = 0; i < this.count; i++) {
      const f = fs[i] as Flow;
      f.remaining -= f.rate * dt;
      if (f.remaining < 0) f.remaining = 0;
    }
  }

  private queueReshare(): void {
    if (this.reshareQueued) return;
    this.reshareQueued = true;
    this.sim.schedule(0, this.reshareNow);
  }

  private drain(): void {
    // Compact in place and list the finished flows in a reused scratch array: a drain happens once
    // per finished flow, so no arrays per call. (drain runs only from the timer, never nested.)
    const fs = this.flows;
    const done = this.drained;
    const eps = timeEps(this.sim.now);
    let kept = 0;
    let d = 0;
    for (let i = 0; i < this.count; i++) {
      const f = fs[i] as Flow;
      if (f.remaining <= EPS_BYTES + 1e-12 * f.bytes || f.remaining <= f.rate * eps) done[d++] = f;
      else fs[kept++] = f;
    }
    this.truncate(kept);
    for (let i = 0; i < d; i++) {
      const f = done[i] as Flow;
      done[i] = null;
      this.release(f);
      f.active = false;
      f.rate = 0;
      f.remaining = 0;
      f.onDrained(f);
    }
  }

  /** Strict priority between levels; progressive filling within a level, on what higher levels left. */
  private reshare(): void {
    const n = this.count;
    const fs = this.flows as Flow[];
    const mm = this.maxMin;
    if (n === 1) {
      // Alone: the flow gets the smallest capacity on its path, or its cap.
      const f = fs[0];
      let rate = f.cap;
      for (const r of f.resources) if (r.capacity < rate) rate = r.capacity;
      f.rate = Math.max(0, rate);
      if (mm.setRate(f.slot, f.rate)) this.changes.push(f, 'rate');
    } else if (n > 1) {
      if (!mm.mixed) mm.fillAll();
      else {
        // Each level (highest first) shares what the levels above it left.
        const active = fs.slice(0, n);
        const levels = [...new Set(active.map((f) => f.priority))].sort((a, b) => b - a);
        for (const p of levels) {
          const level = active.filter((f) => f.priority === p).map((f) => f.slot);
          mm.fillLevel(level, level.length, p === levels[0]);
        }
      }
      // Only the flows whose rate changed are told.
      for (let k = 0; k < mm.changedCount; k++) {
        const f = this.bySlot[mm.changed[k]] as Flow;
        f.rate = mm.rate[f.slot];
        this.changes.push(f, 'rate');
      }
    }
    this.onRates?.();
    this.changes.clear();
    this.armTimer();
  }

  private armTimer(): void {
    if (this.timer !== null) this.sim.cancel(this.timer);
    this.timer = null;
    let next = Infinity;
    for (let i = 0; i < this.count; i++) {
      const f = this.flows[i] as Flow;
      if (f.rate > 0) next = Math.min(next, f.remaining / f.rate);
      else if (f.remaining <= EPS_BYTES) next = 0;
    }
    if (next < Infinity) this.timer = this.sim.schedule(next, this.onTimer);
  }
}
