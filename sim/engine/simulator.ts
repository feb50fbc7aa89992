// The clock and the run loop. The simulator knows nothing but time and callbacks: processes,
// events and everything in the world are built on `schedule`.
import { EventQueue, type Callback, type Handle } from './queue.js';
import { LimitError, ModelError, messages } from '../errors.js';
import { Event, Timeout } from './event.js';
import { Process, type ProcessBody } from './process.js';
import type { Scheduler } from './scheduler.js';

export interface Limits {
  /** Events processed before the run is stopped as a runaway. */
  maxEvents: number;
  /** Simulated seconds after which the run is stopped as a runaway. */
  maxTime: number;
  /** Wall-clock seconds the run may take, from the simulator's creation. */
  maxWall: number;
}

export const DEFAULT_LIMITS: Limits = { maxEvents: 50_000_000, maxTime: 1e7, maxWall: Infinity };

/**
 * Runs `fn`, and stops it from outside if it is still running after `ms` milliseconds, throwing
 * `onTimeout()` instead: the only way to stop code that never returns to the run loop (a user's
 * policy looping inside one event). The engine is platform-neutral, so a front door that can do
 * this installs one (Node: sim/cli/watchdog.ts); without one, only the loop's own clock check holds.
 */
export type Interrupter = <T>(ms: number, fn: () => T, onTimeout: () => Error) => T;
let interrupter: Interrupter | undefined;

export function setInterrupter(f: Interrupter | undefined): void {
  interrupter = f;
}

/**
 * Milliseconds past limits.max_wall before the interrupter stops an event that is still running:
 * the loop's own check (between events) normally stops the run first, with the same message.
 */
const WALL_GRACE_MS = 300;
/** The wall clock is read about this often (milliseconds), whatever an event costs... */
const WALL_LOOK_MS = 10;
/** ...but at most once per this many events: a read per event costs a quarter of a cheap event. */
const WALL_EVERY_MAX = 4096;

export type { Handle } from './queue.js';

export class Simulator implements Scheduler {
  /** Simulated time in seconds. */
  now = 0;
  /** Events processed so far. */
  processed = 0;
  readonly limits: Limits;
  private readonly queue = new EventQueue();
  // The limits as plain fields: read on every event.
  private readonly maxTime: number;
  private readonly maxEvents: number;
  private stopping = false;
  /** Set by a failed event that nobody waited for: surfaced by run(), never swallowed. */
  private unhandled: Error | null = null;

  /** Wall-clock milliseconds (performance.now) when the run must stop. */
  private readonly wallDeadline: number;
  /** Events between two looks at the wall clock, adapted at each look (checkWall). */
  private wallEvery = 1;
  private wallCountdown = 1;
  private wallLast: number;

  constructor(limits: Partial<Limits> = {}) {
    // Frozen: the run loop reads its own copies below, so a later change would have no effect.
    this.limits = Object.freeze({ ...DEFAULT_LIMITS, ...limits });
    this.maxTime = this.limits.maxTime;
    this.maxEvents = this.limits.maxEvents;
    this.wallLast = performance.now();
    this.wallDeadline = this.wallLast + this.limits.maxWall * 1000;
  }

  /**
   * Call `fn` after `delay` seconds. Ties run in scheduling order. `fn` is called with `arg`, so a
   * caller can schedule one shared function for many objects without a closure per event.
   */
  schedule(delay: number, fn: () => void): Handle;
  schedule<A>(delay: number, fn: (arg: A) => void, arg: A): Handle;
  schedule<A>(delay: number, fn: (arg: A) => void, arg?: A): Handle {
    if (!(delay >= 0 && delay < Infinity)) {
      throw new ModelError(delay < 0 ? messages.pastEvent(delay) : messages.notFinite('delay', delay));
    }
    return this.queue.push(this.now + delay, fn as Callback, arg);
  }

  /** Call `fn` at absolute time `t` (not before now). */
  at(t: number, fn: () => void): Handle;
  at<A>(t: number, fn: (arg: A) => void, arg: A): Handle;
  at<A>(t: number, fn: (arg: A) => void, arg?: A): Handle {
    return this.schedule(t - this.now, fn, arg as A);
  }

  cancel(h: Handle): void {
    this.queue.cancel(h);
  }

  /** Start a process (SimPy's env.process). */
  process<R>(body: ProcessBody<R>): Process<R> {
    return new Process(this, body);
  }

  /** An event processed `delay` seconds from now. */
  timeout<T = undefined>(delay: number, value?: T): Timeout<T> {
    return new Timeout(this, delay, value);
  }

  /** A pending event to be triggered by hand. */
  event<T = unknown>(): Event<T> {
    return new Event<T>(this);
  }

  /** Number of live scheduled callbacks. */
  get pending(): number {
    return this.queue.size;
  }

  /** Time of the next scheduled callback, or Infinity. */
  peek(): number {
    return this.queue.peekTime();
  }

  /** Process one event; false when the queue is empty. */
  step(): boolean {
    const q = this.queue;
    const slot = q.take(Infinity);
    if (slot < 0) return false;
    try {
      this.fire(slot);
    } finally {
      q.release();
    }
    return true;
  }

  /**
   * Run until the queue is empty, simulated time reaches `until` (the clock is then set to `until`),
   * or `maxEvents` more events have been processed.
   */
  run(opts: { until?: number; maxEvents?: number } = {}): void {
    const until = opts.until ?? Infinity;
    const stopAt = opts.maxEvents === undefined ? Infinity : this.processed + opts.maxEvents;
    this.stopping = false;
    const left = this.wallDeadline - performance.now() + WALL_GRACE_MS;
    // Interrupted mid-event, the queue is left as it was; the run is over anyway.
    if (interrupter !== undefined && left < 2 ** 31) interrupter(Math.max(1, left), () => this.loop(until, stopAt), () => this.tooLong());
    else this.loop(until, stopAt);
    const q = this.queue;
    if (until !== Infinity && this.now < until && q.peekTime() > until) this.now = until;
  }

  private loop(until: number, stopAt: number): void {
    const q = this.queue;
    // One try for the whole loop: release() after each event, and once more if one throws.
    try {
      while (this.processed < stopAt && !this.stopping) {
        const slot = q.take(until);
        if (slot < 0) break;
        this.fire(slot);
        q.release();
      }
    } finally {
      q.release();
    }
  }

  /** Stop at the wall limit; look again after about WALL_LOOK_MS of events like the last ones. */
  private checkWall(): void {
    const t = performance.now();
    if (t > this.wallDeadline) throw this.tooLong();
    const spent = t - this.wallLast;
    this.wallLast = t;
    const every = spent > 0 ? Math.floor((this.wallEvery * WALL_LOOK_MS) / spent) : 2 * this.wallEvery;
    this.wallEvery = Math.max(1, Math.min(WALL_EVERY_MAX, every));
    this.wallCountdown = this.wallEvery;
  }

  private tooLong(): LimitError {
    return new LimitError(messages.tooLongWall(this.limits.maxWall, this.now, this.processed));
  }

  /** Make run() return after the current event (e.g. when the process of interest has finished). */
  stop(): void {
    this.stopping = true;
  }

  private fire(slot: number): void {
    const q = this.queue;
    const t = q.timeAt(slot);
    if (t > this.maxTime) throw new LimitError(messages.tooMuchTime(this.maxTime));
    if (this.processed >= this.maxEvents) throw new LimitError(messages.tooManyEvents(this.maxEvents, t));
    if (--this.wallCountdown === 0) this.checkWall();
    this.processed++;
    this.now = t;
    const fn = q.fnAt(slot);
    const arg = q.argAt(slot);
    q.claim(slot);
    fn(arg);
    if (this.unhandled !== null) {
      const err = this.unhandled;
      this.unhandled = null;
      throw err;
    }
  }

  /** Called by events that failed with nobody waiting. */
  reportUnhandled(err: Error): void {
    if (this.unhandled === null) this.unhandled = err;
  }
}
