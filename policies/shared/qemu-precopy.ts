// QEMU's pre-copy loop (migration/migration.c migration_thread / migration_iteration_run /
// migration_rate_limit / migration_update_counters, migration/ram.c), used by `precopy` (rules: qemu)
// and `hybrid`. Per window of `rate_window` (BUFFER_DELAY):
//   1. pending estimate = pages left in the migration bitmap (stale: no sync). If it is below the
//      threshold, sync the dirty log into the bitmap (a new round) and take the exact figure.
//   2. If the exact pending bytes are below the threshold (or nothing is pending): complete.
//   3. Otherwise send pages in address order until the window's byte budget (max-bandwidth x window)
//      is used, as fast as the link takes them (a write returns when its data has left), then sleep
//      out the window (a slower link has already stretched it) and measure: bandwidth = bytes sent
//      / window time,
//      threshold = bandwidth x downtime-limit, and (once a dirty-page rate has been measured)
//      expected downtime = bytes pending at the last sync / bandwidth (QEMU's expected-downtime,
//      downtime-limit until then).
// At each sync at least `throttle_period` after the last check, auto-converge compares the bytes
// dirtied in the period with the bytes sent (ram.c migration_trigger_throttle): each time dirtied >
// threshold% of sent it counts one; at two it throttles the vCPUs (initial, then +increment, up to
// max) and resets the count. QEMU never resets the count on a quiet period, so "two consecutive
// periods" is what a steady overload produces. XBZRLE starts once a sweep has wrapped past the last
// page ("After the first round, enable XBZRLE").
import { z } from 'zod';
import type { Yieldable } from '../../sim/engine/index.js';
import type { MigrationContext } from '../../sim/kinds/migration/contract.js';
import { bitRate, bytes, duration, fraction, type FieldsOutput } from '../../sim/fields.js';
import type { PendingPages } from '../../sim/kinds/migration/contract.js';
import { finishStopped, InFlight, pendingSet, type StartOptions, type SwitchoverCosts } from './rounds.js';

export const QemuFields = {
  max_bandwidth: bitRate("QEMU max-bandwidth: byte budget of the stream per rate window (migration/options.c MAX_THROTTLE = 128 MiB/s)").prefault('128MiB/s'),
  downtime_limit: duration('QEMU downtime-limit: switch over once pending bytes fit bandwidth x this (options.c DEFAULT_MIGRATE_SET_DOWNTIME = 300 ms)').prefault('300ms'),
  rate_window: duration('window of the rate limit and of the bandwidth measurement (migration.c BUFFER_DELAY = 100 ms; fixed in QEMU)').prefault('100ms'),
  auto_converge: z.boolean().default(false).describe('QEMU capability auto-converge: throttle the vCPUs when dirtying outpaces sending'),
  cpu_throttle_initial: fraction('QEMU cpu-throttle-initial (options.c DEFAULT_MIGRATE_CPU_THROTTLE_INITIAL = 20%)').prefault('20%'),
  cpu_throttle_increment: fraction('QEMU cpu-throttle-increment (options.c DEFAULT_MIGRATE_CPU_THROTTLE_INCREMENT = 10%)').prefault('10%'),
  max_cpu_throttle: fraction('QEMU max-cpu-throttle (options.c DEFAULT_MIGRATE_MAX_CPU_THROTTLE = 99%)').prefault('99%'),
  throttle_trigger_threshold: fraction('QEMU throttle-trigger-threshold: dirtied over sent bytes that counts as too fast (options.c DEFAULT_MIGRATE_THROTTLE_TRIGGER_THRESHOLD = 50%)').prefault('50%'),
  throttle_period: duration('least time between auto-converge checks (ram.c migration_bitmap_sync: 1000 ms; fixed in QEMU)').prefault('1s'),
  throttle_trigger_count: z.number().int().min(1).default(2).describe('too-fast periods before each throttle step (ram.c: dirty_rate_high_cnt >= 2; fixed in QEMU)'),
  xbzrle: z.boolean().default(false).describe('QEMU capability xbzrle: re-sent pages found in the cache go as XOR+RLE deltas'),
  xbzrle_cache_size: bytes('QEMU xbzrle-cache-size (options.c DEFAULT_MIGRATE_XBZRLE_CACHE_SIZE = 64 MiB)').prefault('64MiB'),
  deadline: duration('give up (migrate_cancel) if not switched over by then; reported as not converged (QEMU itself never gives up; vmsim default)').prefault('600s'),
};

export type QemuOptions = FieldsOutput<typeof QemuFields> & StartOptions & SwitchoverCosts;

/** Where the loop stopped: switched over (VM running at the destination), cancelled, or handed on. */
export type QemuOutcome = 'completed' | 'cancelled' | 'handover';

export interface QemuState {
  /** Dirty-bitmap syncs so far (query-migrate dirty-sync-count). */
  syncs: number;
  pending: PendingPages;
  inflight: InFlight;
  /** Last measured bandwidth, bytes per second. */
  bandwidth: number;
}

/** What the loop carries from sync to sync: bytes sent, the auto-converge period and throttle, rates. */
interface Counters {
  sentTotal: number;
  /** The current auto-converge period: its start, pages dirtied in it, bytes sent before it, too-fast periods counted. */
  period: { start: number; dirtied: number; sentAtStart: number; high: number };
  throttle: number;
  /** Pages dirtied per second over the last completed period (0 until one has completed). */
  dirtyRate: number;
  /** Bytes pending at the last sync (ram_counters.remaining). */
  remainingAtSync: number;
}

/** migration_bitmap_sync: a new round; at least `throttle_period` after the last check, auto-converge's. */
function syncBitmap(ctx: MigrationContext, o: QemuOptions, s: QemuState, c: Counters): void {
  const page = ctx.vm.pageBytes;
  c.period.dirtied += s.pending.sync(ctx);
  s.syncs++;
  c.remainingAtSync = s.pending.count * page;
  const period = c.period;
  if (ctx.now > period.start + o.throttle_period) {
    c.dirtyRate = period.dirtied / (ctx.now - period.start);
    const sent = c.sentTotal - period.sentAtStart;
    if (o.auto_converge && period.dirtied * page > sent * o.throttle_trigger_threshold && ++period.high >= o.throttle_trigger_count) {
      period.high = 0;
      c.throttle = c.throttle === 0 ? o.cpu_throttle_initial : Math.min(c.throttle + o.cpu_throttle_increment, o.max_cpu_throttle);
      ctx.setThrottle(c.throttle);
    }
    c.period = { start: ctx.now, dirtied: 0, sentAtStart: c.sentTotal, high: period.high };
  }
  ctx.mark('round', s.syncs);
}

/**
 * Run QEMU's pre-copy until it completes (VM stopped, the rest sent, VM resumed at the destination),
 * the deadline passes (VM left running at the source), or `handover(state)` says so (hybrid: the VM
 * is still running; the caller takes over with `state.pending`).
 */
export function* qemuPrecopy(ctx: MigrationContext, o: QemuOptions, handover?: (s: QemuState) => boolean): Generator<Yieldable, { outcome: QemuOutcome; state: QemuState }, any> {
  const pages = ctx.vm.pageCount;
  const page = ctx.vm.pageBytes;
  const t0 = ctx.now;
  if (o.setup > 0) yield o.setup;
  // ram_save_setup: every page starts dirty; ram_init_bitmaps syncs once (dirty-sync-count = 1).
  const s: QemuState = { syncs: 1, pending: pendingSet(ctx), inflight: new InFlight(), bandwidth: 0 };
  s.pending.sync(ctx);
  s.pending.setAll();
  ctx.mark('setup-done');
  ctx.mark('round', 1);
  // The capability is on from the start: query-migrate shows cpu-throttle-percentage (0 until a step).
  if (o.auto_converge) ctx.setThrottle(0);
  const cache = o.xbzrle ? ctx.xbzrleCache(o.xbzrle_cache_size) : undefined;
  const budget = (o.max_bandwidth / 8) * o.rate_window;
  let threshold = 0;
  const c: Counters = { sentTotal: 0, period: { start: ctx.now, dirtied: 0, sentAtStart: 0, high: 0 }, throttle: 0, dirtyRate: 0, remainingAtSync: pages * page };
  // migration_update_counters: expected-downtime starts at the limit and is re-estimated once a
  // dirty-page rate exists, from the bytes pending at the last sync (ram_counters.remaining).
  let expectedDowntime = o.downtime_limit;
  const leave = (): void => ctx.mark('expected-downtime', expectedDowntime);

  const sync = (): void => syncBitmap(ctx, o, s, c);

  for (;;) {
    const windowStart = ctx.now;
    let windowBytes = 0;
    // One window: iterate until the budget is used up (or we complete / hand over).
    while (windowBytes < budget) {
      if (ctx.now - t0 >= o.deadline) {
        leave();
        ctx.mark('cancelled');
        return { outcome: 'cancelled', state: s };
      }
      if (s.pending.count * page < threshold) sync();
      const exact = s.pending.count * page;
      if (exact === 0 || exact < threshold) {
        leave();
        const format = cache && s.pending.wraps > 0 ? { xbzrle: cache, generation: s.syncs + 1, cache_insert: false } : {};
        yield* finishStopped(ctx, s.pending, s.inflight, { round: s.syncs + 1, device_state: o.device_state, format, stop_time: o.stop_time, start_time: o.start_time });
        return { outcome: 'completed', state: s };
      }
      if (handover?.(s)) {
        leave();
        return { outcome: 'handover', state: s };
      }
      const sent = s.pending.stream(ctx, {
        budget_bytes: budget - windowBytes,
        tag: 'memory',
        xbzrle: cache !== undefined && s.pending.wraps > 0 ? cache : undefined,
        generation: s.syncs,
      });
      if (sent === null) continue;
      s.inflight.add(sent.transfer);
      windowBytes += sent.bytes;
      c.sentTotal += sent.bytes;
      // The thread's writes block until the socket takes the data: a slow link stretches the window.
      yield sent.transfer.drained;
    }
    // migration_rate_limit: sleep out the rest of the window.
    if (ctx.now < windowStart + o.rate_window) yield windowStart + o.rate_window - ctx.now;
    // migration_update_counters
    s.bandwidth = windowBytes / (ctx.now - windowStart);
    threshold = s.bandwidth * o.downtime_limit;
    if (c.dirtyRate > 0 && windowBytes > 10_000) expectedDowntime = c.remainingAtSync / s.bandwidth;
  }
}
