// The ForkContext a VM-fork policy acts through, over the LAN of a fork run: each clone's presence
// map and its vCPU's waits, the transfers from the parent (unicast through its uplink and one
// downlink, or multicast through every downlink at once) and what they carried. The driver reads
// the counts kept here.
import type { Event, Yieldable } from '../../engine/index.js';
import { ModelError, messages } from '../../errors.js';
import { Transfer, type ForkWorkload, type Link, type Resource, type World } from '../../world/index.js';
import { withBase } from '../shared/context.js';
import type { ForkContext } from './contract.js';

export interface ForkSetup {
  kind: 'fork';
  /** Sites: the parent, the switch, the clone hosts; `access` names each host's link to the switch. */
  parent: string;
  switch: string;
  clones: string[];
  access: Record<string, string>;
  page_size: number;
  /** Payload of one page on the wire: the page and its header. */
  page_bytes: number;
  descriptor_bytes: number;
  save_s: number;
  clone_start_s: number;
  /** Compute time between two first touches (the workload's duration over its working set). */
  touch_interval_s: number;
  workload: ForkWorkload;
}

export interface CloneState {
  name: string;
  index: number;
  present: Uint8Array;
  waiting: Map<number, Event<unknown>>;
  down: Resource;
  descriptor: boolean;
  started: boolean;
  running_t: number;
  finished_t: number;
  faults: number;
  stall_s: number;
  avoided: number;
  /** First touches that found the page already there because it was pushed (fetched for another clone). */
  push_hits: number;
  received_bytes: number;
}

/** One fork run: the clones and what left the parent. */
export class ForkRun {
  readonly pages: number;
  readonly clones: CloneState[];
  private readonly byName: Map<string, CloneState>;
  sentBytes = 0;
  pageBytes = 0;
  transmissions = 0;
  descFirst = NaN;
  descLast = NaN;

  constructor(
    readonly world: World,
    readonly setup: ForkSetup,
    readonly policyName: string,
  ) {
    this.pages = setup.workload.overwritten.length;
    this.clones = setup.clones.map((name, index) => this.newClone(name, index));
    this.byName = new Map(this.clones.map((c) => [c.name, c]));
  }

  private newClone(name: string, index: number): CloneState {
    return {
      name,
      index,
      present: new Uint8Array(this.pages),
      waiting: new Map(),
      down: this.link(name).direction(this.setup.switch),
      descriptor: false,
      started: false,
      running_t: NaN,
      finished_t: NaN,
      faults: 0,
      stall_s: 0,
      avoided: 0,
      push_hits: 0,
      received_bytes: 0,
    };
  }

  link(host: string): Link {
    return this.world.link(this.setup.access[host]);
  }

  clone(name: string): CloneState {
    const c = this.byName.get(name);
    if (c === undefined) throw new ModelError(messages.notAClone(this.policyName, name, this.setup.clones));
    return c;
  }

  checkPage(page: number): void {
    if (!Number.isInteger(page) || page < 0 || page >= this.pages) throw new ModelError(messages.notAPage(this.policyName, page, this.pages));
  }

  install(c: CloneState, page: number): void {
    if (c.present[page] === 1) return;
    c.present[page] = 1;
    const w = c.waiting.get(page);
    if (w !== undefined) {
      c.waiting.delete(page);
      w.succeed(undefined);
    }
  }

  /** A transfer from the parent through its uplink and the receivers' downlinks. */
  send(to: readonly CloneState[], bytes: number, tag: string): Transfer {
    const { world, setup } = this;
    const via = to.map((c) => c.down);
    const t = new Transfer(world.sim, world.network, world.observe, this.link(setup.parent), setup.parent, to.length === 1 ? to[0].name : 'clones', bytes, { tag, via });
    this.sentBytes += t.wireBytes;
    for (const c of to) c.received_bytes += t.wireBytes;
    return t;
  }

  sendPageTo(page: number, to: readonly CloneState[], keep: (c: CloneState) => boolean): Transfer {
    this.checkPage(page);
    const t = this.send(to, this.setup.page_bytes, 'page');
    this.pageBytes += t.wireBytes;
    this.transmissions++;
    t.done.then(() => {
      for (const c of to) if (keep(c)) this.install(c, page);
    });
    return t;
  }
}

export function forkContext(r: ForkRun): ForkContext {
  const { world, setup } = r;
  return withBase<ForkContext>(world, {
    clones: setup.clones,
    descriptor_bytes: setup.descriptor_bytes,
    ...descriptorVerbs(r),
    runWorkload(name, onFault) {
      const c = r.clone(name);
      if (Number.isNaN(c.running_t)) throw new ModelError(messages.workloadTooEarly(r.policyName, name));
      return world.sim.process(workload(r, c, onFault));
    },
    has: (name, page) => r.clone(name).present[page] === 1,
    allocate(name, page) {
      r.checkPage(page);
      const c = r.clone(name);
      if (c.present[page] === 0) c.avoided++;
      r.install(c, page);
    },
    whenPresent(name, page) {
      r.checkPage(page);
      const c = r.clone(name);
      if (c.present[page] === 1) return world.sim.timeout(0);
      let w = c.waiting.get(page);
      if (w === undefined) c.waiting.set(page, (w = world.sim.event()));
      return w;
    },
    request(name) {
      // A bodiless request: one latency, no flow (as the world's fetch).
      return world.sim.timeout(r.link(r.clone(name).name).sampleLatency());
    },
    sendPage: (page, to) => r.sendPageTo(page, [r.clone(to)], () => true),
    multicastPage: (page, keep) => r.sendPageTo(page, r.clones, keep === null ? () => true : (c) => keep.has(c.name)),
  });
}

type DescriptorVerbs = Pick<ForkContext, 'saveDescriptor' | 'sendDescriptor' | 'startClone'>;

/** The descriptor: built at the parent, sent, and each clone started from it. */
function descriptorVerbs(r: ForkRun): DescriptorVerbs {
  const { world, setup } = r;
  return {
    saveDescriptor: () => world.sim.timeout(setup.save_s),
    sendDescriptor(to?: string): Transfer {
      const targets = to === undefined ? r.clones : [r.clone(to)];
      if (Number.isNaN(r.descFirst)) r.descFirst = world.now;
      const t = r.send(targets, setup.descriptor_bytes, 'descriptor');
      t.done.then(() => {
        for (const c of targets) c.descriptor = true;
        r.descLast = Number.isNaN(r.descLast) ? world.now : Math.max(r.descLast, world.now);
      });
      return t;
    },
    startClone(name: string) {
      const c = r.clone(name);
      if (!c.descriptor) throw new ModelError(messages.cloneTooEarly(r.policyName, name));
      if (c.started) throw new ModelError(messages.cloneTwice(r.policyName, name));
      c.started = true;
      return world.sim.timeout(setup.clone_start_s).map(() => {
        c.running_t = world.now;
        if (world.observe.active) world.observe.emit({ type: 'mark', t: world.now, name: `running:${name}` });
      });
    },
  };
}

/** A clone's workload: first touches in its order, a fault on each page it lacks. */
function* workload(r: ForkRun, c: CloneState, onFault: (page: number, overwrite: boolean) => Event<unknown> | null): Generator<Yieldable, void, any> {
  const { world, setup, policyName } = r;
  const order = setup.workload.order[c.index];
  const over = setup.workload.overwritten;
  const dt = setup.touch_interval_s;
  for (let k = 0; k < order.length; k++) {
    yield world.sim.timeout(dt);
    const page = order[k];
    if (c.present[page] === 1) {
      c.push_hits++;
      continue;
    }
    const e = onFault(page, over[page] === 1);
    if (e === null) {
      if (c.present[page] !== 1) throw new ModelError(messages.pageLeftAbsent(policyName, page, c.name));
      continue;
    }
    c.faults++;
    const t = world.now;
    yield e;
    if (c.present[page] !== 1) throw new ModelError(messages.resumedBeforePage(policyName, c.name, page));
    c.stall_s += world.now - t;
  }
  c.finished_t = world.now;
}
