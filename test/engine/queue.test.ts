// The event heap: ordering by (time, insertion sequence), lazy cancellation, handles that stay
// exact when slots are reused, and the take/replaceTop "hold" optimisation, which is easy to get
// subtly wrong, so it is compared against a reference (a plain sort by (t, seq)) over large random
// workloads.
import { describe, expect, it } from 'vitest';
import { EventQueue, type Callback, type Handle } from '../../sim/engine/queue.js';
import { Simulator } from '../../sim/engine/simulator.js';

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const randInt = (r: () => number, n: number): number => Math.floor(r() * n);
const byTimeSeq = (a: { t: number; seq: number }, b: { t: number; seq: number }): number => a.t - b.t || a.seq - b.seq;

/** An entry removed from the queue: its time, handle, callback and argument. */
interface Popped {
  t: number;
  h: Handle;
  fn: Callback;
  arg: unknown;
}

/** What the run loop does with the next entry, without running it: take, claim, release. */
function pop(q: EventQueue): Popped | undefined {
  const slot = q.take(Infinity);
  if (slot < 0) return undefined;
  const e = { t: q.timeAt(slot), h: q.handleAt(slot), fn: q.fnAt(slot), arg: q.argAt(slot) };
  q.claim(slot);
  q.release();
  return e;
}

describe('EventQueue', () => {
  it('pops in (time, insertion) order', () => {
    const q = new EventQueue();
    const labels: string[] = [];
    const mk = (l: string) => () => labels.push(l);
    q.push(2, mk('a'));
    q.push(1, mk('b'));
    q.push(2, mk('c'));
    q.push(1, mk('d'));
    q.push(0, mk('e'));
    expect(q.size).toBe(5);
    const order: string[] = [];
    for (let e = pop(q); e !== undefined; e = pop(q)) {
      e.fn(e.arg);
      order.push(`${e.t}`);
    }
    expect(labels).toEqual(['e', 'b', 'd', 'a', 'c']);
    expect(order).toEqual(['0', '1', '1', '2', '2']);
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Infinity);
  });

  it('hands each callback the argument it was pushed with', () => {
    const q = new EventQueue();
    const got: unknown[] = [];
    const record = (x: unknown): void => {
      got.push(x);
    };
    const obj = { k: 1 };
    q.push(1, record, obj);
    q.push(2, record, 'two');
    q.push(3, record);
    for (let e = pop(q); e !== undefined; e = pop(q)) e.fn(e.arg);
    expect(got).toEqual([obj, 'two', undefined]);
    expect(got[0]).toBe(obj);
    // Claiming drops the reference, so a run entry keeps nothing alive.
    q.push(4, record, obj);
    const slot = q.take(Infinity);
    q.claim(slot);
    expect(q.argAt(slot)).toBeUndefined();
    q.release();
  });

  it('take() leaves the entry on top until release(), and respects `until`', () => {
    const q = new EventQueue();
    q.push(1, () => {});
    q.push(3, () => {});
    expect(q.take(0.5)).toBe(-1);
    expect(q.size).toBe(2);
    const slot = q.take(1);
    expect(q.timeAt(slot)).toBe(1);
    expect(q.size).toBe(1); // counted as gone at once
    expect(q.peekTime()).toBe(1); // still physically on top (not yet claimed by a runner)
    q.claim(slot); // what the simulator does before running it
    q.release();
    expect(q.peekTime()).toBe(3);
    expect(q.take(2.9)).toBe(-1);
    expect(q.timeAt(q.take(3))).toBe(3);
    q.release();
    expect(q.take(Infinity)).toBe(-1);
    expect(q.size).toBe(0);
  });

  it('a push between take() and release() replaces the taken entry (and only the first push does)', () => {
    const q = new EventQueue();
    const h0 = q.push(1, () => {});
    const h1 = q.push(1, () => {});
    const h2 = q.push(5, () => {});
    const slot = q.take(Infinity);
    expect(q.handleAt(slot)).toBe(h0);
    q.claim(slot);
    const r1 = q.push(1, () => {}); // same time: must go after h1
    const r2 = q.push(0.5 + 0.5, () => {}); // also t = 1, after r1
    q.release(); // must not remove anything now
    expect(q.size).toBe(4);
    // r1 took over the taken entry's slot, under a new handle: the old one cancels nothing.
    expect(new Set([h0, h1, h2, r1, r2]).size).toBe(5);
    q.cancel(h0);
    expect(q.size).toBe(4);
    const got: Handle[] = [];
    for (let x = pop(q); x !== undefined; x = pop(q)) got.push(x.h);
    expect(got).toEqual([h1, r1, r2, h2]);
  });

  it('cancel is lazy, idempotent and keeps size right', () => {
    const q = new EventQueue();
    const a = q.push(1, () => {});
    const b = q.push(2, () => {});
    const c = q.push(3, () => {});
    q.cancel(a);
    q.cancel(a);
    expect(q.size).toBe(2);
    expect(q.peekTime()).toBe(2);
    q.cancel(c);
    expect(q.size).toBe(1);
    expect(pop(q)?.h).toBe(b);
    expect(pop(q)).toBeUndefined();
    expect(q.size).toBe(0);
    q.cancel(b); // already popped and run: no effect on size
    expect(q.size).toBe(0);
  });

  it('a stale handle never cancels the entry that reuses its slot', () => {
    const q = new EventQueue();
    const old = q.push(1, () => {});
    q.cancel(old);
    expect(q.peekTime()).toBe(Infinity); // the cancelled entry surfaced: its slot is free
    const fresh = q.push(2, () => {}); // reuses that slot
    expect(fresh).not.toBe(old);
    q.cancel(old);
    q.cancel(old + 1); // and handles that were never issued
    q.cancel(-1);
    q.cancel(Number.NaN);
    expect(q.size).toBe(1);
    expect(pop(q)?.h).toBe(fresh);
  });

  it('retires a slot whose generation is used up, so handles stay unique', () => {
    const q = new EventQueue(3);
    const seen = new Set<Handle>();
    for (let i = 0; i < 50; i++) {
      const h = q.push(i, () => {});
      expect(seen.has(h)).toBe(false);
      seen.add(h);
      if (i % 2 === 0) q.cancel(h);
      else expect(pop(q)?.h).toBe(h);
      expect(q.peekTime()).toBe(Infinity);
    }
    // The hold path (push between take and release) retires too.
    q.push(0, () => {});
    for (let i = 1; i < 50; i++) {
      const slot = q.take(Infinity);
      q.claim(slot);
      const h = q.push(i, () => {});
      q.release();
      expect(seen.has(h)).toBe(false);
      seen.add(h);
    }
    expect(q.size).toBe(1);
  });

  it('take() skips cancelled entries on top', () => {
    const q = new EventQueue();
    const a = q.push(1, () => {});
    const b = q.push(1, () => {});
    q.push(2, () => {});
    q.cancel(a);
    q.cancel(b);
    expect(q.take(1.5)).toBe(-1);
    expect(q.timeAt(q.take(2))).toBe(2);
  });

  it('keeps order while its arrays grow (10k entries, many ties)', () => {
    const r = prng(3);
    const q = new EventQueue();
    const want: Array<{ t: number; seq: number; h: Handle }> = [];
    for (let i = 0; i < 10_000; i++) {
      const t = randInt(r, 50);
      want.push({ t, seq: i, h: q.push(t, () => {}) });
    }
    const got: Handle[] = [];
    for (let x = pop(q); x !== undefined; x = pop(q)) got.push(x.h);
    expect(got).toEqual(want.sort(byTimeSeq).map((x) => x.h));
  });

  it('matches a reference model over random push/take/replace/cancel/pop sequences', () => {
    interface Ref {
      t: number;
      /** Push order: the queue's tie-break. */
      seq: number;
      h: Handle;
    }
    for (let seed = 1; seed <= 20; seed++) {
      const r = prng(seed);
      const q = new EventQueue();
      // Reference: a plain array of live entries; the next one is the (t, seq) minimum.
      const live: Ref[] = [];
      let pushes = 0;
      const push = (t: number): void => {
        live.push({ t, seq: pushes++, h: q.push(t, () => {}) });
      };
      const min = (): Ref | undefined => {
        let best: Ref | undefined;
        for (const e of live) if (best === undefined || byTimeSeq(e, best) < 0) best = e;
        return best;
      };
      const drop = (e: Ref): void => {
        const i = live.indexOf(e);
        live[i] = live[live.length - 1];
        live.pop();
      };
      const gone: Handle[] = [];
      const cancelRandom = (): void => {
        if (live.length === 0) return;
        const victim = live[randInt(r, live.length)];
        q.cancel(victim.h);
        drop(victim);
        gone.push(victim.h);
      };
      const fail = (what: string, step: number): never => {
        throw new Error(`seed ${seed} step ${step}: ${what}`);
      };
      let now = 0;
      for (let step = 0; step < 1500; step++) {
        const op = r();
        if (op < 0.35) {
          push(now + randInt(r, 4));
        } else if (op < 0.75) {
          // The run loop's cycle: take, claim, maybe push some / cancel one, release.
          const want = min();
          const until = now + randInt(r, 3);
          const slot = q.take(until);
          if (want === undefined || want.t > until) {
            if (slot >= 0) fail('take() returned an entry past until', step);
            continue;
          }
          if (slot < 0 || q.handleAt(slot) !== want.h) fail(`take() returned slot ${slot}, want ${want.t}/${want.seq}`, step);
          drop(want);
          gone.push(want.h);
          now = want.t;
          q.claim(slot);
          const k = randInt(r, 3);
          for (let i = 0; i < k; i++) push(now + randInt(r, 3));
          if (r() < 0.2) cancelRandom();
          q.release();
        } else if (op < 0.85) {
          cancelRandom();
        } else if (op < 0.9) {
          // A handle that has run or been cancelled (its slot maybe reused) cancels nothing.
          if (gone.length > 0) q.cancel(gone[randInt(r, gone.length)]);
        } else if (op < 0.95) {
          const want = min();
          if (q.peekTime() !== (want === undefined ? Infinity : want.t)) fail('peekTime()', step);
        } else {
          const want = min();
          const e = pop(q);
          if (e?.h !== want?.h) fail('pop()', step);
          if (want !== undefined) {
            drop(want);
            gone.push(want.h);
            now = want.t;
          }
        }
        if (q.size !== live.length) fail(`size ${q.size}, want ${live.length}`, step);
      }
      // Drain: everything left comes out in reference order.
      const rest = live.slice().sort(byTimeSeq).map((x) => x.h);
      const got: Handle[] = [];
      for (let e = pop(q); e !== undefined; e = pop(q)) got.push(e.h);
      expect(got).toEqual(rest);
    }
  });
});

describe('Simulator event order against a reference sort by (time, seq)', () => {
  it('10k random integer-time events, with self-rescheduling, fan-out and cancels, run in (t, seq) order', () => {
    const r = prng(12345);
    const sim = new Simulator();
    interface Rec { id: number; t: number; seq: number; h?: ReturnType<Simulator['schedule']>; cancelled: boolean; ran: boolean }
    const all: Rec[] = [];
    const ran: number[] = [];
    let seq = 0; // our own schedule counter: the queue's seq order is the same (only we push)
    let budget = 10_000;
    const add = (delay: number): void => {
      const rec: Rec = { id: all.length, t: sim.now + delay, seq: seq++, cancelled: false, ran: false };
      all.push(rec);
      rec.h = sim.schedule(delay, () => {
        ran.push(rec.id);
        rec.ran = true;
        if (sim.now !== rec.t) throw new Error(`event ${rec.id} ran at ${sim.now}, scheduled for ${rec.t}`);
        const u = r();
        if (budget <= 0) return;
        if (u < 0.5) {
          budget--;
          add(randInt(r, 3)); // reschedule itself, often at the same time as others due now
        } else if (u < 0.65) {
          budget -= 2;
          add(0);
          add(randInt(r, 5));
        } else if (u < 0.75) {
          // cancel some pending event (maybe one due at this very time)
          const pending = all.filter((x) => !x.cancelled && !x.ran);
          if (pending.length > 0) {
            const v = pending[randInt(r, pending.length)];
            v.cancelled = true;
            sim.cancel(v.h!);
          }
        }
      });
    };
    for (let i = 0; i < 5000; i++) add(randInt(r, 200));
    sim.run();
    const expected = all.filter((x) => !x.cancelled).sort(byTimeSeq).map((x) => x.id);
    expect(all.length).toBeGreaterThan(10_000);
    expect(ran).toEqual(expected);
    expect(sim.pending).toBe(0);
  });

  it('10k events with random integer times scheduled up front run in reference order', () => {
    const r = prng(7);
    const sim = new Simulator();
    const times: number[] = [];
    const ran: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const t = randInt(r, 100); // many ties
      times.push(t);
      sim.at(t, () => ran.push(i));
    }
    sim.run();
    const expected = times.map((t, i) => ({ t, seq: i })).sort(byTimeSeq).map((x) => x.seq);
    expect(ran).toEqual(expected);
  });

  it('hold pattern: 1000 self-rescheduling callbacks with integer delays (ties everywhere), 10k events', () => {
    const r = prng(99);
    const sim = new Simulator();
    const fired: { t: number; seq: number }[] = [];
    let seq = 0;
    const mk = (): void => {
      const my = { t: sim.now + randInt(r, 4), seq: seq++ };
      sim.at(my.t, () => {
        fired.push(my);
        if (seq < 10_000) mk();
      });
    };
    for (let i = 0; i < 1000; i++) mk();
    sim.run();
    expect(fired.length).toBe(10_000);
    // New events always have t >= now and a larger seq, so a correct queue fires them in strictly
    // increasing (t, seq) order; together with completeness that is exactly the reference sort.
    const outOfOrder = fired.findIndex((x, i) => i > 0 && byTimeSeq(fired[i - 1], x) >= 0);
    expect(outOfOrder).toBe(-1);
  });
});
