// Runs a VM-fork policy (Lagar-Cavilla et al., "SnowFlock: Rapid Virtual Machine Cloning for Cloud
// Computing", EuroSys 2009). A parent and `clones` hosts share one switched LAN: each host has its
// own full-duplex access link to the switch, so a unicast from the parent crosses the parent's
// uplink (shared by every unicast: the bottleneck) and the receiver's downlink, while a multicast is
// one flow through the parent's uplink and every clone's downlink at once (the switch replicates it)
// that arrives everywhere when it is done. Each clone's presence map is its memory; every first
// touch of a page it lacks stalls its vCPU on the policy's fault handler. The driver measures: when
// each clone ran, how long faults stalled it, and every byte that left the parent.
import { allOf, type Event, type Yieldable } from '../engine/index.js';
import { ModelError } from '../errors.js';
import { runPlan } from './plan.js';
import type { ForkContext, TransferPolicy } from '../policy.js';
import type { Recorder } from '../results/recorder.js';
import { Transfer, type ForkWorkload, type Link, type Resource, type World } from '../world/index.js';
import type { Rows } from '../results/record.js';

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


export interface ForkResult {
  metrics: Record<string, number>;
  /** clones: one row per clone (when it ran and finished, its faults, stalls and received bytes). */
  tables: { clones: Rows };
}

interface CloneState {
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

export function runFork(world: World, setup: ForkSetup, policy: TransferPolicy<'fork'>, options: unknown, rec: Recorder): ForkResult {
  const pages = setup.workload.overwritten.length;
  const link = (host: string): Link => world.link(setup.access[host]);
  const up = link(setup.parent).direction(setup.parent);
  const clones = setup.clones.map(
    (name, index): CloneState => ({
      name,
      index,
      present: new Uint8Array(pages),
      waiting: new Map(),
      down: link(name).direction(setup.switch),
      descriptor: false,
      started: false,
      running_t: NaN,
      finished_t: NaN,
      faults: 0,
      stall_s: 0,
      avoided: 0,
      push_hits: 0,
      received_bytes: 0,
    }),
  );
  const byName = new Map(clones.map((c) => [c.name, c]));
  const clone = (name: string): CloneState => {
    const c = byName.get(name);
    if (c === undefined) throw new ModelError(`policy "${policy.name}" named "${name}", not a clone (clones: ${setup.clones.join(', ')})`);
    return c;
  };
  const checkPage = (page: number): void => {
    if (!Number.isInteger(page) || page < 0 || page >= pages) throw new ModelError(`policy "${policy.name}" named page ${page}; memory has ${pages}`);
  };
  const install = (c: CloneState, page: number): void => {
    if (c.present[page] === 1) return;
    c.present[page] = 1;
    const w = c.waiting.get(page);
    if (w !== undefined) {
      c.waiting.delete(page);
      w.succeed(undefined);
    }
  };

  let sentBytes = 0;
  let pageBytes = 0;
  let transmissions = 0;
  let descFirst = NaN;
  let descLast = NaN;
  /** A transfer from the parent through its uplink and the receivers' downlinks. */
  const send = (to: readonly CloneState[], bytes: number, tag: string): Transfer => {
    const via = to.map((c) => c.down);
    const t = new Transfer(world.sim, world.network, world.observe, link(setup.parent), setup.parent, to.length === 1 ? to[0].name : 'clones', bytes, { tag, via });
    sentBytes += t.wireBytes;
    for (const c of to) c.received_bytes += t.wireBytes;
    return t;
  };
  const sendPageTo = (page: number, to: readonly CloneState[], keep: (c: CloneState) => boolean): Transfer => {
    checkPage(page);
    const t = send(to, setup.page_bytes, 'page');
    pageBytes += t.wireBytes;
    transmissions++;
    t.done.then(() => {
      for (const c of to) if (keep(c)) install(c, page);
    });
    return t;
  };

  const ctx: ForkContext = {
    world,
    clones: setup.clones,
    descriptor_bytes: setup.descriptor_bytes,
    get now() {
      return world.now;
    },
    saveDescriptor: () => world.sim.timeout(setup.save_s),
    sendDescriptor(to?: string): Transfer {
      const targets = to === undefined ? clones : [clone(to)];
      if (Number.isNaN(descFirst)) descFirst = world.now;
      const t = send(targets, setup.descriptor_bytes, 'descriptor');
      t.done.then(() => {
        for (const c of targets) c.descriptor = true;
        descLast = Number.isNaN(descLast) ? world.now : Math.max(descLast, world.now);
      });
      return t;
    },
    startClone(name: string) {
      const c = clone(name);
      if (!c.descriptor) throw new ModelError(`policy "${policy.name}" started clone "${name}" before its descriptor arrived`);
      if (c.started) throw new ModelError(`policy "${policy.name}" started clone "${name}" twice`);
      c.started = true;
      return world.sim.timeout(setup.clone_start_s).map(() => {
        c.running_t = world.now;
        if (world.observe.active) world.observe.emit({ type: 'mark', t: world.now, name: `running:${name}` });
      });
    },
    runWorkload(name, onFault) {
      const c = clone(name);
      if (Number.isNaN(c.running_t)) throw new ModelError(`policy "${policy.name}" ran the workload of clone "${name}" before it was running`);
      const order = setup.workload.order[c.index];
      const over = setup.workload.overwritten;
      const dt = setup.touch_interval_s;
      return world.sim.process(
        (function* () {
          for (let k = 0; k < order.length; k++) {
            yield world.sim.timeout(dt);
            const page = order[k];
            if (c.present[page] === 1) {
              c.push_hits++;
              continue;
            }
            const e = onFault(page, over[page] === 1);
            if (e === null) {
              if (c.present[page] !== 1) throw new ModelError(`policy "${policy.name}" left page ${page} of clone "${name}" absent without a fault to wait on`);
              continue;
            }
            c.faults++;
            const t = world.now;
            yield e;
            if (c.present[page] !== 1) throw new ModelError(`policy "${policy.name}" resumed clone "${name}" before page ${page} was present`);
            c.stall_s += world.now - t;
          }
          c.finished_t = world.now;
        })(),
      );
    },
    has: (name, page) => clone(name).present[page] === 1,
    allocate(name, page) {
      checkPage(page);
      const c = clone(name);
      if (c.present[page] === 0) c.avoided++;
      install(c, page);
    },
    whenPresent(name, page) {
      checkPage(page);
      const c = clone(name);
      if (c.present[page] === 1) return world.sim.timeout(0);
      let w = c.waiting.get(page);
      if (w === undefined) c.waiting.set(page, (w = world.sim.event()));
      return w;
    },
    request(name) {
      // A bodiless request: one latency, no flow (as the world's fetch).
      return world.sim.timeout(link(clone(name).name).sampleLatency());
    },
    sendPage(page, to) {
      return sendPageTo(page, [clone(to)], () => true);
    },
    multicastPage(page, keep) {
      return sendPageTo(page, clones, keep === null ? () => true : (c) => keep.has(c.name));
    },
    mark(name, value) {
      if (world.observe.active) world.observe.emit({ type: 'mark', t: world.now, name, value });
    },
    timeout: (s: number) => world.sim.timeout(s),
    allOf: (events: readonly Event<unknown>[]) => allOf(world.sim, events),
    spawn: <R>(body: Generator<Yieldable, R, any>) => world.sim.process(body),
    random: (name: string) => world.random.stream(`policy:${name}`),
  };

  const t0 = world.now;
  runPlan(world, policy.name, policy.plan(ctx, options));
  for (const c of clones) {
    if (Number.isNaN(c.finished_t)) throw new ModelError(`policy "${policy.name}" finished before clone "${c.name}" ran its workload to the end`);
  }

  const n = clones.length;
  const mean = (f: (c: CloneState) => number): number => clones.reduce((s, c) => s + f(c), 0) / n;
  const descriptorWire = sentBytes - pageBytes;
  const rows: Rows = clones.map((c) => ({
    clone: c.name,
    running_s: c.running_t - t0,
    finished_s: c.finished_t - t0,
    run_s: c.finished_t - c.running_t,
    faults: c.faults,
    stall_s: c.stall_s,
    avoided: c.avoided,
    push_hits: c.push_hits,
    received_bytes: c.received_bytes,
  }));
  return {
    metrics: {
      descriptor_bytes: setup.descriptor_bytes,
      descriptor_s: descLast - descFirst,
      clone_time_s: Math.max(...clones.map((c) => c.running_t)) - t0,
      completion_s: Math.max(...clones.map((c) => c.finished_t)) - t0,
      run_s: mean((c) => c.finished_t - c.running_t),
      bytes_sent_total: sentBytes,
      descriptor_wire_bytes: descriptorWire,
      page_wire_bytes: pageBytes,
      bytes_per_clone: sentBytes / n,
      received_bytes_per_clone: mean((c) => c.received_bytes),
      page_transmissions: transmissions,
      page_faults: mean((c) => c.faults),
      fault_stall_s: mean((c) => c.stall_s),
      max_fault_stall_s: Math.max(...clones.map((c) => c.stall_s)),
      pages_avoided: mean((c) => c.avoided),
      push_hits: mean((c) => c.push_hits),
      wire_bytes: rec.wireBytes,
    },
    tables: { clones: rows },
  };
}
