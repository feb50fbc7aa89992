// The event heap. Entries are ordered by (time, insertion sequence): equal-time events run in the
// order they were scheduled, which is what makes runs deterministic.
//
// Entries live in slots of flat arrays (time, sequence, callback, argument) and fastpriorityqueue
// orders slot numbers with a comparator reading those arrays, so scheduling allocates nothing per
// event and comparisons touch two typed arrays, not scattered objects. A handle is a slot plus its
// generation (how often the slot has been reused): cancelling through the handle of an event that
// has run does nothing, even after its slot was reused.
import FastPriorityQueue from 'fastpriorityqueue';
import { ModelError, messages } from '../errors.js';

/** Names one scheduled entry; pass it to cancel(). Never reissued. */
export type Handle = number;
/** A scheduled callback; it is called with the argument it was scheduled with. */
export type Callback = (arg: any) => void;

// handle = generation * SLOTS + slot, an exact integer below 2^53. A slot whose generation would
// overflow is retired (never reused), so no handle is ever issued twice.
const SLOT_BITS = 24;
const SLOTS = 2 ** SLOT_BITS;
const SLOT_MASK = SLOTS - 1;
const MAX_GENERATION = 2 ** (53 - SLOT_BITS) - 1;
const INITIAL_SLOTS = 64;

/** (time, sequence) order over slots, reading arrays that never change under it. */
function ordering(times: Float64Array, seqs: Float64Array): (a: number, b: number) => boolean {
  return (a, b) => times[a] < times[b] || (times[a] === times[b] && seqs[a] < seqs[b]);
}

export class EventQueue {
  private times: Float64Array = new Float64Array(INITIAL_SLOTS);
  private seqs: Float64Array = new Float64Array(INITIAL_SLOTS);
  private gens: Float64Array = new Float64Array(INITIAL_SLOTS);
  /** Callback of a live entry; null once it has run, been cancelled, or the slot is free. */
  private fns: Array<Callback | null> = [];
  private args: unknown[] = [];
  private free = new Int32Array(INITIAL_SLOTS);
  private freeCount = 0;
  /** Slots ever handed out (the rest of the arrays is spare capacity). */
  private used = 0;
  private heap: FastPriorityQueue<number>;
  private seq = 0;
  /** Live (not cancelled, not yet taken) entries. */
  pending = 0;
  /**
   * The slot handed out by take(), still on top of the heap, or -1. The first push while it is
   * there reuses it and replaces the top in one sift-down (the classic "hold" operation) instead
   * of a sift-down plus a sift-up: a process that reschedules itself costs one heap pass, not two.
   */
  private taken = -1;

  /** `maxGeneration`: reuses of a slot before it is retired (lower only to test retirement). */
  constructor(private readonly maxGeneration = MAX_GENERATION) {
    this.heap = new FastPriorityQueue<number>(ordering(this.times, this.seqs));
  }

  push(t: number, fn: Callback, arg?: unknown): Handle {
    const top = this.taken;
    if (top >= 0 && this.fns[top] === null) {
      // The hold path: reuse the slot just run, under its next generation, and sift it down once.
      this.taken = -1;
      const gen = this.gens[top] + 1;
      if (gen <= this.maxGeneration) {
        this.gens[top] = gen;
        this.set(top, t, fn, arg);
        this.heap.replaceTop(top);
        this.pending++;
        return gen * SLOTS + top;
      }
      // Its generations are used up: retire it (never freed) and let a new slot take its place.
      const slot = this.alloc();
      this.set(slot, t, fn, arg);
      this.heap.replaceTop(slot);
      this.pending++;
      return this.gens[slot] * SLOTS + slot;
    }
    const slot = this.alloc();
    this.set(slot, t, fn, arg);
    this.heap.add(slot);
    this.pending++;
    return this.gens[slot] * SLOTS + slot;
  }

  /**
   * The slot of the next live entry if it is due by `until`, or -1. It stays on the heap so that a
   * push made while it runs can take its place: read it (timeAt, fnAt, argAt), claim() it before
   * running it, and call release() afterwards.
   */
  take(until: number): number {
    const h = this.heap;
    let top = h.size > 0 ? (h.peek() as number) : -1;
    if (top >= 0 && this.fns[top] === null) top = this.dropDead();
    if (top < 0 || this.times[top] > until) return -1;
    this.pending--;
    this.taken = top;
    return top;
  }

  timeAt(slot: number): number {
    return this.times[slot];
  }
  fnAt(slot: number): Callback {
    return this.fns[slot] as Callback;
  }
  argAt(slot: number): unknown {
    return this.args[slot];
  }
  /** The handle of the entry now in `slot`. */
  handleAt(slot: number): Handle {
    return this.gens[slot] * SLOTS + slot;
  }

  /** Mark a taken entry as run: its handle no longer cancels anything, its slot may be reused. */
  claim(slot: number): void {
    this.fns[slot] = null;
    this.args[slot] = undefined;
  }

  /** Remove the entry handed out by take() unless a push already replaced it. */
  release(): void {
    const top = this.taken;
    if (top >= 0) {
      this.taken = -1;
      this.heap.poll();
      this.recycle(top);
    }
  }

  /** Lazy deletion: O(1); the entry stays in the heap until it surfaces. Stale handles do nothing. */
  cancel(h: Handle): void {
    const slot = h & SLOT_MASK;
    if (slot < this.used && this.gens[slot] * SLOTS + slot === h && this.fns[slot] !== null && slot !== this.taken) {
      this.fns[slot] = null;
      this.args[slot] = undefined;
      this.pending--;
    }
  }

  /** Time of the next live entry, or Infinity. Drops dead entries found on top. */
  peekTime(): number {
    const top = this.dropDead();
    return top < 0 ? Infinity : this.times[top];
  }

  get size(): number {
    return this.pending;
  }

  /** Pop cancelled and finished entries off the top; the top slot after that, or -1. */
  private dropDead(): number {
    const h = this.heap;
    while (h.size > 0) {
      const top = h.peek() as number;
      if (this.fns[top] !== null) return top;
      h.poll();
      if (top === this.taken) this.taken = -1;
      this.recycle(top);
    }
    return -1;
  }

  private set(slot: number, t: number, fn: Callback, arg: unknown): void {
    this.times[slot] = t;
    this.seqs[slot] = this.seq++;
    this.fns[slot] = fn;
    this.args[slot] = arg;
  }

  private alloc(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount];
    if (this.used === this.times.length) this.grow();
    const slot = this.used++;
    this.fns.push(null);
    this.args.push(undefined);
    return slot;
  }

  /** A slot off the heap: free it for reuse under its next generation, or retire it. */
  private recycle(slot: number): void {
    this.fns[slot] = null;
    this.args[slot] = undefined;
    if (this.gens[slot] >= this.maxGeneration) return;
    this.gens[slot]++;
    this.free[this.freeCount++] = slot;
  }

  private grow(): void {
    const n = this.times.length * 2;
    if (n > SLOTS) throw new ModelError(messages.tooManyPending(SLOTS));
    const widen = (a: Float64Array): Float64Array => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.times = widen(this.times);
    this.seqs = widen(this.seqs);
    this.gens = widen(this.gens);
    const free = new Int32Array(n);
    free.set(this.free);
    this.free = free;
    // A new heap whose order reads the new arrays; the old one drains in order (a sorted array is a heap).
    const old = this.heap;
    const items: number[] = [];
    while (old.size > 0) items.push(old.poll() as number);
    this.heap = new FastPriorityQueue<number>(ordering(this.times, this.seqs));
    this.heap.heapify(items);
  }
}
