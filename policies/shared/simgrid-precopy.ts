// SimGrid's pre-copy (src/plugins/vm/VmLiveMigration.cpp MigrationTx, dirty_page_tracking.cpp), used
// by `precopy` with rules: simgrid, so results can be put beside SimGrid-based studies:
//   Stage 1: the whole RAM in one message of ramsize bytes (no zero-page detection, no page headers).
//   Stage 2: while the remaining bytes exceed threshold = bandwidth x max_downtime, send the bytes
//            dirtied during the previous message; bandwidth is measured on each message as its bytes
//            over its duration, latency included (a message ends when it has arrived).
//   Stage 3: suspend, send what remains; the VM resumes at the destination when it has arrived.
// SimGrid counts dirtying in bytes, not pages (get_updated_size): what the VM dirtied during a
// message is min(working set, dirty rate x time it computed), so a page written twice counts twice.
// Here every working-set group is such a working set: min(group size, its page writes x page size),
// summed; a trace group counts its writes, at most the memory size. The pages the world actually saw
// dirtied travel inside these messages, so the destination's copy is complete at resume, but each
// message's size is SimGrid's figure.
// Timeout (mig_timeout): counted from the start of stage 1; a stage-2 message still being sent when
// it expires is cut, its unsent bytes and pages go with stage 3 (and stage 2 is skipped if stage 1
// alone took longer). SimGrid's stage-2 loop has no other exit.
import type { Yieldable } from '../../sim/engine/index.js';
import type { MigrationContext } from '../../sim/kinds/migration/contract.js';
import type { UnitList, WritableWorkingSet } from '../../sim/world/index.js';
import { bitRate, duration, type FieldsOutput } from '../../sim/fields.js';
import { InFlight, PageBitmap, type StartOptions } from './rounds.js';

export const SimgridFields = {
  max_downtime: duration('SimGrid (rules: simgrid): stop once the remaining bytes fit measured bandwidth x this (dirty_page_tracking.cpp max_downtime_ = 0.03 s; VmLiveMigration.cpp uses 30 ms for a value <= 0)').prefault('30ms'),
  migration_speed: bitRate('SimGrid (rules: simgrid): rate cap of every migration message, 0 = none (sg_vm_set_migration_speed; default mig_speed_ = 0: an uncapped put_async)', { allowZero: true }).prefault('0bit/s'),
  migration_timeout: duration('SimGrid (rules: simgrid): from the start of stage 1, cut stage 2 and stop-and-copy the rest (VmLiveMigration.cpp mig_timeout = 10^7 s; vmsim default 600 s so a run that never converges ends)').prefault('600s'),
};

export type SimgridOptions = FieldsOutput<typeof SimgridFields> & StartOptions;

/**
 * SimGrid's get_updated_size over guest time [a, b]: each group's page writes x page size, at most
 * the group's size, summed and truncated to whole bytes (sg_size_t).
 */
export function simgridDirtyBytes(wss: WritableWorkingSet | null, a: number, b: number, pageBytes: number, memoryBytes: number): number {
  if (wss === null || !(b > a)) return 0;
  let total = 0;
  for (let g = 0; g < wss.groups.length; g++) {
    const grp = wss.groups[g];
    if (grp.trace !== undefined) total += Math.min(memoryBytes, (wss.traceIndexAfter(g, b) - wss.traceIndexAfter(g, a)) * pageBytes);
    else total += Math.min(grp.pages * pageBytes, wss.writesBetween(g, a, b) * pageBytes);
  }
  return Math.floor(total);
}

export function* simgridPrecopy(ctx: MigrationContext, o: SimgridOptions): Generator<Yieldable, void, any> {
  const mem = ctx.vm.memory;
  const page = mem.unitBytes;
  const ramsize = mem.count * page;
  const wss = ctx.vm.workload;
  const guest = (): number => wss?.guestTime ?? 0;
  const how = { header_bytes: 0, zero_pages: false, tag: 'memory', cap_bps: o.migration_speed > 0 ? o.migration_speed : undefined };
  const inflight = new InFlight();
  if (o.setup > 0) yield o.setup;
  ctx.takeDirty(); // sg_vm_start_dirty_page_tracking
  ctx.mark('setup-done');
  const deadline = ctx.now + o.migration_timeout;

  // Stage 1: every page, ramsize bytes, no timeout.
  ctx.mark('round', 1);
  let start = ctx.now;
  let tau = guest();
  const all = new Uint32Array(mem.count);
  for (let i = 0; i < all.length; i++) all[i] = i;
  yield inflight.add(ctx.sendPages(all, { ...how, message_bytes: ramsize })).done;
  let bandwidth = ramsize / (ctx.now - start);
  let threshold = Math.floor(bandwidth * o.max_downtime);
  // What the next message carries: the pages dirtied during the last one, and SimGrid's byte count.
  let carry: UnitList = ctx.takeDirty();
  let updated = simgridDirtyBytes(wss, tau, (tau = guest()), page, ramsize);
  let remaining = updated;

  // Stage 2.
  let round = 2;
  for (; ctx.now < deadline && threshold < remaining; round++) {
    ctx.mark('round', round);
    start = ctx.now;
    const msg = ctx.sendPages(carry, { ...how, message_bytes: updated });
    const first = yield ctx.anyOf([msg.done, ctx.timeout(deadline - ctx.now)]);
    if (first !== msg.done) {
      // Timed out. A message still leaving the sender is cut: its unsent bytes (whole bytes, as
      // SimGrid's get_remaining cast) and all its pages go with stage 3; one already on the wire arrives.
      msg.cancel();
      if (msg.cancelled) {
        remaining -= updated - Math.floor(msg.remainingBytes);
      } else {
        remaining -= updated;
        inflight.add(msg);
      }
      const dirty = ctx.takeDirty();
      remaining += simgridDirtyBytes(wss, tau, (tau = guest()), page, ramsize);
      carry = msg.cancelled ? union(mem.count, carry, dirty) : dirty;
      round++;
      break;
    }
    remaining -= updated;
    bandwidth = updated / (ctx.now - start);
    threshold = Math.floor(bandwidth * o.max_downtime);
    carry = ctx.takeDirty();
    updated = simgridDirtyBytes(wss, tau, (tau = guest()), page, ramsize);
    remaining += updated;
  }

  // Stage 3: stopped, the rest in one message (no time passed since the last sync, so nothing new).
  ctx.suspend();
  const rest = union(mem.count, carry, ctx.takeDirty());
  ctx.mark('round', round);
  inflight.add(ctx.sendPages(rest, { ...how, message_bytes: remaining }));
  if (o.device_state > 0) inflight.add(ctx.sendBytes(o.device_state, { tag: 'device-state' }));
  yield* inflight.all(ctx);
  ctx.resume();
}

/** The pages of both lists, once each, in address order. */
function union(size: number, a: UnitList, b: UnitList): UnitList {
  if (b.length === 0) return a;
  const set = new PageBitmap(size);
  set.add(a);
  set.add(b);
  const out = new Uint32Array(set.count);
  for (let k = 0; k < out.length; k++) out[k] = set.takeNext();
  return out;
}
