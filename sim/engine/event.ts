// A waitable with an explicit life cycle, as in SimPy: pending -> triggered (a value or a failure is
// set and processing is scheduled) -> processed (callbacks have run). Callbacks always run from the
// event queue, never inside succeed(), so the order of effects is the order of the queue.
import type { Scheduler } from './scheduler.js';
import { ModelError, messages } from '../errors.js';

export type State = 'pending' | 'triggered' | 'processed';
export type Callback<T> = (e: Event<T>) => void;

export class Event<T = unknown> {
  state: State = 'pending';
  value: T | undefined = undefined;
  error: Error | null = null;
  /** True once some waiter took responsibility for a failure. */
  defused = false;
  // Callbacks in order: the first in a field, the rest in an array made only for a second one (most
  // events have one waiter). first === null implies rest === null. Typed loosely so Event<T> stays
  // assignable to Event<unknown> (a Timeout is waitable anywhere).
  private first: Callback<any> | null = null;
  private rest: Callback<any>[] | null = null;

  constructor(readonly sim: Scheduler) {}

  get ok(): boolean {
    return this.error === null;
  }

  succeed(value?: T): this {
    this.trigger();
    this.value = value;
    this.sim.schedule(0, Event.processIt, this);
    return this;
  }

  /** Succeed now but be processed `delay` seconds from now (a timeout whose value is known). */
  succeedAfter(delay: number, value?: T): this {
    this.trigger();
    this.value = value;
    this.sim.schedule(delay, Event.processIt, this);
    return this;
  }

  fail(error: Error): this {
    this.trigger();
    this.error = error;
    this.sim.schedule(0, Event.processIt, this);
    return this;
  }

  /** Run `cb` when processed (or soon, from the queue, if already processed). */
  then(cb: Callback<T>): void {
    if (this.error !== null) this.defused = true;
    if (this.state === 'processed') this.sim.schedule(0, () => cb(this));
    else if (this.first === null) this.first = cb;
    else if (this.rest === null) this.rest = [cb];
    else this.rest.push(cb);
  }

  /** An event that succeeds with fn(value) once this one succeeds, or fails with its failure. */
  map<U>(fn: (value: T) => U): Event<U> {
    const out = new Event<U>(this.sim);
    this.then((e) => {
      if (e.error !== null) {
        out.fail(e.error);
        return;
      }
      let v: U;
      try {
        v = fn(e.value as T);
      } catch (err) {
        out.fail(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      out.succeed(v);
    });
    return out;
  }

  /** Like then(), but ahead of the callbacks already registered (for reporting an event's cause first). */
  thenFirst(cb: Callback<T>): void {
    if (this.state === 'processed' || this.first === null) {
      this.then(cb);
      return;
    }
    // Small cases as new arrays: unshift() leaves optimised code for a C++ builtin.
    const rest = this.rest;
    if (rest === null) this.rest = [this.first];
    else if (rest.length === 1) this.rest = [this.first, rest[0]];
    else rest.unshift(this.first);
    this.first = cb;
  }

  /** Stop waiting (e.g. an interrupted process): drop the first registration of `cb`. */
  off(cb: Callback<T>): void {
    const rest = this.rest;
    if (this.first === cb) {
      this.first = rest === null ? null : (rest.shift() as Callback<any>);
      if (rest !== null && rest.length === 0) this.rest = null;
    } else if (rest !== null) {
      const i = rest.indexOf(cb);
      if (i >= 0) rest.splice(i, 1);
      if (rest.length === 0) this.rest = null;
    }
  }

  protected trigger(): void {
    if (this.state !== 'pending') throw new ModelError(messages.eventTwice());
    this.state = 'triggered';
  }

  /** Scheduled with the event as its argument, so triggering an event allocates no closure. */
  protected static processIt(e: Event<any>): void {
    e.process();
  }

  /** Called from the queue: run callbacks; an unwaited failure stops the run. */
  protected process(): void {
    this.state = 'processed';
    // A processed event never takes callbacks again (then() schedules them).
    const first = this.first;
    const rest = this.rest;
    this.first = null;
    this.rest = null;
    if (this.error !== null && first === null && !this.defused) {
      this.sim.reportUnhandled(this.error);
      return;
    }
    if (this.error !== null) this.defused = true;
    if (first === null) return;
    first(this);
    if (rest !== null) for (let i = 0; i < rest.length; i++) rest[i](this);
  }
}

/** An event processed `delay` seconds from now. */
export class Timeout<T = undefined> extends Event<T> {
  constructor(sim: Scheduler, delay: number, value?: T) {
    super(sim);
    this.state = 'triggered';
    this.value = value;
    sim.schedule(delay, Event.processIt, this);
  }
}

/** Succeeds with every value, in order, once all succeed; fails with the first failure. */
export function allOf<T>(sim: Scheduler, events: readonly Event<T>[]): Event<T[]> {
  const out = new Event<T[]>(sim);
  let left = events.length;
  if (left === 0) return out.succeed([]);
  const onOne = (e: Event<T>): void => {
    if (out.state !== 'pending') return;
    if (e.error !== null) out.fail(e.error);
    else if (--left === 0) out.succeed(events.map((x) => x.value as T));
  };
  for (const e of events) e.then(onOne);
  return out;
}

/** Succeeds with the first of `events` to be processed (the event itself), or fails with its failure. */
export function anyOf<T>(sim: Scheduler, events: readonly Event<T>[]): Event<Event<T>> {
  const out = new Event<Event<T>>(sim);
  if (events.length === 0) return out.succeed(undefined);
  const onOne = (e: Event<T>): void => {
    if (out.state !== 'pending') return;
    if (e.error !== null) out.fail(e.error);
    else out.succeed(e);
  };
  for (const e of events) e.then(onOne);
  return out;
}
