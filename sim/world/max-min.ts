// Progressive filling (max-min fair rates) over numbered resources and flow slots, for Network.
// The same levels, the same flows frozen in the same order and the same floating-point operations
// as filling over the objects themselves (the rates are bit-identical); what differs is the work
// per level. A flow is only looked at closely if it may be bound: its cap binds, or it crosses a
// resource whose share is at the level ("tight"), and such flows are marked from the resource's side
// (each resource keeps the slots of the flows crossing it). Resources that can neither set a level
// nor bind a flow that something else does not bind first are set aside (see `aside`). The users of
// each resource and its flows are kept up to date as flows start and end, so a reshare does not walk
// every flow's path.
import type { Resource } from './network.js';

const grownF64 = (a: Float64Array, n: number) => {
  const b = new Float64Array(Math.max(n, 2 * a.length));
  b.set(a);
  return b;
};
const grownI32 = (a: Int32Array, n: number) => {
  const b = new Int32Array(Math.max(n, 2 * a.length));
  b.set(a);
  return b;
};

export class MaxMin {
  // Resources, by id (ids are handed out on first use and kept).
  private readonly ids = new Map<Resource, number>();
  private readonly resources: Resource[] = [];
  /** Capacities (a resource's changes through its network's setCapacity). */
  private capacity = new Float64Array(16);
  /**
   * Each resource's share with all its active flows on its whole capacity (a filling of them all
   * starts there), the largest cap of those flows, and whether the share is at least that cap.
   * While a resource's share is at least the cap of every flow crossing it, it never sets a level
   * below the least cap, and when it is within the tolerance of the level its flows are bound by
   * their caps anyway: the levels need not look at it ("aside") until a flow's freezing brings its
   * share under that largest cap.
   */
  private fullShare = new Float64Array(16);
  private maxCap = new Float64Array(16);
  private aside = new Uint8Array(16);
  /** Scratch: the resources set aside in the current filling. */
  private out = new Uint8Array(16);
  private left = new Float64Array(16);
  private share = new Float64Array(16);
  /** Users in the current filling (scratch: counted down as flows freeze). */
  private users = new Int32Array(16);
  /** Active flows crossing each resource (a flow crossing it twice counts twice). */
  private crossing = new Int32Array(16);
  /** Slots of the active flows crossing each resource (any order). */
  private readonly slotsOn: number[][] = [];
  /** Resources with active flows (the first `inUse`), and each one's place there. */
  private used = new Int32Array(16);
  private place = new Int32Array(16);
  private inUse = 0;
  /** Scratch: the resources still shared out in a filling (the first liveCount), and those near its level. */
  private live = new Int32Array(16);
  private liveCount = 0;
  private near = new Int32Array(16);

  // Flows, by slot (a slot is reused once its flow has ended).
  private cap = new Float64Array(16);
  /** Each slot's rate from the last filling that included it (NaN before the first). */
  rate = new Float64Array(16);
  /** The slots whose rate changed in the last reshare (the first changedCount). */
  changed = new Int32Array(16);
  changedCount = 0;
  /** The active slots in start order (the first `count`), and how many have each priority. */
  private order = new Int32Array(16);
  count = 0;
  private readonly priorities = new Map<number, number>();
  private priority = new Float64Array(16);
  private mark = new Int32Array(16);
  private markStamp = 0;
  /** Each slot's resource ids (the first pathLength[slot] entries), in the flow's path order. */
  private readonly path: Int32Array[] = [];
  private pathLength = new Int32Array(16);
  private readonly free: number[] = [];
  private slots = 0;
  /** Scratch: the slots still unfrozen in a filling, in start order. */
  private open = new Int32Array(16);

  private resourceId(r: Resource): number {
    let id = this.ids.get(r);
    if (id === undefined) {
      id = this.resources.length;
      this.ids.set(r, id);
      this.resources.push(r);
      this.slotsOn.push([]);
      if (id >= this.left.length) {
        const n = id + 1;
        [this.left, this.share, this.capacity, this.fullShare] = [grownF64(this.left, n), grownF64(this.share, n), grownF64(this.capacity, n), grownF64(this.fullShare, n)];
        this.maxCap = grownF64(this.maxCap, n);
        const aside = new Uint8Array(this.left.length);
        aside.set(this.aside);
        [this.aside, this.out] = [aside, new Uint8Array(this.left.length)];
        [this.users, this.crossing, this.used, this.place] = [grownI32(this.users, n), grownI32(this.crossing, n), grownI32(this.used, n), grownI32(this.place, n)];
        [this.live, this.near] = [grownI32(this.live, n), grownI32(this.near, n)];
      }
      this.capacity[id] = r.capacity;
    }
    return id;
  }

  /** `r`'s capacity has changed. */
  setCapacity(r: Resource): void {
    const id = this.ids.get(r);
    if (id === undefined) return;
    this.capacity[id] = r.capacity;
    // Whether a resource is dominated on its flow's path depends on the others' capacities.
    for (let k = 0; k < this.inUse; k++) this.refresh(this.used[k]);
  }

  /** Recompute what is kept of a resource after a change (`removedCap`: the cap of a flow that left it). */
  private refresh(id: number, removedCap = -Infinity): void {
    const n = this.crossing[id];
    this.fullShare[id] = Math.max(0, this.capacity[id]) / n;
    if (removedCap >= this.maxCap[id]) {
      let m = -Infinity;
      for (const s of this.slotsOn[id]) if (this.cap[s] > m) m = this.cap[s];
      this.maxCap[id] = m;
    }
    this.aside[id] = this.fullShare[id] >= this.maxCap[id] || (n === 1 && this.dominated(id, this.slotsOn[id][0])) ? 1 : 0;
  }

  /**
   * Whether `id`, crossed by the one flow in `slot`, has at least the capacity of the path's first
   * resource of least capacity (not itself). That resource's share never exceeds its capacity, so
   * it sets a level at or below `id`'s share (the capacity, while the flow is unfrozen), and binds
   * the flow whenever `id` would; it is looked at (it is not dominated itself, and if it is set
   * aside for its caps, the flow's cap is at most its share, so at most `id`'s).
   */
  private dominated(id: number, slot: number): boolean {
    const p = this.path[slot];
    const capacity = this.capacity;
    let least = p[0];
    for (let j = 1; j < this.pathLength[slot]; j++) if (capacity[p[j]] < capacity[least]) least = p[j];
    return least !== id && capacity[least] <= capacity[id];
  }

  /** Flows of more than one priority are active. */
  get mixed(): boolean {
    return this.priorities.size > 1;
  }

  /** A new active flow (after all the others) over `resources` (in order) with rate cap `cap`: its slot. */
  add(resources: readonly Resource[], cap: number, priority: number): number {
    const slot = this.free.length > 0 ? (this.free.pop() as number) : this.slots++;
    if (slot >= this.cap.length) this.grow(slot + 1);
    this.cap[slot] = cap;
    this.rate[slot] = NaN;
    this.priority[slot] = priority;
    this.priorities.set(priority, (this.priorities.get(priority) ?? 0) + 1);
    this.order[this.count++] = slot;
    let p = this.path[slot];
    if (p === undefined || p.length < resources.length) p = this.path[slot] = new Int32Array(Math.max(4, resources.length));
    this.pathLength[slot] = resources.length;
    // The whole path first: a resource's refresh may read it.
    for (let k = 0; k < resources.length; k++) p[k] = this.resourceId(resources[k]);
    for (let k = 0; k < resources.length; k++) {
      const id = p[k];
      if (this.crossing[id]++ === 0) {
        this.place[id] = this.inUse;
        this.used[this.inUse++] = id;
        this.maxCap[id] = cap;
      } else if (cap > this.maxCap[id]) this.maxCap[id] = cap;
      this.slotsOn[id].push(slot);
      this.refresh(id);
    }
    return slot;
  }

  private grow(n: number): void {
    [this.cap, this.priority] = [grownF64(this.cap, n), grownF64(this.priority, n)];
    this.rate = grownF64(this.rate, n);
    [this.mark, this.pathLength, this.open] = [grownI32(this.mark, n), grownI32(this.pathLength, n), grownI32(this.open, n)];
    [this.order, this.changed] = [grownI32(this.order, n), grownI32(this.changed, n)];
  }

  /** The flow in `slot` has ended. */
  remove(slot: number): void {
    const order = this.order;
    let kept = 0;
    for (let i = 0; i < this.count; i++) if (order[i] !== slot) order[kept++] = order[i];
    this.count = kept;
    const left = (this.priorities.get(this.priority[slot]) as number) - 1;
    if (left === 0) this.priorities.delete(this.priority[slot]);
    else this.priorities.set(this.priority[slot], left);
    const p = this.path[slot];
    for (let k = 0; k < this.pathLength[slot]; k++) {
      const id = p[k];
      const on = this.slotsOn[id];
      const at = on.indexOf(slot);
      on[at] = on[on.length - 1];
      on.pop();
      if (--this.crossing[id] === 0) {
        const last = this.used[--this.inUse];
        this.used[this.place[id]] = last;
        this.place[last] = this.place[id];
      }
      this.refresh(id, this.cap[slot]);
    }
    this.free.push(slot);
  }

  /** A rate set from outside a filling (a flow alone); whether it changed. */
  setRate(slot: number, rate: number): boolean {
    this.changedCount = 0;
    if (this.rate[slot] === rate) return false;
    this.rate[slot] = rate;
    return true;
  }

  /** Max-min rates of all the active flows, of one priority: to `rate`, the slots whose rate changed to `changed`. */
  fillAll(): void {
    this.changedCount = 0;
    this.fill(this.order, this.count, true, true);
  }

  /**
   * Max-min rates of the first n `slots` (in start order), one priority level of several, on what
   * the levels before left (`first`: the highest, on full resources).
   */
  fillLevel(slots: ArrayLike<number>, n: number, first: boolean): void {
    if (first) this.changedCount = 0;
    this.fill(slots, n, false, first);
  }

  private fill(slots: ArrayLike<number>, n: number, only: boolean, restart: boolean): void {
    const { left, share, users, used, capacity, live, out } = this;
    let nl = 0;
    if (only) {
      // All the active flows, on full resources: shares as kept since the last start or end.
      for (let k = 0; k < this.inUse; k++) {
        const id = used[k];
        left[id] = capacity[id];
        users[id] = this.crossing[id];
        share[id] = this.fullShare[id];
        out[id] = this.aside[id];
        if (out[id] === 0) live[nl++] = id;
      }
    } else {
      if (restart) for (let k = 0; k < this.inUse; k++) left[used[k]] = capacity[used[k]];
      for (let k = 0; k < this.inUse; k++) users[used[k]] = 0;
      for (let i = 0; i < n; i++) {
        const p = this.path[slots[i]];
        for (let k = 0; k < this.pathLength[slots[i]]; k++) users[p[k]]++;
      }
      for (let k = 0; k < this.inUse; k++) {
        const id = used[k];
        out[id] = 0;
        if (users[id] <= 0) continue;
        share[id] = Math.max(0, left[id]) / users[id];
        live[nl++] = id;
      }
    }
    const open = this.open;
    for (let i = 0; i < n; i++) open[i] = slots[i];
    this.liveCount = nl;
    this.levels(n);
  }

  /** The levels of one filling of the n slots in `open`, over the resources in `live`. */
  private levels(n: number): void {
    const { left, share, users, live, near, open, cap, rate, mark, path, pathLength } = this;
    let capMin = Infinity;
    for (let k = 0; k < n; k++) if (cap[open[k]] < capMin) capMin = cap[open[k]];
    let unfrozen = n;
    while (unfrozen > 0) {
      // One pass over the resources (shares are kept current as flows freeze): drop those no
      // flow uses any more, take the least share, and keep those within the tolerance of the
      // least so far, a superset of those within it of the level (the bound only grows with it).
      let level = Infinity;
      let nearTop = Infinity;
      let nn = 0;
      let still = 0;
      const nl = this.liveCount;
      for (let k = 0; k < nl; k++) {
        const id = live[k];
        if (users[id] <= 0) continue;
        live[still++] = id;
        const x = share[id];
        if (x <= nearTop) {
          near[nn++] = id;
          if (x < level) {
            level = x;
            nearTop = level + level * 1e-12;
          }
        }
      }
      this.liveCount = still;
      if (capMin < level) level = capMin;
      const top = level + level * 1e-12;
      const stamp = ++this.markStamp;
      for (let k = 0; k < nn; k++) if (share[near[k]] <= top) this.markOn(near[k], stamp);
      let kept = 0;
      capMin = Infinity;
      for (let k = 0; k < unfrozen; k++) {
        const s = open[k];
        const c = cap[s];
        let bound = c <= top;
        if (!bound && mark[s] === stamp) {
          const p = path[s];
          for (let j = 0; !bound && j < pathLength[s]; j++) if (share[p[j]] <= top) bound = true;
        }
        if (!bound) {
          open[kept++] = s;
          if (c < capMin) capMin = c;
          continue;
        }
        if (rate[s] !== level) {
          rate[s] = level;
          this.changed[this.changedCount++] = s;
        }
        this.freeze(s, level, top, stamp);
      }
      unfrozen = kept;
    }
  }

  /** Take `level` from each resource on the slot's path. */
  private freeze(s: number, level: number, top: number, stamp: number): void {
    const { left, share, users } = this;
    const p = this.path[s];
    for (let j = 0; j < this.pathLength[s]; j++) {
      const id = p[j];
      left[id] -= level;
      // Its last flow: no flow of this filling crosses it any more, so nothing reads its share
      // (the levels skip it; the next filling starts it again).
      if (--users[id] === 0) continue;
      const was = share[id];
      const x = (share[id] = Math.max(0, left[id]) / users[id]);
      if (this.out[id] === 1) {
        if (x >= this.maxCap[id]) continue;
        // Under the largest cap of its flows: looked at from now on (and its flows marked if it binds).
        this.out[id] = 0;
        this.live[this.liveCount++] = id;
        if (x <= top) this.markOn(id, stamp);
      } else if (x <= top && !(was <= top)) this.markOn(id, stamp);
      // (Newly within the tolerance of the level by rounding alone: the flows after this one crossing it are bound too.)
    }
  }

  private markOn(id: number, stamp: number): void {
    const on = this.slotsOn[id];
    const mark = this.mark;
    for (let k = 0; k < on.length; k++) mark[on[k]] = stamp;
  }
}
