// SimPy-style processes: a generator yields what it waits for and is resumed with the result.
// Yield an Event to wait for it (its value is returned; its failure is thrown in), or a number
// of seconds to hold: the fast path, which allocates nothing but the queue entry.
import { Event } from './event.js';
import type { Simulator, Handle } from './simulator.js';
import { ModelError } from '../errors.js';

export type Yieldable = Event<any> | number;
export type ProcessBody<R> = Generator<Yieldable, R, any>;

/** Thrown into a process by interrupt(); `cause` says why. */
export class Interrupt extends Error {
  constructor(override readonly cause: unknown) {
    super('interrupted');
    this.name = 'Interrupt';
  }
}

/** A running generator. It is itself an event: it succeeds with the generator's return value. */
export class Process<R = void> extends Event<R> {
  private waitingOn: Event<any> | null = null;
  private holding: Handle | null = null;
  private readonly resumeHold = (): void => {
    this.holding = null;
    this.resume(undefined, null);
  };
  private readonly resumeEvent = (e: Event<any>): void => {
    this.waitingOn = null;
    this.resume(e.value, e.error);
  };

  constructor(sim: Simulator, private readonly body: ProcessBody<R>) {
    super(sim);
    this.holding = sim.schedule(0, this.resumeHold);
  }

  get alive(): boolean {
    return this.state === 'pending';
  }

  /** Throw an Interrupt into the process at the current time, wherever it is waiting. */
  interrupt(cause?: unknown): void {
    if (!this.alive) throw new ModelError('cannot interrupt a process that has finished');
    if (this.holding !== null) this.sim.cancel(this.holding);
    if (this.waitingOn !== null) this.waitingOn.off(this.resumeEvent);
    this.waitingOn = null;
    this.holding = this.sim.schedule(0, () => {
      this.holding = null;
      this.resume(undefined, new Interrupt(cause));
    });
  }

  private resume(value: unknown, error: Error | null): void {
    const body = this.body;
    for (;;) {
      let r: IteratorResult<Yieldable, R>;
      try {
        r = error === null ? body.next(value) : body.throw(error);
      } catch (err) {
        this.fail(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (r.done) {
        this.succeed(r.value);
        return;
      }
      const y = r.value;
      if (typeof y === 'number') {
        this.holding = this.sim.schedule(y, this.resumeHold);
        return;
      }
      if (!(y instanceof Event)) {
        error = new ModelError(`a process may yield an Event or a number of seconds, not ${String(y)}`);
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
      this.waitingOn = y;
      y.then(this.resumeEvent);
      return;
    }
  }
}
