// The MigrationContext on the per-page memory model (vm.model: pages; context.ts picks it). Every verb turns into world activity:
// pages become transfers whose wire bytes the world computes from page content (page-wire.ts), and
// every send, dirty sync and throttle change is a world event, so the recorder measures what
// happened and no policy reports its own numbers. The context keeps its own record of which pages
// still need sending (all at first; cleared when a page is sent, set again when a sync finds it
// dirty), so a sync reports how many pages it newly adds to the set: QEMU's dirty-pages-rate counts
// those (ram.c num_dirty_pages_period), not pages that were dirty and still unsent anyway.
import type { PageFormat, SendHow, StreamHow } from '../../policy.js';
import {
  FaultStream, Pipeline, XbzrleCache, emptyCounts, pageWireBytes, PAGE_HEADER_BYTES,
  type Batch, type PageStore, type Transfer, type UnitList, type Vm, type WireCounts, type WireFormat, type World,
} from '../../world/index.js';
import { ModelError, messages } from '../../errors.js';
import { withBase } from '../shared/context.js';
import type { MigrationContext } from './contract.js';

export interface MigrationSetup {
  kind: 'migration';
  vm: string;
  from: string;
  to: string;
  /** Least spacing of the remaining-bytes samples, seconds. */
  sample_interval_s?: number;
  /** Guest time one page write costs while the dirty log is on, seconds (default 0). */
  dirty_tracking_cost_s?: number;
}

export function wireFormat(how: PageFormat): WireFormat {
  return {
    header_bytes: how.header_bytes ?? PAGE_HEADER_BYTES,
    zero_pages: how.zero_pages ?? true,
    xbzrle: how.xbzrle,
    generation: how.generation,
    cache_insert: how.cache_insert,
  };
}

/** A growable list of unit indices (no per-page objects). */
class UnitBuffer {
  data = new Uint32Array(1024);
  length = 0;
  push(u: number): void {
    if (this.length === this.data.length) {
      const grown = new Uint32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = u;
  }
}

/** Pages of each context's to-send set (QEMU's migration_dirty_pages), for the driver's remaining bytes. */
const toSend = new WeakMap<MigrationContext, () => number>();

/** Pages still to send as QEMU counts them: never sent, or found dirty by a sync since last sent. */
export function pagesToSend(ctx: MigrationContext): number {
  return toSend.get(ctx)?.() ?? 0;
}

/**
 * What the migration did to the guest that only the context sees: whether it logged dirty pages while
 * the VM ran at the source (and the page writes made while it did), and whether the VM ran at the
 * destination with pages missing (a post-copy phase, whose faults the fault stream measures).
 */
export interface GuestSide {
  /** Dirty logging was on at some point while the VM ran at the source. */
  tracked: boolean;
  /** Page writes the guest made while dirty logging was on (up to now). */
  trackedWrites: number;
  /** The VM ran at the destination before all its memory was there. */
  postcopy: boolean;
}

const guestSides = new WeakMap<MigrationContext, () => GuestSide>();

/** Tell the driver how to read a context's to-send count and guest side (both memory models). */
export function register(ctx: MigrationContext, pages: () => number, side: () => GuestSide): void {
  toSend.set(ctx, pages);
  guestSides.set(ctx, side);
}

export function guestSide(ctx: MigrationContext): GuestSide {
  return guestSides.get(ctx)?.() ?? { tracked: false, trackedWrites: 0, postcopy: false };
}

/**
 * Dirty logging (QEMU's memory_global_dirty_log_start, Xen's log-dirty mode): on from the first
 * sync the VM runs through at the source, off when it stops there. Counts the writes made meanwhile.
 */
export class DirtyLog {
  tracked = false;
  private since = NaN;
  private done = 0;
  constructor(private readonly vm: Vm) {}
  private get writes(): number {
    return this.vm.workload?.writes ?? 0;
  }
  /** A sync (after the workload was brought up to now): logging is on from here if the VM runs. */
  synced(from: string): void {
    if (!Number.isNaN(this.since) || this.vm.state !== 'running' || this.vm.site !== from) return;
    this.tracked = true;
    this.since = this.writes;
  }
  /** The VM stopped at the source (its writes brought up to now): logging ends. */
  stopped(): void {
    if (Number.isNaN(this.since)) return;
    this.done += this.writes - this.since;
    this.since = NaN;
  }
  get trackedWrites(): number {
    return this.done + (Number.isNaN(this.since) ? 0 : this.writes - this.since);
  }
}

export interface ContextHooks {
  /** Called after the pages of an arrived transfer are marked present. */
  landed?: () => void;
  /** Called with every transfer the context starts (a cluster counts each migration's bytes). */
  sent?: (t: Transfer) => void;
}

/** The to-send set: every page at first; cleared when sent, set again when a sync finds it dirty. */
class Unsent {
  readonly flags: Uint8Array;
  count: number;
  constructor(pages: number) {
    this.flags = new Uint8Array(pages).fill(1);
    this.count = pages;
  }
  sent(units: UnitList): void {
    for (let k = 0; k < units.length; k++) {
      this.count -= this.flags[units[k]];
      this.flags[units[k]] = 0;
    }
  }
  /** Mark the dirty pages unsent again; how many were not in the set already. */
  dirtied(d: UnitList): number {
    let fresh = 0;
    for (let k = 0; k < d.length; k++) {
      if (this.flags[d[k]] === 0) {
        this.flags[d[k]] = 1;
        fresh++;
      }
    }
    this.count += fresh;
    return fresh;
  }
}

/** What the verbs of one context share: the world, the VM, the two sites, the to-send set. */
interface Run {
  world: World;
  vm: Vm;
  mem: PageStore;
  from: string;
  to: string;
  unsent: Unsent;
  hooks: ContextHooks;
  log: DirtyLog;
  /** The fault stream was opened: the VM runs at the destination with pages missing. */
  postcopy: boolean;
  /** Bring the workload's writes up to now. */
  advance(): void;
}

export function migrationContext(world: World, setup: MigrationSetup, hooks: ContextHooks = {}): MigrationContext {
  const vm = world.vm(setup.vm);
  const { from, to } = setup;
  const mem = vm.memory;
  // The copy being built at the destination goes stale when the VM writes a page it already holds.
  mem.invalidateOnWrite(to);
  const run: Run = {
    world, vm, mem, from, to, unsent: new Unsent(mem.count), hooks, log: new DirtyLog(vm), postcopy: false, advance: () => vm.workload?.advanceTo(world.now),
  };
  const countedPending = (): never => {
    throw new ModelError(messages.countedVerb('countedPending (the counted model only)'));
  };
  const countedFaults = (): never => {
    throw new ModelError(messages.countedVerb('countedFaults (the counted model only)'));
  };
  const serveFault = (): never => {
    throw new ModelError(messages.countedVerb('serveFault (the counted model only)'));
  };
  const ctx = withBase<MigrationContext>(world, { vm, from, to, model: 'pages', countedPending, countedFaults, serveFault, ...sendVerbs(run), ...dirtyVerbs(run), ...vmVerbs(run), ...guestVerbs(world, vm, from, to, run.log, hooks, () => mem.invalidateOnWrite(null)) });
  register(ctx, () => run.unsent.count, () => ({ tracked: run.log.tracked, trackedWrites: run.log.trackedWrites, postcopy: run.postcopy }));
  return ctx;
}

/** Send pages already chosen and counted: one transfer, a 'pages' event, presence on arrival. */
function ship(r: Run, units: UnitList, bytes: number, counts: WireCounts, how: SendHow): Transfer {
  r.unsent.sent(units);
  const t = r.world.send(r.from, r.to, bytes, { tag: how.tag ?? 'memory', cap_bps: how.cap_bps, priority: how.priority });
  r.hooks.sent?.(t);
  if (r.world.observe.active) {
    r.world.observe.emit({ type: 'pages', t: r.world.now, vm: r.vm.name, transfer: t.id, ...counts, bytes });
  }
  onArrival(t, r.mem, units, r.from, r.vm, r.hooks);
  return t;
}

type SendVerbs = Pick<MigrationContext, 'sendPages' | 'streamPages' | 'sendBatch'>;

function sendVerbs(r: Run): SendVerbs {
  const { world, mem, from, to } = r;
  return {
    sendPages(units: UnitList, how: SendHow & PageFormat & { message_bytes?: number } = {}) {
      r.advance();
      const f = wireFormat(how);
      const counts = emptyCounts();
      let bytes = how.batch_header_bytes ?? 0;
      for (let k = 0; k < units.length; k++) bytes += pageWireBytes(mem, units[k], f, mem.writeDelta, counts);
      return ship(r, units, how.message_bytes ?? bytes, counts, how);
    },
    streamPages(next: () => number, how: StreamHow = {}) {
      r.advance();
      const f = wireFormat(how);
      const counts = emptyCounts();
      const budget = how.budget_bytes ?? Infinity;
      const maxPages = how.max_pages ?? Infinity;
      const buf = new UnitBuffer();
      let bytes = how.batch_header_bytes ?? 0;
      while (buf.length < maxPages && bytes < budget) {
        const p = next();
        if (p < 0) break;
        bytes += pageWireBytes(mem, p, f, mem.writeDelta, counts);
        buf.push(p);
      }
      if (buf.length === 0) return null;
      const units = buf.data.subarray(0, buf.length);
      return { transfer: ship(r, units, bytes, counts, how), pages: buf.length, bytes };
    },
    sendBatch(batch: Batch, how: SendHow = {}) {
      // Blocks, not stream pages: zero/normal counts belong to QEMU's stream (the pipeline event has the kinds).
      const counts = { ...emptyCounts(), pages: batch.units.length, bytes: batch.output_bytes };
      if (batch.store === mem) r.unsent.sent(batch.units);
      const t = world.send(from, to, batch.output_bytes, { tag: how.tag ?? batch.store.name, cap_bps: how.cap_bps, priority: how.priority });
      r.hooks.sent?.(t);
      if (world.observe.active) world.observe.emit({ type: 'pages', t: world.now, vm: r.vm.name, transfer: t.id, ...counts });
      onArrival(t, batch.store, batch.units, from, r.vm, r.hooks);
      return t;
    },
  };
}

type DirtyVerbs = Pick<MigrationContext, 'takeDirty' | 'peekDirty'>;

function dirtyVerbs(r: Run): DirtyVerbs {
  const { world, vm, mem } = r;
  return {
    takeDirty() {
      r.advance();
      r.log.synced(r.from);
      const d = mem.takeDirty();
      const fresh = r.unsent.dirtied(d);
      if (world.observe.active) world.observe.emit({ type: 'dirty-sync', t: world.now, vm: vm.name, pages: d.length, new_pages: fresh });
      return d;
    },
    peekDirty() {
      r.advance();
      r.log.synced(r.from);
      return mem.dirty;
    },
  };
}

type VmVerbs = Pick<MigrationContext, 'xbzrleCache' | 'faults' | 'pipeline'>;

function vmVerbs(r: Run): VmVerbs {
  const { world, vm, mem, from, to } = r;
  let faults: FaultStream | null = null;
  return {
    xbzrleCache: (bytes: number) => new XbzrleCache(bytes, mem.unitBytes),
    faults() {
      r.postcopy = true;
      faults ??= new FaultStream(world.sim, world.observe, vm, to, world.random.stream(`vm:${vm.name}:accesses`));
      return faults;
    },
    pipeline(spec, modes) {
      const host = world.host(from).spec;
      return new Pipeline(world.sim, world.observe, { ...spec, vm: vm.name, cores: spec.cores ?? host.cores, hash_Bps: host.hash_Bps }, modes);
    },
  };
}

type GuestVerbs = Pick<MigrationContext, 'sendBytes' | 'setThrottle' | 'suspend' | 'resume'>;

/**
 * What a migration does to the guest and its opaque state, on either memory model: `detach` runs
 * when the VM resumes at the destination (its memory stops making a copy stale that we track).
 */
export function guestVerbs(world: World, vm: Vm, from: string, to: string, log: DirtyLog, hooks: ContextHooks, detach: () => void): GuestVerbs {
  return {
    sendBytes(bytes: number, how: SendHow & { back?: boolean } = {}) {
      const [a, b] = how.back ? [to, from] : [from, to];
      const t = world.send(a, b, bytes, { tag: how.tag ?? 'state', cap_bps: how.cap_bps, priority: how.priority });
      hooks.sent?.(t);
      return t;
    },
    setThrottle(fraction: number) {
      // 0% on an unthrottled guest (auto-converge switched on) changes nothing: leave the lazy writes be.
      if (fraction !== 0 || vm.workload?.cpuThrottle !== 0) vm.workload?.setThrottle(fraction, world.now);
      if (world.observe.active) world.observe.emit({ type: 'throttle', t: world.now, vm: vm.name, fraction });
    },
    suspend() {
      vm.suspend();
      log.stopped();
      // Stopped vCPUs lose nothing to a throttle: its integral ends here (QEMU stops it with the source).
      if ((vm.workload?.cpuThrottle ?? 0) > 0 && world.observe.active) world.observe.emit({ type: 'throttle', t: world.now, vm: vm.name, fraction: 0 });
    },
    resume() {
      vm.resume(to);
      // The destination's copy is the VM's memory now, and the source stops throttling (QEMU ends
      // auto-converge when the source stops).
      detach();
      vm.workload?.setThrottle(0, world.now);
    },
  };
}

/**
 * On arrival the units are present at the destination, unless the VM, still running at the source,
 * wrote one after it was sent (then that copy is stale and the page must go again).
 */
function onArrival(t: Transfer, store: PageStore, units: UnitList, from: string, vm: Vm, hooks: ContextHooks): void {
  const sent = new Uint32Array(units.length);
  for (let k = 0; k < units.length; k++) sent[k] = store.content[units[k]];
  const list = units.slice();
  // Writes not yet applied (the workload is lazy) make the copy stale when they are applied.
  t.done.then(() => {
    const atSource = vm.site === from;
    for (let k = 0; k < list.length; k++) {
      if (!atSource || store.content[list[k]] === sent[k]) store.setPresent(t.to, list[k]);
    }
    hooks.landed?.();
  });
}
