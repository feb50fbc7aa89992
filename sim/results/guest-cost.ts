// What a migration cost the running guest: the seconds of work it lost while the migration ran, from
// the mechanisms that take them (docs/models.md, "The guest's cost"):
//   downtime                  the vCPUs stopped: every second lost;
//   post-copy fault stalls    a vCPU blocked on a page not there yet (QEMU postcopy-blocktime);
//   auto-converge's throttle  the vCPUs sleep a share p of each time slice: p for t seconds loses p*t;
//   dirty tracking            a per-write cost while the dirty log is on: writes x cost.
// A part that does not apply to a policy (no post-copy phase, no auto-converge, no dirty logging) is
// absent from the record, never 0. Pure arithmetic on what the recorder and the context measured.
import type { Seconds } from '../world/units.js';

/** The throttle's integral (seconds of vCPU time taken away) from its settings up to `until`. */
export function throttleLost(throttles: ReadonlyArray<{ t: Seconds; fraction: number }>, until: Seconds): Seconds {
  let lost = 0;
  for (let k = 0; k < throttles.length; k++) {
    const end = Math.min(until, k + 1 < throttles.length ? throttles[k + 1].t : until);
    if (end > throttles[k].t) lost += throttles[k].fraction * (end - throttles[k].t);
  }
  return lost;
}

export interface GuestCostInput {
  /** Seconds the VM was stopped. */
  downtime_s: Seconds;
  /** The migration's length (total time, or how long it ran before it gave up), seconds. */
  elapsed_s: Seconds;
  /** Post-copy fault stalls, seconds; undefined without a post-copy phase. */
  blocktime_s?: Seconds;
  /** Throttle settings; undefined without auto-converge. */
  throttles?: ReadonlyArray<{ t: Seconds; fraction: number }>;
  /** When the guest stopped running at the source (or the migration ended): the throttle's end. */
  throttle_until_s: Seconds;
  /** Page writes made while dirty logging was on; undefined without dirty logging. */
  tracked_writes?: number;
  /** The scenario's cost of one page write while the dirty log is on, seconds. */
  tracking_cost_s: Seconds;
}

/** The guest-cost metrics: guest_lost_s and guest_slowdown_pct always, each part where it applies. */
export function guestCostMetrics(g: GuestCostInput): Record<string, number> {
  const m: Record<string, number> = {};
  let lost = g.downtime_s;
  if (g.blocktime_s !== undefined) {
    m.postcopy_blocktime_ms = g.blocktime_s * 1e3;
    lost += g.blocktime_s;
  }
  if (g.throttles !== undefined) {
    m.throttle_lost_s = throttleLost(g.throttles, g.throttle_until_s);
    m.cpu_throttle_percentage = Math.max(0, ...g.throttles.map((x) => x.fraction)) * 100;
    lost += m.throttle_lost_s;
  }
  if (g.tracked_writes !== undefined) {
    m.tracking_lost_s = g.tracked_writes * g.tracking_cost_s;
    lost += m.tracking_lost_s;
  }
  m.guest_lost_s = lost;
  m.guest_slowdown_pct = g.elapsed_s > 0 ? (lost / g.elapsed_s) * 100 : NaN;
  return m;
}
