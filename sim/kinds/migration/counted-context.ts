// The MigrationContext on the counted memory model (vm.model: counted; sim/world/counted-memory.ts):
// the same clock, waits, transfers, dirty logging, throttle and VM verbs as the per-page context
// (context.ts), but memory moves as counts. The to-send set is the memory's pending count, handed out
// by countedPending(): a sync moves dirty pages into it, a stream takes pending pages from the scan
// cursor on in address order by segment until its byte budget, and its transfer's pages become
// present at the destination when it lands (those the VM did not write meanwhile). Post-copy's
// faults come from countedFaults() (sim/world/counted-faults.ts) and serveFault sends a faulted page
// still pending. Verbs that take or give page identities (unit lists, bitmaps, XBZRLE, faults(), the
// handoff pipeline) are model errors: policies that need them refuse vm.model: counted before any run.
import type { SendHow, StreamHow } from '../../policy.js';
import { ModelError, messages } from '../../errors.js';
import { CountedFaultStream, PENDING, type CountedMemory, type CountedSend, type Transfer, type Vm, type World } from '../../world/index.js';
import { withBase } from '../shared/context.js';
import type { MigrationContext, PendingPages } from './contract.js';
import { DirtyLog, guestVerbs, register, wireFormat, type ContextHooks, type MigrationSetup } from './page-context.js';

const refuse = (verb: string) => (): never => {
  throw new ModelError(messages.countedVerb(verb));
};

/** What the verbs of one counted context share. */
interface CountedRun {
  world: World;
  vm: Vm;
  mem: CountedMemory;
  from: string;
  to: string;
  log: DirtyLog;
  /** Sends on their way (not landed). */
  inFlight: Set<CountedSend>;
  /** The fault stream, once post-copy opened it. */
  faults: CountedFaultStream | null;
  hooks: ContextHooks;
}

/** One transfer for a counted send: a 'pages' event, and its pages present when it lands. */
function ship(r: CountedRun, send: CountedSend, how: SendHow): Transfer {
  const { world, vm, mem } = r;
  const t = world.send(r.from, r.to, send.bytes, { tag: how.tag ?? 'memory', cap_bps: how.cap_bps, priority: how.priority });
  r.hooks.sent?.(t);
  if (world.observe.active) {
    world.observe.emit({ type: 'pages', t: world.now, vm: vm.name, transfer: t.id, pages: send.pages, zero: send.zero, normal: send.normal, xbzrle: 0, xbzrle_bytes: 0, cache_miss: 0, overflow: 0, bytes: send.bytes });
  }
  r.inFlight.add(send);
  t.done.then(() => {
    mem.landed(send);
    r.inFlight.delete(send);
    r.faults?.landed(send);
    r.hooks.landed?.();
  });
  return t;
}

/** The to-send set as the memory's pending count (countedPending()). */
function pendingPages(r: CountedRun): PendingPages {
  const { world, vm, mem } = r;
  const advance = (): void => vm.workload?.advanceTo(world.now);
  return {
    get count() {
      return mem.pending;
    },
    get wraps() {
      return mem.wraps;
    },
    setAll: () => mem.setAll(PENDING, true),
    sync() {
      advance();
      r.log.synced(r.from);
      const [dirty, fresh] = mem.sync();
      if (world.observe.active) world.observe.emit({ type: 'dirty-sync', t: world.now, vm: vm.name, pages: dirty, new_pages: fresh });
      return fresh;
    },
    stream(_ctx: MigrationContext, how: StreamHow) {
      advance();
      if (how.xbzrle !== undefined) throw new ModelError(messages.countedVerb('XBZRLE'));
      const send = mem.takePending(how.budget_bytes ?? Infinity, how.max_pages ?? Infinity, wireFormat(how), how.batch_header_bytes ?? 0);
      if (send === null) return null;
      return { transfer: ship(r, send, how), pages: send.pages, bytes: send.bytes };
    },
  };
}

type FaultVerbs = Pick<MigrationContext, 'countedFaults' | 'serveFault'>;

function faultVerbs(r: CountedRun): FaultVerbs {
  const { world, vm, mem } = r;
  return {
    countedFaults() {
      // Checked before the run for a migration (checkCountedPostcopy); this guards other callers.
      if (mem.segments.some((s) => s.seq)) throw new ModelError(messages.countedSequentialFaults());
      r.faults ??= new CountedFaultStream(world.sim, world.observe, vm, mem, world.random.stream(`vm:${vm.name}:accesses`), () => r.inFlight);
      return r.faults;
    },
    serveFault(fault, how = {}) {
      if (fault.held < 0) return null;
      const send = mem.sendHeld(fault.segment, fault.held, wireFormat({}));
      r.faults?.waitFor(send);
      if (how.follow) mem.cursorTo(fault.segment);
      return { transfer: ship(r, send, how), pages: 1, bytes: send.bytes };
    },
  };
}

export function countedMigrationContext(world: World, setup: MigrationSetup, hooks: ContextHooks = {}): MigrationContext {
  const vm = world.vm(setup.vm);
  const { from, to } = setup;
  const mem: CountedMemory = vm.counted!;
  mem.staleOnWrite = true;
  mem.setAll(PENDING, true);
  const r: CountedRun = { world, vm, mem, from, to, log: new DirtyLog(vm), inFlight: new Set(), faults: null, hooks };
  const pending = pendingPages(r);
  const ctx = withBase<MigrationContext>(world, {
    vm,
    from,
    to,
    model: 'counted',
    countedPending: () => pending,
    ...faultVerbs(r),
    sendPages: refuse('sendPages'),
    streamPages: refuse('streamPages'),
    takeDirty: refuse('takeDirty'),
    peekDirty: refuse('peekDirty'),
    xbzrleCache: refuse('xbzrleCache'),
    faults: refuse('faults'),
    pipeline: refuse('pipeline'),
    sendBatch: refuse('sendBatch'),
    ...guestVerbs(world, vm, from, to, r.log, hooks, () => {
      mem.staleOnWrite = false;
    }),
  });
  register(ctx, () => mem.pending, () => ({ tracked: r.log.tracked, trackedWrites: r.log.trackedWrites, postcopy: r.faults !== null }));
  return ctx;
}
