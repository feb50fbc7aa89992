// The event heap. Entries are ordered by (time, insertion sequence): equal-time events run in the
// order they were scheduled, which is what makes runs deterministic.
import FastPriorityQueue from 'fastpriorityqueue';

/** A scheduled callback. `fn === null` marks a cancelled entry, skipped when it reaches the top. */
export interface Entry {
  t: number;
  seq: number;
  fn: (() => void) | null;
}

const before = (a: Entry, b: Entry): boolean => a.t < b.t || (a.t === b.t && a.seq < b.seq);

export class EventQueue {
  private readonly heap = new FastPriorityQueue<Entry>(before);
  private seq = 0;
  /** Live (not cancelled) entries. */
  pending = 0;
  /**
   * The top entry has been handed out by take() but not yet removed. The first push while it is
   * there replaces it in one sift-down (the classic "hold" operation) instead of a sift-down plus a
   * sift-up: a process that reschedules itself then costs one heap pass, not two.
   */
  private consumedTop = false;

  push(t: number, fn: () => void): Entry {
    const e: Entry = { t, seq: this.seq++, fn };
    if (this.consumedTop) {
      this.consumedTop = false;
      this.heap.replaceTop(e);
    } else {
      this.heap.add(e);
    }
    this.pending++;
    return e;
  }

  /**
   * Hand out the next live entry if it is due by `until`, leaving it on the heap (marked done) so
   * that a push made while it runs can take its place. Call release() after running it.
   */
  take(until: number): Entry | undefined {
    const h = this.heap;
    let top = h.peek();
    while (top !== undefined && top.fn === null) {
      h.poll();
      top = h.peek();
    }
    if (top === undefined || top.t > until) return undefined;
    this.pending--;
    this.consumedTop = true;
    return top;
  }

  /** Remove the entry handed out by take() unless a push already replaced it. */
  release(): void {
    if (this.consumedTop) {
      this.consumedTop = false;
      this.heap.poll();
    }
  }

  /** Lazy deletion: O(1); the entry stays in the heap until it surfaces. */
  cancel(e: Entry): void {
    if (e.fn !== null) {
      e.fn = null;
      this.pending--;
    }
  }

  /** Time of the next live entry, or Infinity. Drops cancelled entries found on top. */
  peekTime(): number {
    const h = this.heap;
    let top = h.peek();
    while (top !== undefined && top.fn === null) {
      h.poll();
      this.consumedTop = false;
      top = h.peek();
    }
    return top === undefined ? Infinity : top.t;
  }

  /** Remove and return the next live entry (caller checked peekTime first). */
  pop(): Entry | undefined {
    const h = this.heap;
    this.consumedTop = false;
    let top = h.poll();
    while (top !== undefined && top.fn === null) top = h.poll();
    if (top !== undefined) this.pending--;
    return top;
  }

  get size(): number {
    return this.pending;
  }
}
