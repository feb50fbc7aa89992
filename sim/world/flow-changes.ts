// What changed among a network's flows since someone last looked: flows started, ended, or given a
// new rate, in the order it happened (a flow may be listed more than once). A listener that keeps
// per-flow state (a cluster's link accounting) reads this after each reshare instead of walking
// every active flow; nothing is kept while nobody listens.
import type { Flow } from './network.js';

export type FlowChange = 'started' | 'ended' | 'rate';

export class FlowChanges {
  private flows: Array<Flow | null> = [];
  private kinds: FlowChange[] = [];
  private n = 0;
  /** Whether changes are kept (set by the network while it has a listener). */
  on = false;

  get count(): number {
    return this.n;
  }

  /** The `i`th change's flow (0 <= i < count). */
  flow(i: number): Flow {
    return this.flows[i] as Flow;
  }

  kind(i: number): FlowChange {
    return this.kinds[i];
  }

  push(f: Flow, kind: FlowChange): void {
    if (!this.on) return;
    this.flows[this.n] = f;
    this.kinds[this.n++] = kind;
  }

  /** Forget the changes (the arrays keep their storage). */
  clear(): void {
    for (let i = 0; i < this.n; i++) this.flows[i] = null;
    this.n = 0;
  }
}
