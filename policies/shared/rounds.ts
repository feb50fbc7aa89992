// Pieces shared by the iterative migration policies (pre-copy's QEMU and Xen rules, hybrid, handoff):
// the bitmap of pages still to send, and the last round, sent with the VM stopped.
import type { Yieldable } from '../../sim/engine/index.js';
import type { PageFormat, StreamHow } from '../../sim/policy.js';
import type { MigrationContext, PendingPages } from '../../sim/kinds/migration/contract.js';
import { ModelError, messages } from '../../sim/errors.js';
import type { Transfer, UnitList } from '../../sim/world/index.js';
import { bytes, duration, type FieldsOutput } from '../../sim/fields.js';

/**
 * The fixed costs of a switch-over, whatever the policy: stopping the VM at the source and starting
 * it at the destination. Both default to nothing, as before they existed.
 */
export const SwitchoverFields = {
  stop_time: duration(
    'fixed cost of stopping the VM before its stopped round: pausing the vCPUs, quiescing devices, the last dirty-bitmap sync (QEMU vm_stop_force_state and ram_save_complete; a millisecond or so on a small guest)',
    { allowZero: true },
  ).prefault('0ms'),
  start_time: duration(
    'fixed cost of starting the VM at the destination once its state has arrived: loading the device state, starting the vCPUs (QEMU reports downtime on the source, without it)',
    { allowZero: true },
  ).prefault('0ms'),
};

/** Optional: a policy without the fields (vdi-migrate) pays neither cost. */
export type SwitchoverCosts = Partial<FieldsOutput<typeof SwitchoverFields>>;

/** What every pre-copy loop takes besides its rule set's own options. */
export const StartFields = {
  setup: duration('time before the first page is sent (QEMU setup-time)', { allowZero: true }).prefault('0ms'),
  device_state: bytes('CPU and device state sent in the stopped round', { allowZero: true }).prefault('0B'),
};

export type StartOptions = FieldsOutput<typeof StartFields>;

/**
 * Pages still to send (QEMU's migration bitmap, Xen's to_send): a byte per page, a count, and a scan
 * cursor that sweeps in address order and wraps around (a wrap ends a pass over memory).
 */
export class PageBitmap implements PendingPages {
  readonly bits: Uint8Array;
  count = 0;
  cursor = 0;
  /** Completed sweeps past the last page. */
  wraps = 0;

  constructor(readonly size: number) {
    this.bits = new Uint8Array(size);
  }

  setAll(): void {
    this.bits.fill(1);
    this.count = this.size;
  }

  clearAll(): void {
    this.bits.fill(0);
    this.count = 0;
  }

  /** A dirty-bitmap sync OR'ed in; how many pages it added. */
  sync(ctx: MigrationContext): number {
    return this.add(ctx.takeDirty());
  }

  /** Send set pages from the cursor on until the budget (the set pages taken on the way). */
  stream(ctx: MigrationContext, how: StreamHow): ReturnType<MigrationContext['streamPages']> {
    return ctx.streamPages(this.takeNext, how);
  }

  /** OR pages in; returns how many were not already set. */
  add(units: UnitList): number {
    let added = 0;
    for (let k = 0; k < units.length; k++) {
      const u = units[k];
      if (this.bits[u] === 0) {
        this.bits[u] = 1;
        added++;
      }
    }
    this.count += added;
    return added;
  }

  has(i: number): boolean {
    return this.bits[i] === 1;
  }

  /** Clear page i; true if it was set. */
  take(i: number): boolean {
    if (this.bits[i] === 0) return false;
    this.bits[i] = 0;
    this.count--;
    return true;
  }

  /** The next set page from the cursor on (wrapping), cleared; -1 when none is set. */
  readonly takeNext = (): number => {
    if (this.count === 0) return -1;
    const bits = this.bits;
    let i = this.cursor;
    for (;;) {
      if (i >= this.size) {
        i = 0;
        this.wraps++;
      }
      if (bits[i] === 1) {
        bits[i] = 0;
        this.count--;
        this.cursor = i + 1;
        return i;
      }
      i++;
    }
  };
}

/** The to-send set of the VM's memory model: a bitmap of its pages, or the counted model's counts. */
export function pendingSet(ctx: MigrationContext): PendingPages {
  return ctx.model === 'counted' ? ctx.countedPending() : new PageBitmap(ctx.vm.pageCount);
}

/** The per-page to-send set behind `p`, for a loop that needs page identities (post-copy's faults). */
export function bitmapOf(p: PendingPages): PageBitmap {
  if (!(p instanceof PageBitmap)) throw new ModelError(messages.countedVerb('a page bitmap'));
  return p;
}

/** Transfers still on their way; `all()` waits for every one to arrive. */
export class InFlight {
  private list: Transfer[] = [];
  add(t: Transfer): Transfer {
    this.list = this.list.filter((x) => x.done.state !== 'processed');
    this.list.push(t);
    return t;
  }
  *all(ctx: MigrationContext): Generator<Yieldable, void, any> {
    const pending = this.list.filter((x) => x.done.state !== 'processed');
    this.list = [];
    if (pending.length > 0) yield ctx.allOf(pending.map((t) => t.done));
  }
}

export interface FinalRound extends SwitchoverCosts, Pick<StartOptions, 'device_state'> {
  /** Round number of the stopped round (for the rounds table). */
  round: number;
  format?: PageFormat;
}

/**
 * The stop-and-copy round every pre-copy ends with: stop the vCPUs (stop_time), sync the dirty log one
 * last time, send every page still pending and the device state at the link's speed (no rate limit:
 * QEMU's migration_completion lifts it and ram_save_complete ignores it; Xen's last iteration), and
 * start the VM at the destination once all has arrived (start_time).
 */
export function* finishStopped(ctx: MigrationContext, pending: PendingPages, inflight: InFlight, f: FinalRound): Generator<Yieldable, void, any> {
  ctx.suspend();
  if ((f.stop_time ?? 0) > 0) yield f.stop_time!;
  pending.sync(ctx);
  ctx.mark('round', f.round);
  const sent = pending.stream(ctx, { ...f.format, tag: 'memory' });
  if (sent !== null) {
    inflight.add(sent.transfer);
    yield sent.transfer.drained;
  }
  if (f.device_state > 0) inflight.add(ctx.sendBytes(f.device_state, { tag: 'device-state' }));
  yield* inflight.all(ctx);
  if ((f.start_time ?? 0) > 0) yield f.start_time!;
  ctx.resume();
}
