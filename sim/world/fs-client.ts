// A distributed-file-system client (Coda's Venus in the ISR prototype): one worker that performs
// the client's server exchanges one at a time. Jobs wait in FIFO queues by priority (a lower number
// is served first); a job in progress is never preempted. So a demand miss waits behind the
// exchange already under way, and a read issued in the background delays the reads queued after
// it: the serialisation that makes a slow link hurt more than its bandwidth alone.
import type { Event, Simulator } from '../engine/index.js';

type Run = (done: Event<any>) => void;

export class FsClient {
  // One FIFO per priority: parallel arrays of jobs (what starts the exchange, the event it must
  // trigger), read from heads[p] up to tails[p]. An emptied queue restarts at 0 without shrinking:
  // resetting an array's length is a slow runtime call and gives up its storage.
  private readonly runs: Array<Array<Run | undefined>> = [];
  private readonly dones: Array<Array<Event<any> | undefined>> = [];
  private readonly heads: number[] = [];
  private readonly tails: number[] = [];
  private inFlight: Event<unknown> | null = null;
  private freeWaiters: Event<undefined>[] = [];
  /** Jobs completed, for metrics. */
  completed = 0;

  private readonly onDone = (): void => {
    this.inFlight = null;
    this.completed++;
    if (this.freeWaiters.length > 0) {
      const waiters = this.freeWaiters;
      this.freeWaiters = [];
      for (const w of waiters) w.succeed(undefined);
    }
    this.next();
  };

  constructor(private readonly sim: Simulator, readonly name: string) {}

  get busy(): boolean {
    return this.inFlight !== null;
  }

  /** Jobs waiting at `priority` (not counting the one in progress). */
  waiting(priority: number): number {
    return priority < this.heads.length ? this.tails[priority] - this.heads[priority] : 0;
  }

  /** Queue `run` at a priority; it starts the exchange and must trigger the event it is handed. */
  submit<T>(priority: number, run: (done: Event<T>) => void): Event<T> {
    while (this.runs.length <= priority) {
      this.runs.push([]);
      this.dones.push([]);
      this.heads.push(0);
      this.tails.push(0);
    }
    const done = this.sim.event<T>();
    const k = this.tails[priority]++;
    this.runs[priority][k] = run as Run;
    this.dones[priority][k] = done;
    if (this.inFlight === null) this.next();
    return done;
  }

  /** Fires when the exchange now in progress ends (at once, from the queue, if none is). */
  whenFree(): Event<undefined> {
    const e = this.sim.event<undefined>();
    if (this.inFlight === null) e.succeed(undefined);
    else this.freeWaiters.push(e);
    return e;
  }

  private next(): void {
    for (let p = 0; p < this.runs.length; p++) {
      const h = this.heads[p];
      if (h < this.tails[p]) {
        const runs = this.runs[p];
        const dones = this.dones[p];
        const run = runs[h] as Run;
        const done = dones[h] as Event<any>;
        runs[h] = undefined;
        dones[h] = undefined;
        if (h + 1 === this.tails[p]) this.heads[p] = this.tails[p] = 0;
        else this.heads[p] = h + 1;
        this.inFlight = done;
        done.then(this.onDone);
        run(done);
        return;
      }
    }
  }
}
