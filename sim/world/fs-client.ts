// A distributed-file-system client (Coda's Venus in the ISR prototype): one worker that performs
// the client's server exchanges one at a time. Jobs wait in FIFO queues by priority (a lower number
// is served first); a job in progress is never preempted. So a demand miss waits behind the
// exchange already under way, and a read issued in the background delays the reads queued after
// it: the serialisation that makes a slow link hurt more than its bandwidth alone.
import type { Event, Simulator } from '../engine/index.js';

interface Job {
  /** Starts the exchange; it must trigger `done` when the exchange ends. */
  run: (done: Event<any>) => void;
  done: Event<any>;
}

export class FsClient {
  private readonly queues: Job[][] = [];
  private heads: number[] = [];
  private inFlight: Event<unknown> | null = null;
  private freeWaiters: Event<undefined>[] = [];
  /** Jobs completed, for metrics. */
  completed = 0;

  private readonly onDone = (): void => {
    this.inFlight = null;
    this.completed++;
    const waiters = this.freeWaiters;
    this.freeWaiters = [];
    for (const w of waiters) w.succeed(undefined);
    this.next();
  };

  constructor(private readonly sim: Simulator, readonly name: string) {}

  get busy(): boolean {
    return this.inFlight !== null;
  }

  /** Jobs waiting at `priority` (not counting the one in progress). */
  waiting(priority: number): number {
    const q = this.queues[priority];
    return q === undefined ? 0 : q.length - this.heads[priority];
  }

  /** Queue `run` at a priority; it starts the exchange and must trigger the event it is handed. */
  submit<T>(priority: number, run: (done: Event<T>) => void): Event<T> {
    while (this.queues.length <= priority) {
      this.queues.push([]);
      this.heads.push(0);
    }
    const done = this.sim.event<T>();
    this.queues[priority].push({ run, done });
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
    for (let p = 0; p < this.queues.length; p++) {
      const q = this.queues[p];
      if (this.heads[p] < q.length) {
        const job = q[this.heads[p]++];
        if (this.heads[p] === q.length) {
          q.length = 0;
          this.heads[p] = 0;
        }
        this.inFlight = job.done;
        job.done.then(this.onDone);
        job.run(job.done);
        return;
      }
    }
  }
}
