// The counted memory model (vm.model: counted): memory as segments of pages that share everything the
// model can tell apart (the working-set group or Zipf bucket that writes them, their layout region),
// each holding counts of its pages in each state instead of an entry per page, so the cost of a
// migration follows the number of segments, not memory size or write rate. A page's state is five
// bits: zero content, dirty since the last sync, pending (in the to-send set: never sent, or found
// dirty by a sync since it was last sent), present at the destination, and in flight unwritten since
// it was sent (it becomes present when its transfer lands).
//
// Exact where the per-page model is exchangeable: a span of random writes writes each page of a
// segment independently with the same probability, so each state's count loses a Binomial number of
// pages to "written"; a scan that takes k pending pages of a segment takes a multivariate
// hypergeometric mix of its pending states. Exact for sequential groups too: their segments are split
// into address ranges whose pages share one state (the section at the end), so nothing is drawn.
// Documented approximations:
//   - the scan cursor inside a segment: pages behind it (passed in this sweep) and ahead of it are
//     counted apart, and how many non-pending pages a scan passes on its way to its k-th pending page
//     is a negative-hypergeometric draw, so the split is exact while the cursor is in the segment;
//     once it leaves, both parts merge, and a later sweep treats their pages as exchangeable again,
//     although in the per-page model the pages a sync made pending behind the cursor lie together
//     at the segment's start (the pages pending at an arbitrary moment differ a little: docs/models.md);
//   - Zipf groups are cut into buckets of similar popularity (zipf.ts), each written as a uniform
//     segment at its mean per-page share;
//   - when several transfers carrying pages of one segment are in flight and the VM writes, which of
//     them lost pages is drawn hypergeometrically from the segment's in-flight pool (only the
//     remaining-bytes series and nothing a policy reads depends on it).
import type { Rng } from '../engine/index.js';
import { binomial, hypergeometric, negativeHypergeometric } from './sampling.js';
import type { Bytes } from './units.js';

export const ZERO = 1;
export const DIRTY = 2;
export const PENDING = 4;
export const PRESENT = 8;
export const FLIGHT = 16;
const STATES = 32;
/** Flag on holdPending's result: the held page lies behind the cursor. */
const HELD_BEHIND = 64;

/** A run of pages the model cannot tell apart: address range, the group writing it and its per-page share. */
export interface SegmentSpec {
  start: number;
  pages: number;
  /** Working-set group writing it, or -1. */
  group: number;
  /** Share of the group's writes each page gets (1/W for a uniform group). */
  share: number;
  /** Pages of it whose content is all zeros. */
  zero: number;
  /** Written by a sequential group: split at the writer's and the scan's positions, so its pages are exact ranges. */
  seq?: boolean;
  /** Layout region it lies in (-1 outside the layout): sequential segments merge only within one. */
  region?: number;
}

/** What a scan of the to-send set took: pages by kind, wire bytes, and pages per segment. */
export interface CountedSend {
  pages: number;
  zero: number;
  normal: number;
  bytes: Bytes;
  /** Pages taken per segment: [segment, count] pairs. */
  bySegment: number[];
  /** Address ranges the scan swept in sequential segments: [first page, pages] pairs (they land by address). */
  ranges?: number[];
}

export interface CountedWire {
  header_bytes: Bytes;
  zero_pages: boolean;
}

export class CountedMemory {
  /** Segments by index (a sequential segment's split appends one; a merged one is left empty, group -1). */
  readonly segments: SegmentSpec[];
  /** counts[seg * 32 + state]. */
  private counts: Float64Array;
  /** Segments in address order: the next one after each (-1 after the last), from `head`. */
  private readonly next: number[];
  private head = 0;
  /** Emptied segment indices a split may reuse. */
  private readonly free: number[] = [];
  /** Pages of the cursor's segment the cursor has passed, by state. */
  private readonly behind = new Float64Array(STATES);
  private cursorSeg = 0;
  /** Completed sweeps of the scan past the last page. */
  wraps = 0;
  /** Pages carried by transfers in flight per segment (valid or stale: a write clears FLIGHT, not the pool). */
  private flightPool: Float64Array;
  /** Scratch counts by state (no allocation on the hot paths). */
  private readonly moved = new Float64Array(STATES);
  private readonly back = new Float64Array(STATES);
  private readonly part = new Float64Array(STATES);
  /** Whether a write makes the destination's copy stale (the VM runs at the source during a migration). */
  staleOnWrite = false;

  constructor(
    readonly name: string,
    readonly count: number,
    readonly unitBytes: Bytes,
    segments: readonly SegmentSpec[],
    private readonly rng: Rng,
  ) {
    this.segments = segments.map((s) => ({ ...s }));
    this.next = segments.map((_, k) => (k + 1 < segments.length ? k + 1 : -1));
    this.counts = new Float64Array(segments.length * STATES);
    this.flightPool = new Float64Array(segments.length);
    segments.forEach((s, k) => {
      this.counts[k * STATES + ZERO] = s.zero;
      this.counts[k * STATES] = s.pages - s.zero;
    });
  }

  get bytes(): Bytes {
    return this.count * this.unitBytes;
  }

  /** Pages with every bit of `mask` equal to `value`. */
  countWhere(mask: number, value: number): number {
    let n = 0;
    for (let k = 0; k < this.segments.length; k++) for (let s = 0; s < STATES; s++) if ((s & mask) === value) n += this.counts[k * STATES + s];
    return n;
  }

  get pending(): number {
    return this.countWhere(PENDING, PENDING);
  }

  get present(): number {
    return this.countWhere(PRESENT, PRESENT);
  }

  /** Pages of segment k with `mask` bits equal to `value`. */
  segmentCount(k: number, mask: number, value: number): number {
    let n = 0;
    for (let s = 0; s < STATES; s++) if ((s & mask) === value) n += this.counts[k * STATES + s];
    return n;
  }

  /** Set or clear `bit` on every page (e.g. all pending at the start, all present at the source). */
  setAll(bit: number, on: boolean): void {
    this.transform((s) => (on ? s | bit : s & ~bit));
  }

  /**
   * Random writes to segment k, each page written with probability q: written pages lose zero,
   * present (if the copy goes stale) and in-flight, and become dirty. Returns the pages written.
   */
  writeSegment(k: number, q: number): number {
    if (q <= 0) return 0;
    const base = k * STATES;
    const c = this.counts;
    const moved = this.moved.fill(0);
    let written = 0;
    const inCursor = k === this.cursorSeg;
    for (let s = 0; s < STATES; s++) {
      const total = c[base + s];
      if (total === 0) continue;
      // Behind and ahead of the cursor are drawn apart so each part's counts stay whole.
      const back = inCursor ? this.behind[s] : 0;
      const wb = binomial(back, q, this.rng);
      const wa = binomial(total - back, q, this.rng);
      const w = wb + wa;
      if (w === 0) continue;
      // At the source a write makes a copy on its way or at the destination stale; once the VM runs
      // at the destination its pages arrive whatever it writes (post-copy), as in the per-page model.
      let to = (s & ~ZERO) | DIRTY;
      if (this.staleOnWrite) to &= ~(PRESENT | FLIGHT);
      c[base + s] -= w;
      moved[to] += w;
      if (inCursor) {
        this.behind[s] -= wb;
        this.behind[to] += wb;
      }
      written += w;
    }
    for (let s = 0; s < STATES; s++) c[base + s] += moved[s];
    return written;
  }

  /** A dirty-bitmap sync: dirty pages become pending, the dirty bits clear. Returns [dirty, newly pending]. */
  sync(): [number, number] {
    let dirty = 0;
    let fresh = 0;
    for (let k = 0; k < this.segments.length; k++) {
      dirty += this.segmentCount(k, DIRTY, DIRTY);
      fresh += this.segmentCount(k, DIRTY | PENDING, DIRTY);
    }
    this.transform((s) => (s & DIRTY ? (s & ~DIRTY) | PENDING : s));
    if (this.free.length > 0 || this.segments.some((seg) => seg.seq)) this.mergeRanges();
    return [dirty, fresh];
  }

  /**
   * Take pending pages from the cursor on, in address order by segment (wrapping), until `budget`
   * wire bytes are reached or `maxPages` taken, as QEMU's find-dirty-page loop does: a page is taken
   * while the bytes so far are below the budget. Taken pages are no longer pending; those not present
   * are in flight until `landed` is called with the returned send.
   */
  takePending(budget: Bytes, maxPages: number, wire: CountedWire, batchHeader: Bytes = 0): CountedSend | null {
    const out: CountedSend = { pages: 0, zero: 0, normal: 0, bytes: batchHeader, bySegment: [] };
    const zeroBytes = wire.zero_pages ? wire.header_bytes + 1 : wire.header_bytes + this.unitBytes;
    const fullBytes = wire.header_bytes + this.unitBytes;
    let left = this.pending;
    let visited = 0;
    while (left > 0 && out.pages < maxPages && out.bytes < budget && visited <= this.segments.length) {
      let k = this.cursorSeg;
      const ahead = this.aheadPending(k);
      if (ahead === 0) {
        this.advanceSegment();
        visited++;
        continue;
      }
      visited = 0;
      // Pages certain to fit even if none is zero; at least one (the budget is not reached yet).
      const fit = Math.max(1, Math.ceil((budget - out.bytes) / fullBytes));
      const want = Math.min(ahead, maxPages - out.pages, fit);
      if (this.segments[k].seq) k = this.cursorAtStart(k);
      const [zero, taken] = this.takeAhead(k, want, ahead);
      out.pages += taken;
      out.zero += zero;
      out.normal += taken - zero;
      out.bytes += zero * zeroBytes + (taken - zero) * fullBytes;
      out.bySegment.push(k, taken);
      if (this.segments[k].seq) this.swept(k, out);
      left -= taken;
    }
    return out.pages === 0 ? null : out;
  }

  /** A send's pages arrived: those not written since they left are present now. */
  landed(send: CountedSend): void {
    const ranges = send.ranges;
    if (ranges !== undefined) for (let j = 0; j < ranges.length; j += 2) this.landRange(ranges[j], ranges[j + 1]);
    for (let j = 0; j < send.bySegment.length; j += 2) {
      const k = send.bySegment[j];
      // Sequential pages of a scan landed by address above.
      if (ranges !== undefined && this.segments[k].seq) continue;
      const n = send.bySegment[j + 1];
      const pool = this.flightPool[k];
      const valid = this.segmentCount(k, FLIGHT, FLIGHT);
      const arrive = pool <= n ? valid : hypergeometric(n, valid, pool, this.rng);
      this.flightPool[k] = Math.max(0, pool - n);
      this.moveBits(k, FLIGHT, FLIGHT, arrive, (s) => (s & ~FLIGHT) | PRESENT);
    }
  }

  /**
   * A fault on a pending page of segment k (post-copy): one pending, absent page is taken out of the
   * to-send set (held for its request, so the stream does not send it meanwhile); its state, plus
   * HELD_BEHIND if it lies behind the cursor.
   */
  holdPending(k: number): number {
    const base = k * STATES;
    let total = this.segmentCount(k, PENDING | PRESENT, PENDING);
    let u = Math.floor(this.rng() * total);
    for (let s = 0; s < STATES; s++) {
      if ((s & (PENDING | PRESENT)) !== PENDING) continue;
      const a = this.counts[base + s];
      if (u >= a) {
        u -= a;
        continue;
      }
      const to = s & ~PENDING;
      let where = 0;
      if (k === this.cursorSeg && this.rng() * a < this.behind[s]) {
        this.behind[s]--;
        this.behind[to]++;
        where = HELD_BEHIND;
      }
      this.counts[base + s]--;
      this.counts[base + to]++;
      return s | where;
    }
    throw new Error('no pending page to hold'); // callers check pendingAbsent first
  }

  /** Send the page held by holdPending(k) as a one-page send (it lands like any other). */
  sendHeld(k: number, held: number, wire: CountedWire): CountedSend {
    const base = k * STATES;
    const state = held & (STATES - 1);
    const from = state & ~PENDING;
    this.counts[base + from]--;
    this.counts[base + (from | FLIGHT)]++;
    // Still behind the cursor if it was and the cursor has not left the segment since.
    if (held & HELD_BEHIND && k === this.cursorSeg && this.behind[from] > 0) {
      this.behind[from]--;
      this.behind[from | FLIGHT]++;
    }
    this.flightPool[k]++;
    const zero = state & ZERO && wire.zero_pages ? 1 : 0;
    const bytes = zero ? wire.header_bytes + 1 : wire.header_bytes + this.unitBytes;
    return { pages: 1, zero, normal: 1 - zero, bytes, bySegment: [k, 1] };
  }

  /** The scan goes on from a uniformly random page of segment k (QEMU: after a requested page). */
  cursorTo(k: number): void {
    this.cursorSeg = k;
    this.behind.fill(0);
    const base = k * STATES;
    const n = this.segments[k].pages;
    let need = Math.floor(this.rng() * n);
    let rest = n;
    for (let s = 0; s < STATES && need > 0; s++) {
      const a = this.counts[base + s];
      if (a === 0) continue;
      const x = rest === a ? need : hypergeometric(need, a, rest, this.rng);
      rest -= a;
      need -= x;
      this.behind[s] = x;
    }
  }

  /** Pending pages of segment k the cursor has not passed in this sweep. */
  private aheadPending(k: number): number {
    let n = 0;
    for (let s = PENDING; s < STATES; s++) if (s & PENDING) n += this.counts[k * STATES + s] - (k === this.cursorSeg ? this.behind[s] : 0);
    return n;
  }

  private advanceSegment(): void {
    this.behind.fill(0);
    this.cursorSeg = this.next[this.cursorSeg];
    if (this.cursorSeg < 0) {
      this.cursorSeg = this.head;
      this.wraps++;
    }
  }

  /**
   * Take `want` of the `ahead` pending pages of the cursor's segment (a multivariate hypergeometric
   * mix of its pending states) and pass the expected share of its non-pending ones; [zero, taken].
   */
  private takeAhead(k: number, want: number, ahead: number): [number, number] {
    const base = k * STATES;
    const c = this.counts;
    const b = this.behind;
    let need = want;
    let rest = ahead;
    let zero = 0;
    let aheadOther = 0;
    const moved = this.moved.fill(0);
    for (let s = 0; s < STATES; s++) {
      const a = c[base + s] - b[s];
      if (!(s & PENDING)) {
        aheadOther += a;
        continue;
      }
      if (a === 0) continue;
      const x = need === 0 ? 0 : rest === a ? need : hypergeometric(need, a, rest, this.rng);
      rest -= a;
      if (x === 0) continue;
      need -= x;
      if (s & ZERO) zero += x;
      const to = s & PRESENT ? s & ~PENDING : (s & ~PENDING) | FLIGHT;
      c[base + s] -= x;
      moved[to] += x;
      if (!(s & PRESENT)) this.flightPool[k] += x;
    }
    for (let s = 0; s < STATES; s++) {
      c[base + s] += moved[s];
      b[s] += moved[s];
    }
    // The non-pending pages passed on the way to the want-th pending one (the cursor stops after it).
    if (aheadOther > 0) this.passOthers(k, negativeHypergeometric(want, ahead, aheadOther, this.rng), aheadOther);
    return [zero, want];
  }

  /** Move `pass` of the `total` non-pending pages ahead of the cursor behind it (a hypergeometric mix). */
  private passOthers(k: number, pass: number, total: number): void {
    const base = k * STATES;
    let need = pass;
    let rest = total;
    for (let s = 0; s < STATES && need > 0; s++) {
      if (s & PENDING) continue;
      const a = this.counts[base + s] - this.behind[s];
      if (a === 0) continue;
      const x = rest === a ? need : hypergeometric(need, a, rest, this.rng);
      rest -= a;
      need -= x;
      this.behind[s] += x;
    }
  }

  /** Move `n` pages of segment k whose `mask` bits equal `value` to map(state), spread hypergeometrically. */
  private moveBits(k: number, mask: number, value: number, n: number, map: (s: number) => number): void {
    const base = k * STATES;
    let total = this.segmentCount(k, mask, value);
    let need = n;
    const moved = this.moved.fill(0);
    const inCursor = k === this.cursorSeg;
    for (let s = 0; s < STATES && need > 0; s++) {
      if ((s & mask) !== value) continue;
      const a = this.counts[base + s];
      if (a === 0) continue;
      const x = total === a ? need : hypergeometric(need, a, total, this.rng);
      total -= a;
      need -= x;
      if (x === 0) continue;
      this.counts[base + s] -= x;
      moved[map(s)] += x;
      if (inCursor) {
        const xb = a === 0 ? 0 : hypergeometric(x, this.behind[s], a, this.rng);
        this.behind[s] -= xb;
        this.behind[map(s)] += xb;
      }
    }
    for (let s = 0; s < STATES; s++) this.counts[base + s] += moved[s];
  }

  /** Apply a deterministic state map to every page (both sides of the cursor). */
  private transform(map: (s: number) => number): void {
    for (let k = 0; k < this.segments.length; k++) this.mapSegment(k, map);
  }

  /** Apply a deterministic state map to every page of segment k. */
  private mapSegment(k: number, map: (s: number) => number): void {
    const moved = this.moved;
    const back = this.back;
    const base = k * STATES;
    moved.fill(0);
    for (let s = 0; s < STATES; s++) moved[map(s)] += this.counts[base + s];
    this.counts.set(moved, base);
    if (k === this.cursorSeg) {
      back.fill(0);
      for (let s = 0; s < STATES; s++) back[map(s)] += this.behind[s];
      this.behind.set(back);
    }
  }

  // --- Sequential segments: exact address ranges -------------------------------------------------
  // A sequential writer dirties a contiguous range and the scan sweeps one, so a sequential group's
  // segments are split at the writer's and the scan's positions: every page of such a segment then
  // shares its state (but zero content, exchangeable within a layout region), and writes, syncs and
  // scans move whole segments, with no draw. Neighbours in one state merge again at each sync, so the
  // count of segments follows the number of distinct ranges, not memory size or write rate.

  /**
   * A sequential writer wrote pages [first, first + pages) (inside one sequential group, not
   * wrapping): exactly those pages lose zero, present (if the copy goes stale) and in-flight, and
   * become dirty.
   */
  writeRange(first: number, pages: number): void {
    const stale = this.staleOnWrite;
    this.eachInRange(first, pages, (k) => this.mapSegment(k, (s) => ((s & ~ZERO) | DIRTY) & (stale ? ~(PRESENT | FLIGHT) : ~0)));
  }

  /** Call f on each segment of [first, first + pages) in address order, splitting the ends to fit. */
  private eachInRange(first: number, pages: number, f: (k: number) => void): void {
    let k = this.head;
    while (k >= 0 && this.segments[k].start + this.segments[k].pages <= first) k = this.next[k];
    if (k < 0) return;
    if (this.segments[k].start < first) k = this.split(k, first - this.segments[k].start);
    let left = pages;
    while (left > 0 && k >= 0) {
      if (this.segments[k].pages > left) this.split(k, left);
      left -= this.segments[k].pages;
      f(k);
      k = this.next[k];
    }
  }

  /** A scan's pages in [first, first + pages) landed: the in-flight ones among them are present. */
  private landRange(first: number, pages: number): void {
    this.eachInRange(first, pages, (k) => {
      const f = this.segmentCount(k, FLIGHT, FLIGHT);
      if (f === 0) return;
      this.mapSegment(k, (s) => (s & FLIGHT ? (s & ~FLIGHT) | PRESENT : s));
      this.flightPool[k] = Math.max(0, this.flightPool[k] - f);
    });
  }

  private behindTotal(): number {
    let n = 0;
    for (let s = 0; s < STATES; s++) n += this.behind[s];
    return n;
  }

  /** The cursor in sequential segment k (with pages ahead): split k there, so it stands at a segment's start. */
  private cursorAtStart(k: number): number {
    const passed = this.behindTotal();
    if (passed === 0) return k;
    this.cursorSeg = this.split(k, passed);
    this.behind.fill(0);
    return this.cursorSeg;
  }

  /** The scan took pages of sequential segment k from its start: record the range it swept and split k at the cursor. */
  private swept(k: number, out: CountedSend): void {
    const after = this.behindTotal();
    (out.ranges ??= []).push(this.segments[k].start, after);
    if (after >= this.segments[k].pages) return;
    this.cursorSeg = this.split(k, after);
    this.behind.fill(0);
  }

  /**
   * Split segment k after its first n pages (0 < n < its pages); the rest becomes a new segment
   * right after it, returned. The cursor's passed pages lie at its start, so they go left first; the
   * rest of each side is a multivariate hypergeometric mix (exact for sequential segments, whose pages
   * differ only in zero content).
   */
  private split(k: number, n: number): number {
    const seg = this.segments[k];
    const j = this.allocate({ ...seg, start: seg.start + n, pages: seg.pages - n });
    const base = k * STATES;
    const c = this.counts;
    const b = this.behind;
    const left = this.part.fill(0);
    const inCursor = k === this.cursorSeg;
    const passed = inCursor ? this.behindTotal() : 0;
    if (inCursor && n < passed) {
      this.draw(b, passed, n, left);
      for (let s = 0; s < STATES; s++) b[s] -= left[s];
      this.cursorSeg = j;
    } else {
      const ahead = this.back;
      for (let s = 0; s < STATES; s++) {
        left[s] = inCursor ? b[s] : 0;
        ahead[s] = c[base + s] - left[s];
      }
      this.draw(ahead, seg.pages - passed, n - passed, left);
    }
    let flightLeft = 0;
    let flightAll = 0;
    for (let s = 0; s < STATES; s++) {
      if (s & FLIGHT) {
        flightLeft += left[s];
        flightAll += c[base + s];
      }
      c[j * STATES + s] = c[base + s] - left[s];
      c[base + s] = left[s];
    }
    // Stale entries of the in-flight pool are spread by size (it only weighs which transfer lost pages).
    const stale = this.flightPool[k] - flightAll;
    const poolLeft = flightLeft + Math.round((stale * n) / seg.pages);
    this.flightPool[j] = this.flightPool[k] - poolLeft;
    this.flightPool[k] = poolLeft;
    seg.pages = n;
    this.next[j] = this.next[k];
    this.next[k] = j;
    return j;
  }

  /** Add to `into` a multivariate hypergeometric draw of `need` of the `total` pages counted by state in `from`. */
  private draw(from: Float64Array, total: number, need: number, into: Float64Array): void {
    let rest = total;
    for (let s = 0; s < STATES && need > 0; s++) {
      const a = from[s];
      if (a === 0) continue;
      const x = rest === a ? need : hypergeometric(need, a, rest, this.rng);
      rest -= a;
      need -= x;
      into[s] += x;
    }
  }

  /** A segment index for `spec`: an emptied one, or a new one (growing the counts). */
  private allocate(spec: SegmentSpec): number {
    const j = this.free.pop() ?? this.segments.length;
    if (j === this.segments.length) {
      this.segments.push(spec);
      this.next.push(-1);
      if (this.counts.length < this.segments.length * STATES) {
        const counts = new Float64Array(this.counts.length * 2);
        counts.set(this.counts);
        this.counts = counts;
        const pool = new Float64Array(this.flightPool.length * 2);
        pool.set(this.flightPool);
        this.flightPool = pool;
      }
    } else this.segments[j] = spec;
    return j;
  }

  /** Merge neighbouring sequential segments of one group and region whose pages share one state. */
  private mergeRanges(): void {
    let a = this.head;
    while (a >= 0) {
      const b = this.next[a];
      if (b < 0) return;
      if (!this.mergeable(a, b)) {
        a = b;
        continue;
      }
      // The cursor's passed pages stay at the merged segment's start: a's pages are behind a cursor in b.
      if (b === this.cursorSeg) {
        for (let s = 0; s < STATES; s++) this.behind[s] += this.counts[a * STATES + s];
        this.cursorSeg = a;
      }
      for (let s = 0; s < STATES; s++) {
        this.counts[a * STATES + s] += this.counts[b * STATES + s];
        this.counts[b * STATES + s] = 0;
      }
      this.flightPool[a] += this.flightPool[b];
      this.flightPool[b] = 0;
      this.segments[a].pages += this.segments[b].pages;
      this.segments[b] = { start: this.segments[b].start, pages: 0, group: -1, share: 0, zero: 0, seq: true };
      this.next[a] = this.next[b];
      this.free.push(b);
    }
  }

  private mergeable(a: number, b: number): boolean {
    const x = this.segments[a];
    const y = this.segments[b];
    if (!x.seq || !y.seq || x.group !== y.group || x.region !== y.region) return false;
    const state = this.pureState(a);
    return state >= 0 && state === this.pureState(b);
  }

  /** The one state (zero content aside) of segment k's pages, or -1 if they differ or are in flight. */
  private pureState(k: number): number {
    let state = -1;
    for (let s = 0; s < STATES; s++) {
      if (this.counts[k * STATES + s] === 0) continue;
      const base = s & ~ZERO;
      if (base & FLIGHT || (state >= 0 && state !== base)) return -1;
      state = base;
    }
    return state;
  }
}
