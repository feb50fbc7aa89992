// The page's side of the Web Worker: one request at a time, replies routed to the caller's
// handlers. The worker is made from the page's own script (a Blob URL, so a page opened from disk
// can start it) and is replaced on cancel: terminating it is the only way to stop a run midway.
import { messages } from '../errors.js';
import type { Reply, Request } from './protocol.js';

type Handler = (m: Reply) => void;

/** What Request leaves to the runner: the id. */
export type Job = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

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

  /** Send a request; every reply with its id goes to `handler` until an end reply ('swept', 'reproduced', 'error'). */
  send(job: Job, handler: Handler): void {
    const id = this.next++;
    this.current = { id, handler };
    this.ensure().postMessage({ ...job, id } as Request);
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
      if (e.data.type === 'swept' || e.data.type === 'reproduced' || e.data.type === 'error') this.current = undefined;
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
