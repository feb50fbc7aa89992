// What a live-migration policy sees and does: the contract its plan is written against.
// Imports only the engine, the world and the policy contract, so policies may import it.
import type { Batch, CompressionMode, CountedFault, FaultStream, Pipeline, PipelineSpec, Transfer, UnitList, Vm, XbzrleCache } from '../../world/index.js';
import type { Event } from '../../engine/index.js';
import type { PageFormat, PageSend, SendHow, StreamHow } from '../../policy.js';
import type { BaseContext } from '../shared/context.js';

/**
 * A to-send set (QEMU's migration bitmap): page by page (policies/shared/rounds.ts PageBitmap) on the
 * per-page memory model, as counts per segment on the counted one (ctx.countedPending()).
 */
export interface PendingPages {
  /** Pages in the set. */
  readonly count: number;
  /** Completed sweeps of the scan past the last page. */
  readonly wraps: number;
  /** Put every page in the set. */
  setAll(): void;
  /** A dirty-bitmap sync into the set (ctx.takeDirty on the per-page model); how many pages it added. */
  sync(ctx: MigrationContext): number;
  /** Send pages of the set from the scan cursor on, in address order, until the budget (ctx.streamPages). */
  stream(ctx: MigrationContext, how: StreamHow): PageSend | null;
}

/** What a live-migration policy can see and do. */
export interface MigrationContext extends BaseContext {
  readonly vm: Vm;
  /**
   * The VM's memory model (vm.model): 'pages' (every verb), or 'counted' (no page identities: the
   * verbs taking or giving unit lists fail; a policy uses countedPending() instead and says so by
   * `counted: true`).
   */
  readonly model: 'pages' | 'counted';
  /** On the counted model: the to-send set, every page in it at first (the context keeps one). */
  countedPending(): PendingPages;
  /** On the counted model, after resume: accesses to pages not there yet (faults() on the per-page model). */
  countedFaults(): { readonly complete: Event<undefined>; next(): Event<CountedFault> };
  /**
   * On the counted model: a fault's request arrived; send its page if it was still pending (null if
   * it was on its way already), and with `follow` let the background scan go on from there.
   */
  serveFault(fault: CountedFault, how?: SendHow & { follow?: boolean }): PageSend | null;
  /** Site the VM runs at now, and the site it is moving to. */
  readonly from: string;
  readonly to: string;
  /**
   * Send these memory pages to the destination; wire bytes follow their content now, unless
   * `message_bytes` sets the payload (a rule that sizes its own messages: SimGrid counts dirtying in
   * bytes). Either way the pages are present at the destination when the send arrives.
   */
  sendPages(units: UnitList, how?: SendHow & PageFormat & { message_bytes?: number }): Transfer;
  /**
   * Send pages pulled one by one from `next` (a page index, or -1 when there is none) until a
   * budget is reached: QEMU's find-dirty-page-and-save loop. Null when `next` gave nothing.
   */
  streamPages(next: () => number, how?: StreamHow): PageSend | null;
  /** Send opaque state (CPU registers, device state, a request) of the given size; `back` sends to the source. */
  sendBytes(bytes: number, how?: SendHow & { back?: boolean }): Transfer;
  /** Pages written since the last call (bringing the workload up to now), and clear the set: a dirty-bitmap sync. */
  takeDirty(): UnitList;
  /** The dirty bits since the last takeDirty (read only), the workload brought up to now: Xen's PEEK. */
  peekDirty(): Uint8Array;
  /** Slow the vCPUs: dirtying runs at (1 - fraction) of its speed (auto-converge). */
  setThrottle(fraction: number): void;
  /** An XBZRLE page cache of the given size for this VM's pages. */
  xbzrleCache(bytes: number): XbzrleCache;
  /** Accesses of the VM at the destination to pages not there yet (after resume). */
  faults(): FaultStream;
  /** The handoff pipeline on the source host's cores. */
  pipeline(spec: Omit<PipelineSpec, 'vm' | 'cores' | 'hash_Bps'> & { cores?: number }, modes: readonly CompressionMode[]): Pipeline;
  /** Send a pipeline batch; its blocks are present at the destination when it arrives. */
  sendBatch(batch: Batch, how?: SendHow): Transfer;
  /** Stop the vCPUs at the source. */
  suspend(): void;
  /** Start the VM at the destination. */
  resume(): void;
}

declare module '../../policy.js' {
  interface PolicyContexts {
    migration: MigrationContext;
  }
}
