// SimPy-style processes: a generator yields what it waits for and is resumed with the result.
// Yield an Event to wait for it (its value is returned; its failure is thrown in), or a number
// of seconds to hold: the fast path, which allocates nothing but the queue entry.
import { Event } from './event.js';
import type { Handle } from './queue.js';
import type { Scheduler } from './scheduler.js';
import { ModelError, messages } from '../errors.js';

export type Yieldable = Event<any> | number;
export type ProcessBody<R> = Generator<Yieldable, R, any>;

/** Thrown into a process by interrupt(); `cause` says why. */
export class Interrupt extends Error {
  constructor(override readonly cause: unknown) {
    super('interrupted');
    this.name = 'Interrupt';
  }
}

// Every generator object inherits next/throw from %GeneratorPrototype%, but through its own generator
// function's prototype, so `body.next` is a megamorphic property load (a stub-cache miss and a
// runtime lookup on a busy run). Calling the shared methods directly skips the lookup.
const GENERATOR = Object.getPrototypeOf(function* () {}).prototype as Generator;
const genNext = GENERATOR.next;
const genThrow = GENERATOR.throw;

/** A running generator. It is itself an event: it succeeds with the generator's return value. */
export class Process<R = void> extends Event<R> {
  private waitingOn: Event<any> | null = null;
  private holding: Handle | null = null;
  private running = false;
  /** A native generator (any other iterator is driven through its own next/throw). */
  private readonly native: boolean;
  private readonly resumeHold = (): void => {
    this.holding = null;
    this.resume(undefined, null);
  };
  private readonly resumeEvent = (e: Event<any>): void => {
    // An interrupt may have detached us after the event copied its callback list.
    if (e !== this.waitingOn) return;
    this.waitingOn = null;
    this.resume(e.value, e.error);
  };

  constructor(sim: Scheduler, private readonly body: ProcessBody<R>) {
    super(sim);
    this.native = GENERATOR.isPrototypeOf(body);
    this.holding = sim.schedule(0, this.resumeHold);
  }

  get alive(): boolean {
    return this.state === 'pending';
  }

  /**
   * Throw an Interrupt into the process, delivered from the queue at the current time: a process
   * not yet started runs to its first yield first, and each interrupt is delivered in turn.
   */
  interrupt(cause?: unknown): void {
    if (!this.alive) throw new ModelError(messages.interruptFinished());
    if (this.running) throw new ModelError(messages.interruptSelf());
    this.sim.schedule(0, () => {
      if (!this.alive) return;
      if (this.holding !== null) this.sim.cancel(this.holding);
      this.holding = null;
      if (this.waitingOn !== null) this.waitingOn.off(this.resumeEvent);
      this.waitingOn = null;
      this.resume(undefined, new Interrupt(cause));
    });
  }

  private resume(value: unknown, error: Error | null): void {
    const body = this.body;
    this.running = true;
    for (;;) {
      let r: IteratorResult<Yieldable, R>;
      try {
        if (this.native) r = (error === null ? genNext.call(body, value) : genThrow.call(body, error)) as IteratorResult<Yieldable, R>;
        else r = error === null ? body.next(value) : body.throw(error);
      } catch (err) {
        this.running = false;
        this.fail(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (r.done) {
        this.running = false;
        this.succeed(r.value);
        return;
      }
      const y = r.value;
      if (typeof y === 'number') {
        if (y >= 0 && y < Infinity) {
          this.running = false;
          this.holding = this.sim.schedule(y, this.resumeHold);
          return;
        }
        error = new ModelError(messages.badHold(y));
        value = undefined;
        continue;
      }
      if (!(y instanceof Event)) {
        error = new ModelError(messages.badYield(y));
        value = undefined;
        continue;
      }
      if (y.state === 'processed') {
        // Already happened: continue at once, keeping the queue order intact.
        if (y.error !== null) y.defused = true;
        value = y.value;
        error = y.error;
        continue;
      }
      this.running = false;
      this.waitingOn = y;
      y.then(this.resumeEvent);
      return;
    }
  }
}
