// Runs a live-migration policy: the VM runs at the source, the policy's plan moves it, and the run
// ends when the plan returns. Metrics are named after QEMU's query-migrate fields so a real run can
// be put beside a simulated one; every one is measured from world events (the recorder) or world
// state (presence of pages at the destination), never reported by the policy.
import { runPlan } from '../shared/plan.js';
import type { TransferPolicy } from '../../policy.js';
import type { Recorder } from '../../results/recorder.js';
import { roundRows } from '../../results/migration-tables.js';
import type { World } from '../../world/index.js';
import { guestSide, modelContext, pagesToSend, type GuestSide, type MigrationSetup } from './context.js';
import { guestCostMetrics } from '../../results/guest-cost.js';
import type { Rows } from '../../results/record.js';

export interface MigrationResult {
  metrics: Record<string, number>;
  tables: { rounds: Rows; remaining: Rows };
  /** The goal: `converged` (1 when the VM ended running at the destination with all its memory). */
  goal: 'converged';
}

export function runMigration(world: World, setup: MigrationSetup, policy: TransferPolicy<'migration'>, options: unknown, rec: Recorder): MigrationResult {
  const vm = world.vm(setup.vm);
  const counted = vm.counted;
  const pageBytes = vm.pageBytes;
  const present = counted !== null ? () => counted.present : () => vm.memory.countPresent(setup.to);
  rec.watchPhases(vm.name, setup.from);
  const interval = setup.sample_interval_s ?? 0.1;
  const remainingBytes = () => (vm.pageCount - present()) * pageBytes;
  const remaining: Rows = [];
  let t0 = world.now;
  let last = -Infinity;
  const sample = (force: boolean): void => {
    const t = world.now;
    if (!force && t - last < interval) return;
    if (remaining.length > 0 && last === t) remaining.pop();
    last = t;
    remaining.push({ t_ms: (t - t0) * 1e3, remaining_bytes: remainingBytes() });
  };
  const stopMarks = world.observe.on((e) => e.type === 'mark' && sample(false));

  vm.start();
  t0 = world.now;
  sample(true);
  const ctx = modelContext(world, setup, { landed: () => sample(false) });
  try {
    runPlan(world, policy.name, policy.plan(ctx, options));
  } finally {
    stopMarks();
  }
  const end = world.now;
  // A migration that never left: the source copy keeps changing, so bring its writes up to now.
  if (vm.site === setup.from) vm.workload?.advanceTo(end);
  sample(true);
  const converged = vm.state === 'running' && vm.site === setup.to && remainingBytes() === 0;
  // query-migrate's remaining: the pages still in the to-send set (stale between syncs); none once done.
  const toSend = converged ? 0 : pagesToSend(ctx) * pageBytes;
  const guest = guestMetrics(rec, vm.name, t0, end, guestSide(ctx), setup.dirty_tracking_cost_s ?? 0);
  return { metrics: migrationMetrics(rec, vm.name, t0, end, converged, toSend, guest), tables: { rounds: roundRows(rec, t0, end), remaining }, goal: 'converged' };
}

/** QEMU's dirty-pages-rate period (ram.c migration_bitmap_sync: a new rate once 1000 ms have passed). */
const DIRTY_RATE_PERIOD_S = 1;

/**
 * QEMU's dirty-pages-rate (ram.c migration_bitmap_sync / migration_update_rates): a period starts at
 * the first sync; at each sync ending more than DIRTY_RATE_PERIOD_S after the period's start, the
 * rate is the pages newly added to the bitmap during the period over its length, and a new period
 * starts. The last rate computed (0 if none). query-migrate stops showing it once a migration has
 * completed; this metric keeps the last value.
 */
function dirtyPagesRate(syncs: ReadonlyArray<{ t: number; new_pages: number }>): number {
  if (syncs.length === 0) return 0;
  let start = syncs[0].t;
  let pages = 0;
  let rate = 0;
  for (let k = 1; k < syncs.length; k++) {
    pages += syncs[k].new_pages;
    if (syncs[k].t > start + DIRTY_RATE_PERIOD_S) {
      rate = pages / (syncs[k].t - start);
      start = syncs[k].t;
      pages = 0;
    }
  }
  return rate;
}

/** The guest's cost (sim/results/guest-cost.ts): each part only where its mechanism was at work. */
function guestMetrics(rec: Recorder, vmName: string, t0: number, end: number, side: GuestSide, trackingCost: number): Record<string, number> {
  // The throttle holds while the guest runs at the source: until it first stops, or the run ends.
  const stop = rec.states.find((s) => s.vm === vmName && s.t >= t0 && s.from === 'running' && s.to !== 'running');
  return guestCostMetrics({
    downtime_s: rec.downtime(vmName),
    elapsed_s: end - t0,
    blocktime_s: side.postcopy ? rec.blocktime : undefined,
    throttles: rec.throttles.length > 0 ? rec.throttles : undefined,
    throttle_until_s: stop?.t ?? end,
    tracked_writes: side.tracked ? side.trackedWrites : undefined,
    tracking_cost_s: trackingCost,
  });
}

function migrationMetrics(rec: Recorder, vmName: string, t0: number, end: number, converged: boolean, remaining: number, guest: Record<string, number>): Record<string, number> {
  const p = rec.pageTotals;
  const syncs = rec.dirtySyncs;
  const setupDone = rec.markTime('setup-done');
  // A migration that did not converge has no total time and no downtime (it never switched over):
  // they are missing, and elapsed_ms says how long it ran before it gave up.
  const m: Record<string, number> = {
    total_time_ms: converged ? (end - t0) * 1e3 : NaN,
    setup_time_ms: Number.isNaN(setupDone) ? 0 : (setupDone - t0) * 1e3,
    downtime_ms: converged ? rec.downtime(vmName) * 1e3 : NaN,
    expected_downtime_ms: rec.lastMarkValue('expected-downtime') * 1e3,
    transferred_bytes: rec.phaseBytes.precopy + rec.phaseBytes.downtime + rec.phaseBytes.postcopy,
    remaining_bytes: remaining,
    duplicate_pages: p.zero,
    normal_pages: p.normal,
    dirty_sync_count: syncs.length,
    dirty_pages_rate: dirtyPagesRate(syncs),
    precopy_bytes: rec.phaseBytes.precopy,
    downtime_bytes: rec.phaseBytes.downtime,
    postcopy_bytes: rec.phaseBytes.postcopy,
    postcopy_requests: rec.countByTag.get('postcopy-request') ?? 0,
    ...guest,
    converged: converged ? 1 : 0,
    elapsed_ms: (end - t0) * 1e3,
    postcopy_faults: rec.faults,
    xbzrle_pages: p.xbzrle,
    xbzrle_bytes: p.xbzrle_bytes,
    xbzrle_cache_miss: p.cache_miss,
    xbzrle_overflow: p.overflow,
    wire_bytes: rec.wireBytes,
    transfers: rec.transfers,
  };
  if (rec.pipeline.length > 0) {
    const sum = (f: (e: (typeof rec.pipeline)[number]) => number) => rec.pipeline.reduce((s, e) => s + f(e), 0);
    Object.assign(m, {
      handoff_input_bytes: sum((e) => e.input_bytes),
      handoff_dedup_bytes: sum((e) => e.dedup_bytes),
      handoff_delta_bytes: sum((e) => e.delta_bytes),
      handoff_output_bytes: sum((e) => e.output_bytes),
      handoff_zero_blocks: sum((e) => e.zero),
      handoff_base_memory_blocks: sum((e) => e.base_memory),
      handoff_base_disk_blocks: sum((e) => e.base_disk),
      handoff_self_blocks: sum((e) => e.self),
      handoff_cpu_s: sum((e) => e.cpu_s),
    });
  }
  return m;
}
