// Runs a strategy for a desktop VM that follows its user across cloudlets ("EdgeVDI"). The user's
// device reaches the cloudlet it is attached to over the LAN; cloudlets reach one another over the
// WAN. The user interacts with the VM in a closed loop for the whole session: a request goes
// device -> attached cloudlet (LAN) -> the VM's cloudlet (WAN, if elsewhere), the VM serves it, the
// response comes back the same way; each hop is a world transfer sharing links with whatever else
// moves (a migration stream). A request that reaches a stopped VM waits until it runs, and follows
// it if it moved. On arriving at a cloudlet the user interacts at once (no think time), so the time
// to first interaction is measured from the arrival. The strategy decides where the VM goes.
import { anyOf, type Event, type Yieldable } from '../../engine/index.js';
import type { TransferPolicy } from '../../policy.js';
import type { Recorder } from '../../results/recorder.js';
import type { World } from '../../world/index.js';
import type { Rows } from '../../results/record.js';
import { Session, vdiContext, type VdiSetup } from './context.js';
import { guestCostMetrics } from '../../results/guest-cost.js';

export interface VdiResult {
  metrics: Record<string, number>;
  /** interactions: one row per interaction (start, latency, where the user and the VM were). */
  tables: { interactions: Rows };
  /** The goal: `completed` (1 when an interaction ended after the user's last arrival). */
  goal: 'completed';
}

const INTERACTION = 'interaction';

/** The q-quantile of sorted values (linear interpolation between order statistics). */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const x = q * (sorted.length - 1);
  const lo = Math.floor(x);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (x - lo);
}

/** What the user loop measures: one row per interaction, the times to a first one, time blocked. */
interface Served {
  rows: Rows;
  firsts: number[];
  blocked: number;
}

export function runVdi(world: World, setup: VdiSetup, policy: TransferPolicy<'vdi'>, options: unknown, rec: Recorder): VdiResult {
  const session = new Session(world, world.vm(setup.vm), setup.trace);
  const ctx = vdiContext(world, setup, session);
  const served: Served = { rows: [], firsts: [], blocked: 0 };
  session.vm.start();
  const plan = world.sim.process(policy.plan(ctx, options));
  world.sim.process(user(world, setup, session, served));
  try {
    world.sim.run({ until: setup.duration_s });
  } finally {
    session.stopWatch();
  }
  if (plan.state === 'processed' && !plan.ok) throw plan.error as Error;
  return { goal: 'completed', metrics: vdiMetrics(setup, session, served, rec), tables: { interactions: served.rows } };
}

/**
 * The user, in a closed loop for the whole session: a request to the attached cloudlet, on to the
 * VM's, served there, the response back the same way; then think, unless the user arrives
 * somewhere new meanwhile (then interact at once).
 */
function* user(world: World, setup: VdiSetup, session: Session, out: Served): Generator<Yieldable, void, any> {
  const { vm } = session;
  const ix = setup.interaction;
  const send = (from: string, to: string, bytes: number) => world.send(from, to, bytes, { tag: INTERACTION }).done;
  if (setup.trace[0].at_s > 0) yield setup.trace[0].at_s;
  let pendingFirst = NaN;
  let seenArrival = session.arrivalCount;
  for (;;) {
    if (vm.state !== 'running') {
      const w0 = world.now;
      yield session.whenRunning();
      out.blocked += world.now - w0;
    }
    if (session.arrivalCount !== seenArrival) {
      pendingFirst = session.lastArrival;
      seenArrival = session.arrivalCount;
    }
    if (world.now >= setup.duration_s) return;
    const t0 = world.now;
    const at = session.userAt;
    yield send(setup.user, at, ix.request_bytes);
    let site = vm.site;
    if (at !== site) yield send(at, site, ix.request_bytes);
    // Served where the VM runs: a request that finds it stopped waits, and follows it if it moved.
    while (vm.state !== 'running' || vm.site !== site) {
      if (vm.state !== 'running') yield session.whenRunning();
      if (vm.site !== site) {
        yield send(site, vm.site, ix.request_bytes);
        site = vm.site;
      }
    }
    if (ix.service_s > 0) yield ix.service_s;
    const back = session.userAt;
    if (site !== back) yield send(site, back, ix.response_bytes);
    yield send(back, setup.user, ix.response_bytes);
    const latency = world.now - t0;
    const first = !Number.isNaN(pendingFirst);
    if (first) out.firsts.push(world.now - pendingFirst);
    pendingFirst = NaN;
    out.rows.push({ t_s: t0, latency_ms: latency * 1e3, cloudlet: at, vm_at: site, remote: site === at ? 0 : 1, first: first ? 1 : 0 });
    if (session.arrivalCount === seenArrival) yield anyOf(world.sim, [world.sim.timeout(ix.interval_s), session.arrivalSignal as Event<unknown>]);
  }
}

function vdiMetrics(setup: VdiSetup, session: Session, served: Served, rec: Recorder): Record<string, number> {
  const { vm } = session;
  const { rows, firsts } = served;
  // A session in which no interaction completed (a link too slow for one round trip) is a result,
  // not an error: zero interactions, and no latency to report (empty cells, not zeros).
  const lat = rows.map((r) => r.latency_ms as number).sort((a, b) => a - b);
  const mean = (xs: readonly number[]) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
  const interactionBytes = rec.bytesByTag.get(INTERACTION) ?? 0;
  const switches = rec.states.filter((s) => s.vm === vm.name && s.to === 'running' && s.from !== 'created').length;
  // The session's goal: the user was served after every move (an interaction ended after the last
  // arrival; with no move, any interaction). Without it the time to the first interaction after an
  // arrival has no value: a mean over the arrivals that were served would understate it.
  const lastMove = session.arrivalCount === 0 ? -Infinity : session.lastArrival;
  const completed = rows.some((r) => (r.t_s as number) + (r.latency_ms as number) / 1e3 > lastMove);
  return {
    interactions: rows.length,
    mean_interaction_ms: mean(lat),
    p50_interaction_ms: quantile(lat, 0.5),
    p95_interaction_ms: quantile(lat, 0.95),
    max_interaction_ms: lat.length === 0 ? NaN : lat[lat.length - 1],
    share_over_threshold: lat.length === 0 ? NaN : lat.filter((x) => x > setup.interaction.threshold_s * 1e3).length / lat.length,
    remote_share: rows.length === 0 ? NaN : rows.filter((r) => r.remote === 1).length / rows.length,
    time_to_first_interaction_s: completed ? mean(firsts) : NaN,
    max_time_to_first_interaction_s: completed && firsts.length > 0 ? Math.max(...firsts) : NaN,
    blocked_s: served.blocked,
    downtime_ms: rec.downtime(vm.name) * 1e3,
    moved_bytes: rec.payloadBytes - interactionBytes,
    interaction_bytes: interactionBytes,
    total_bytes: rec.payloadBytes,
    switches,
    running_at_end: vm.state === 'running' ? 1 : 0,
    completed: completed ? 1 : 0,
    ...vdiGuestCost(setup, session, rec),
  };
}

/**
 * The guest's cost over the session, summed over its migrations (sim/results/guest-cost.ts): the
 * slowdown is over the whole session, the window the user experiences.
 */
function vdiGuestCost(setup: VdiSetup, session: Session, rec: Recorder): Record<string, number> {
  const sides = session.migrations.map((m) => m());
  const tracked = sides.some((s) => s.tracked);
  return guestCostMetrics({
    downtime_s: rec.downtime(session.vm.name),
    elapsed_s: setup.duration_s,
    blocktime_s: sides.some((s) => s.postcopy) ? rec.blocktime : undefined,
    throttles: rec.throttles.length > 0 ? rec.throttles : undefined,
    throttle_until_s: setup.duration_s,
    tracked_writes: tracked ? sides.reduce((n, s) => n + s.trackedWrites, 0) : undefined,
    tracking_cost_s: setup.dirty_tracking_cost_s ?? 0,
  });
}
