// A VM: memory pages, optionally disk chunks and a dirtying workload, and a state machine that the
// world enforces. Impossible transitions (resume a running VM, suspend a destroyed one) are model
// errors naming the VM, its state and the operation, never silently ignored.
import type { Simulator } from '../engine/index.js';
import { ModelError, messages } from '../errors.js';
import type { CountedMemory } from './counted-memory.js';
import { PageStore } from './memory.js';
import type { Observer } from './observe.js';
import type { WritableWorkingSet } from './workload.js';

export type VmState = 'created' | 'running' | 'suspended' | 'in-transit' | 'destroyed';

const ALLOWED: Record<string, readonly VmState[]> = {
  start: ['created'],
  suspend: ['running'],
  depart: ['suspended'],
  resume: ['suspended', 'in-transit'],
  destroy: ['created', 'running', 'suspended', 'in-transit'],
};

export class Vm {
  state: VmState = 'created';
  site: string;
  /** Memory page by page (vm.model: pages), or null. */
  private readonly pages: PageStore | null;
  /** Memory as counts per segment (vm.model: counted), or null. */
  readonly counted: CountedMemory | null;

  constructor(
    readonly name: string,
    memory: PageStore | CountedMemory,
    readonly disk: PageStore | null,
    readonly workload: WritableWorkingSet | null,
    site: string,
    private readonly sim: Simulator,
    private readonly observe: Observer,
  ) {
    this.site = site;
    this.pages = memory instanceof PageStore ? memory : null;
    this.counted = memory instanceof PageStore ? null : memory;
  }

  /** The per-page memory; a model error on a counted VM, which keeps no page identities. */
  get memory(): PageStore {
    if (this.pages === null) throw new ModelError(messages.countedNoPages(this.name));
    return this.pages;
  }

  /** Pages of memory, whatever the memory model. */
  get pageCount(): number {
    return this.pages?.count ?? this.counted!.count;
  }

  /** Bytes of a memory page, whatever the memory model. */
  get pageBytes(): number {
    return this.pages?.unitBytes ?? this.counted!.unitBytes;
  }

  /** created -> running at its site. */
  start(): void {
    this.move('start', 'running', this.site);
    this.workload?.unpause(this.sim.now);
  }

  /** running -> suspended: the vCPUs stop, so the workload stops writing. */
  suspend(): void {
    this.workload?.pause(this.sim.now);
    this.move('suspend', 'suspended', this.site);
  }

  /** suspended -> in-transit (state is on its way to another site). */
  depart(): void {
    this.move('depart', 'in-transit', this.site);
  }

  /** suspended or in-transit -> running at `site`. */
  resume(site: string): void {
    this.move('resume', 'running', site);
    this.workload?.unpause(this.sim.now);
  }

  destroy(): void {
    this.workload?.pause(this.sim.now);
    this.move('destroy', 'destroyed', this.site);
  }

  private move(op: string, to: VmState, site: string): void {
    if (!ALLOWED[op].includes(this.state)) throw new ModelError(messages.badTransition(this.name, this.state, op));
    const from = this.state;
    this.state = to;
    this.site = site;
    if (this.observe.active) this.observe.emit({ type: 'vm-state', t: this.sim.now, vm: this.name, from, to, site });
  }
}
