// The page's side of the Web Worker: one request at a time, replies routed to the caller's
// handlers. The worker is made from the page's own script (a Blob URL, so a page opened from disk
// can start it) and is replaced on cancel: terminating it is the only way to stop a run midway.
// WorkerExecutor is the pipeline's executor (sim/pipeline/execute.ts) over it.
import { VmsimError, messages } from '../errors.js';
import type { RunRecord } from '../results/record.js';
import type { Executor, Job, Plan } from '../pipeline/index.js';
import type { Reply, Request } from './protocol.js';

type Handler = (m: Reply) => void;

/** A request without its id (the runner numbers them). */
export type Outgoing = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export class Runner {
  private worker: Worker | undefined;
  private next = 1;
  private current: { id: number; handler: Handler } | undefined;

  /** One Blob URL for the page's life: every worker (a new one after each cancel) starts from it. */
  private readonly url: string;

  constructor(source: string) {
    this.url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  }

  /** Start the worker now (so the first run does not wait for it to parse the script). */
  warm(): void {
    this.ensure();
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Send a request; every reply with its id goes to `handler` until an end reply ('ran', 'reproduced', 'error'). */
  send(req: Outgoing, handler: Handler): void {
    const id = this.next++;
    this.current = { id, handler };
    this.ensure().postMessage({ ...req, id } as Request);
  }

  /** Stop the request in flight: the worker is terminated and a fresh one started. */
  cancel(): void {
    this.worker?.terminate();
    this.worker = undefined;
    this.current = undefined;
    this.ensure();
  }

  private ensure(): Worker {
    if (this.worker !== undefined) return this.worker;
    const w = new Worker(this.url);
    w.onmessage = (e: MessageEvent<Reply>) => {
      const c = this.current;
      if (c === undefined || e.data.id !== c.id) return;
      if (e.data.type === 'ran' || e.data.type === 'reproduced' || e.data.type === 'error') this.current = undefined;
      c.handler(e.data);
    };
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      const c = this.current;
      this.worker?.terminate();
      this.worker = undefined;
      this.current = undefined;
      c?.handler({ id: c.id, type: 'error', message: messages.workerStopped(e.message || 'the worker failed'), exitCode: 1 });
    };
    this.worker = w;
    return w;
  }
}

/** Runs a plan's jobs in the Web Worker; cancel() terminates it (a fresh one is started). */
export class WorkerExecutor implements Executor {
  private stop: (() => void) | undefined;

  constructor(private readonly runner: Runner) {}

  run(plan: Plan, jobs: readonly Job[], onRecord: (job: Job, record: RunRecord) => void): Promise<'done' | 'cancelled'> {
    return new Promise((resolve, reject) => {
      this.stop = () => {
        this.runner.cancel();
        resolve('cancelled');
      };
      const byIndex = new Map(jobs.map((j) => [j.index, j]));
      this.runner.send({ type: 'run', points: plan.points, jobs: [...jobs] }, (m) => {
        if (m.type === 'progress') for (const r of m.records) onRecord(byIndex.get(r.index)!, r.record);
        else if (m.type === 'ran') resolve('done');
        else if (m.type === 'error') reject(new VmsimError(m.message));
      });
    });
  }

  cancel(): void {
    this.stop?.();
  }
}
