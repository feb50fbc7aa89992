// The ClusterContext a scheduling policy acts through, over one world shared by every migration.
// start(m, run) builds the VM's memory (pages, or counts on the counted model) at its source (nothing of a VM exists before its migration),
// runs the migration policy's plan on the migration kind's own context (sim/kinds/migration) and, when
// the plan returns, measures the migration from world events (its state changes, syncs, throttles,
// post-copy stalls, the transfers its context started), frees the VM's pages and keeps a row. A
// destination holds the VM's memory from the migration's start; the source frees it when the VM
// has left.
import { Event, type Yieldable } from '../../engine/index.js';
import type { Rows } from '../../results/record.js';
import { guestCostMetrics } from '../../results/guest-cost.js';
import type { World, WorldEvent } from '../../world/index.js';
import { buildVm } from '../shared/vm.js';
import { buildCountedVm } from '../shared/counted-vm.js';
import { withBase } from '../shared/context.js';
import { guestSide, modelContext } from '../migration/context.js';
import type { ClusterContext, MigrationOutcome, MigrationRun, PendingMigration } from './contract.js';
import type { Layout } from './layout.js';
import type { BackgroundSpec } from './links.js';
import type { VmTemplateT } from './schema.js';

export interface ClusterSetup {
  kind: 'cluster';
  layout: Layout;
  templates: VmTemplateT[];
  /** Least spacing of a link's rows in links.csv, seconds. */
  sample_interval_s: number;
  migration: { policy: string; options: Record<string, unknown> };
  background: BackgroundSpec[];
}

/** What the world said about one migrating VM. */
interface VmWatch {
  downtime_s: number;
  stoppedAt: number;
  /** When it first stopped running (NaN if it never did). */
  firstStop: number;
  syncs: number;
  throttles: Array<{ t: number; fraction: number }>;
  blocktime_s: number;
}

interface Run {
  world: World;
  setup: ClusterSetup;
  pending: PendingMigration[];
  /** VM memory held on each host (by host index). */
  used: Float64Array;
  /** Succeeds when some host frees memory (then replaced). */
  roomFreed: Event<undefined>;
  running: { all: number; host: Map<string, number>; link: Map<string, number> };
  watches: Map<string, VmWatch>;
  rows: Array<{ index: number; row: Rows[number] }>;
}

export interface ClusterRunState {
  ctx: ClusterContext;
  /** One row per migration that ended, in the operation's order. */
  rows(): Rows;
  /** Stop watching the world. */
  close(): void;
}

export function clusterContext(world: World, setup: ClusterSetup): ClusterRunState {
  const { layout } = setup;
  const used = new Float64Array(layout.hosts.length);
  for (const v of layout.vms) used[v.host] += v.memory_bytes;
  const run: Run = {
    world,
    setup,
    pending: pendingOf(world, setup),
    used,
    roomFreed: new Event<undefined>(world.sim),
    running: { all: 0, host: new Map(), link: new Map() },
    watches: new Map(),
    rows: [],
  };
  const stop = world.observe.on((e) => watch(run, e), ['vm-state', 'dirty-sync', 'throttle', 'fault-served']);
  const ctx = withBase<ClusterContext>(world, {
    pending: run.pending,
    migration: setup.migration,
    start: (m, how) => {
      // Counted from now, not from the process's first step: a scheduler checks its limits at once.
      count(run, m, 1);
      return world.sim.process(migrate(run, m, how));
    },
    hasRoom: (m) => {
      const to = setup.layout.moves[m.index].to;
      return run.used[to] + m.memory_bytes <= setup.layout.hosts[to].memory_bytes;
    },
    running: () => run.running.all,
    runningOnHost: (h) => run.running.host.get(h) ?? 0,
    runningOnLink: (l) => run.running.link.get(l) ?? 0,
  });
  return { ctx, rows: () => run.rows.sort((a, b) => a.index - b.index).map((r) => r.row), close: stop };
}

function pendingOf(world: World, setup: ClusterSetup): PendingMigration[] {
  const { layout, templates } = setup;
  return layout.moves.map((m, index) => {
    const v = layout.vms[m.vm];
    const t = templates[v.template];
    const from = layout.hosts[m.from].name;
    const to = layout.hosts[m.to].name;
    const path = world.path(from, to);
    return {
      index,
      vm: v.name,
      from,
      to,
      memory_bytes: v.memory_bytes,
      dirty_rate_Bps: t.working_set.reduce((s, g) => s + (g.rate ?? 0), 0) * t.page_size,
      links: path === null ? [] : path.resources(from, undefined).map((r) => r.name),
      at_s: m.at_s,
    };
  });
}

function watch(r: Run, e: WorldEvent): void {
  const w = 'vm' in e ? r.watches.get(e.vm) : undefined;
  if (w === undefined) return;
  switch (e.type) {
    case 'vm-state':
      if (e.from === 'running' && e.to !== 'running') {
        w.stoppedAt = e.t;
        if (Number.isNaN(w.firstStop)) w.firstStop = e.t;
      } else if (e.to === 'running' && !Number.isNaN(w.stoppedAt)) {
        w.downtime_s += e.t - w.stoppedAt;
        w.stoppedAt = NaN;
      }
      return;
    case 'dirty-sync':
      w.syncs++;
      return;
    case 'throttle':
      w.throttles.push({ t: e.t, fraction: e.fraction });
      return;
    case 'fault-served':
      w.blocktime_s += e.waited_s;
      return;
    default:
      return;
  }
}

function count(r: Run, m: PendingMigration, by: number): void {
  r.running.all += by;
  for (const h of [m.from, m.to]) r.running.host.set(h, (r.running.host.get(h) ?? 0) + by);
  for (const l of m.links) r.running.link.set(l, (r.running.link.get(l) ?? 0) + by);
}

function freeRoom(r: Run, host: number, bytes: number): void {
  r.used[host] -= bytes;
  const freed = r.roomFreed;
  r.roomFreed = new Event<undefined>(r.world.sim);
  freed.succeed();
}

/** One migration: wait for its time and for room, move the VM with the plan, measure, free its pages. */
function* migrate(r: Run, m: PendingMigration, how: MigrationRun): Generator<Yieldable, MigrationOutcome, any> {
  const { world, setup } = r;
  const move = setup.layout.moves[m.index];
  const vmEntry = setup.layout.vms[move.vm];
  const template = setup.templates[vmEntry.template];
  if (world.now < m.at_s) yield world.sim.timeout(m.at_s - world.now);
  const capacity = setup.layout.hosts[move.to].memory_bytes;
  while (r.used[move.to] + m.memory_bytes > capacity) yield r.roomFreed;
  r.used[move.to] += m.memory_bytes;
  const start = world.now;
  const vm = (template.model === 'counted' ? buildCountedVm : buildVm)(world, { ...template, name: m.vm }, m.from);
  const w: VmWatch = { downtime_s: 0, stoppedAt: NaN, firstStop: NaN, syncs: 0, throttles: [], blocktime_s: 0 };
  r.watches.set(m.vm, w);
  let transferred = 0;
  vm.start();
  const mctx = modelContext(world, { kind: 'migration', vm: m.vm, from: m.from, to: m.to, dirty_tracking_cost_s: template.dirty_tracking_cost }, {
    sent: (t) => void t.done.then(() => (transferred += t.bytes)),
  });
  yield world.sim.process(how.plan(mctx));
  const end = world.now;
  const present = vm.counted !== null ? vm.counted.present : vm.memory.countPresent(m.to);
  const converged = vm.state === 'running' && vm.site === m.to && present === vm.pageCount;
  freeRoom(r, converged ? move.from : move.to, m.memory_bytes);
  if (converged) vmEntry.host = move.to;
  const side = guestSide(mctx);
  const guest = guestCostMetrics({
    downtime_s: w.downtime_s,
    elapsed_s: end - start,
    blocktime_s: side.postcopy ? w.blocktime_s : undefined,
    throttles: w.throttles.length > 0 ? w.throttles : undefined,
    throttle_until_s: Number.isNaN(w.firstStop) ? end : w.firstStop,
    tracked_writes: side.tracked ? side.trackedWrites : undefined,
    tracking_cost_s: template.dirty_tracking_cost,
  });
  r.rows.push({
    index: m.index,
    row: {
      vm: m.vm,
      migration_policy: how.policy,
      from_host: m.from,
      to_host: m.to,
      path: m.links.join(' '),
      memory_bytes: m.memory_bytes,
      queued_s: start - m.at_s,
      start_s: start,
      end_s: end,
      downtime_start_s: w.firstStop,
      downtime_ms: converged ? w.downtime_s * 1e3 : NaN,
      total_time_ms: converged ? (end - start) * 1e3 : NaN,
      transferred_bytes: transferred,
      converged: converged ? 1 : 0,
      dirty_sync_count: w.syncs,
      guest_lost_s: guest.guest_lost_s,
      postcopy_blocktime_ms: guest.postcopy_blocktime_ms ?? NaN,
    },
  });
  // The VM's pages go with it: nothing of it stays in the world.
  r.watches.delete(m.vm);
  world.vms.delete(m.vm);
  count(r, m, -1);
  return { converged, end_s: end };
}
