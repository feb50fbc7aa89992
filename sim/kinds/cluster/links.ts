// What the links of a cluster carried: after every reshare of the network, each link direction's
// migration and background rates; bytes integrated between changes (rates are constant between
// reshares, so the integrals are exact), the peak utilisation, and a time series of rates coalesced
// to at most one row per link per sample interval (a change within the interval of a link's last row
// overwrites that row's rates). Background traffic: flows offered at a rate (a cap) that take what
// max-min sharing leaves them; the bytes they were offered and not given are their loss.
import { Flow, type Resource, type World } from '../../world/index.js';
import type { Rows } from '../../results/record.js';

/** A background stream's flow is never meant to drain: a finite size (an infinite one counts as drained). */
const ENDLESS_BYTES = 1e30;

/** One background stream between two hosts: its offered rate over time and what it lost. */
export class Background {
  offered_Bps = 0;
  rate_Bps = 0;
  since = 0;
  offeredBytes = 0;
  lostBytes = 0;
  flow: Flow | null = null;

  /** Bring the integrals up to `now` at the rates until now. */
  settle(now: number): void {
    const dt = now - this.since;
    this.offeredBytes += this.offered_Bps * dt;
    this.lostBytes += Math.max(0, this.offered_Bps - this.rate_Bps) * dt;
    this.since = now;
  }
}

export interface BackgroundSpec {
  from: string;
  to: string;
  steps: Array<{ at_s: number; rate_Bps: number }>;
}

/** Start the background streams: each step replaces the stream's flow by one capped at the new rate. */
export function startBackground(world: World, specs: readonly BackgroundSpec[]): Background[] {
  const noop = (): void => {};
  return specs.map((b) => {
    const bg = new Background();
    for (const step of b.steps) {
      world.sim.at(step.at_s, () => {
        bg.settle(world.now);
        if (bg.flow !== null) world.network.cancel(bg.flow);
        bg.flow = null;
        bg.offered_Bps = step.rate_Bps;
        bg.rate_Bps = 0;
        if (step.rate_Bps <= 0) return;
        const path = world.path(b.from, b.to);
        if (path === null) return;
        const resources = path.resources(b.from, undefined);
        bg.flow = new Flow(ENDLESS_BYTES, resources, step.rate_Bps, noop, 0, bg);
        world.network.start(bg.flow);
      });
    }
    return bg;
  });
}

interface LinkState {
  resource: Resource;
  migration_Bps: number;
  background_Bps: number;
  /** Rates summed in the current pass. */
  nextMigration: number;
  nextBackground: number;
  stamp: number;
  /** The migration and the background flows crossing the link, in the network's (start) order. */
  migrationFlows: Flow[];
  backgroundFlows: Flow[];
  since: number;
  migrationBytes: number;
  backgroundBytes: number;
  peakPct: number;
  lastRow: Record<string, number | string> | null;
  rows: Rows;
}

export interface LinkSummary {
  busiest: string;
  peak_pct: number;
  mean_pct: number;
}

export class LinkMeter {
  private readonly states = new Map<Resource, LinkState>();
  /** Each path's link states: flows of one route share its path (one lookup per flow, not per link). */
  private readonly paths = new Map<readonly Resource[], LinkState[]>();
  /** The link states of each flow on the links (the active flows the meter has seen). */
  private readonly flowStates = new Map<Flow, LinkState[]>();
  /** Scratch for update(): the links whose flows or rates changed. */
  private readonly touched: LinkState[] = [];
  private touchedCount = 0;
  private stamp = 0;

  constructor(
    private readonly world: World,
    private readonly interval_s: number,
  ) {
    world.network.onRates = () => this.update();
    world.network.changes.on = true;
    // Flows already running are on the links from the first update on, as if they had just started.
    world.network.forEachFlow((f) => this.startedBefore.push(f));
  }

  private readonly startedBefore: Flow[] = [];

  private state(r: Resource): LinkState {
    let st = this.states.get(r);
    if (st === undefined) {
      st = { resource: r, migration_Bps: 0, background_Bps: 0, nextMigration: 0, nextBackground: 0, stamp: -1, migrationFlows: [], backgroundFlows: [], since: 0, migrationBytes: 0, backgroundBytes: 0, peakPct: 0, lastRow: null, rows: [] };
      this.states.set(r, st);
    }
    return st;
  }

  private statesOf(path: readonly Resource[]): LinkState[] {
    let sts = this.paths.get(path);
    if (sts === undefined) this.paths.set(path, (sts = path.map((r) => this.state(r))));
    return sts;
  }

  /**
   * The rates from now on: sum them per link direction, and commit the links whose rates changed.
   * Only the links of flows that started, ended or changed rate since the last update (the
   * network's list of changes) are summed again: a link's sum adds its flows' rates in the
   * network's (start) order, so with the same flows and rates it is the same number, and nothing
   * to commit.
   */
  private update(): void {
    const now = this.world.now;
    this.stamp++;
    this.touchedCount = 0;
    // Once, at the first update (no array made at every reshare).
    if (this.startedBefore.length > 0) for (const f of this.startedBefore.splice(0)) this.started(f, now);
    const changes = this.world.network.changes;
    for (let i = 0; i < changes.count; i++) {
      const f = changes.flow(i);
      const kind = changes.kind(i);
      if (kind === 'started') this.started(f, now);
      else {
        const sts = this.flowStates.get(f);
        if (sts === undefined) continue;
        if (kind === 'ended') {
          this.flowStates.delete(f);
          this.leave(f, sts);
        } else if (f.active) this.changed(f, sts, now);
      }
    }
    for (let k = 0; k < this.touchedCount; k++) this.sum(this.touched[k], now);
  }

  /** A flow new to the links (after every flow already on them, as in the network). */
  private started(f: Flow, now: number): void {
    if (!f.active) return;
    const sts = this.statesOf(f.resources);
    this.flowStates.set(f, sts);
    this.join(f, sts);
    this.changed(f, sts, now);
  }

  /** A flow's rate is new: its links are summed again; a background stream's integrals are brought up to now. */
  private changed(f: Flow, sts: LinkState[], now: number): void {
    const bg = f.owner instanceof Background ? f.owner : null;
    if (bg !== null && bg.rate_Bps !== f.rate) {
      bg.settle(now);
      bg.rate_Bps = f.rate;
    }
    for (const st of sts) this.touch(st);
  }

  private touch(st: LinkState): void {
    if (st.stamp === this.stamp) return;
    st.stamp = this.stamp;
    this.touched[this.touchedCount++] = st;
  }

  private join(f: Flow, sts: LinkState[]): void {
    const bg = f.owner instanceof Background;
    for (const st of sts) (bg ? st.backgroundFlows : st.migrationFlows).push(f);
  }

  /** A flow that ended: off its links, which are summed again. */
  private leave(f: Flow, sts: LinkState[]): void {
    const bg = f.owner instanceof Background;
    for (const st of sts) {
      const on = bg ? st.backgroundFlows : st.migrationFlows;
      on.splice(on.indexOf(f), 1);
      this.touch(st);
    }
  }

  /** A link's rates summed in the network's order; committed if they changed. */
  private sum(st: LinkState, now: number): void {
    let m = 0;
    for (const f of st.migrationFlows) m += f.rate;
    let b = 0;
    for (const f of st.backgroundFlows) b += f.rate;
    st.nextMigration = m;
    st.nextBackground = b;
    if (m !== st.migration_Bps || b !== st.background_Bps) this.commit(st, now);
  }

  /** New rates from now on; the old ones lasted since the last change (a row, unless they lasted no time). */
  private commit(st: LinkState, now: number): void {
    if (st.since < now) this.emit(st);
    st.migrationBytes += st.migration_Bps * (now - st.since);
    st.backgroundBytes += st.background_Bps * (now - st.since);
    st.since = now;
    st.migration_Bps = st.nextMigration;
    st.background_Bps = st.nextBackground;
  }

  /** A row of the rates since the last change (several rates at one instant: only the last lasts). */
  private emit(st: LinkState): void {
    const cap = st.resource.capacity;
    const pct = cap > 0 ? ((st.migration_Bps + st.background_Bps) / cap) * 100 : 0;
    st.peakPct = Math.max(st.peakPct, pct);
    const last = st.lastRow;
    if (last !== null && last.migration_Bps === st.migration_Bps && last.background_Bps === st.background_Bps && last.capacity_Bps === cap) return;
    // Fields set one by one: this runs for every changed link at every reshare, so no objects made.
    if (last !== null && st.since - (last.t_s as number) < this.interval_s) {
      last.capacity_Bps = cap;
      last.migration_Bps = st.migration_Bps;
      last.background_Bps = st.background_Bps;
      last.utilisation_pct = pct;
    } else {
      st.rows.push((st.lastRow = { link: st.resource.name, t_s: st.since, capacity_Bps: cap, migration_Bps: st.migration_Bps, background_Bps: st.background_Bps, utilisation_pct: pct }));
    }
  }

  /** The rates the meter has on a link direction now (undefined for one no flow has crossed). */
  ratesOf(r: Resource): { migration_Bps: number; background_Bps: number } | undefined {
    const st = this.states.get(r);
    return st === undefined ? undefined : { migration_Bps: st.migration_Bps, background_Bps: st.background_Bps };
  }

  /** Bring every integral up to `end`; the links that carried migration traffic, their rows in time order. */
  finish(end: number, backgrounds: readonly Background[]): { rows: Rows; summary: LinkSummary | null } {
    this.world.network.onRates = null;
    this.world.network.changes.on = false;
    for (const bg of backgrounds) bg.settle(end);
    const carried = [...this.states.values()].filter((st) => st.migrationBytes + st.migration_Bps * (end - st.since) > 0);
    let best: LinkState | null = null;
    let bestMean = -1;
    for (const st of carried) {
      // The rates that last to the end, then the end itself (what the links carry after the operation is not its part).
      st.nextMigration = 0;
      st.nextBackground = 0;
      if (st.since < end) this.commit(st, end);
      const mean = end > 0 && st.resource.capacity > 0 ? ((st.migrationBytes + st.backgroundBytes) / (st.resource.capacity * end)) * 100 : 0;
      if (mean > bestMean) [best, bestMean] = [st, mean];
    }
    const rows = carried.flatMap((st) => st.rows).sort((a, b) => (a.t_s as number) - (b.t_s as number) || (a.link < b.link ? -1 : a.link > b.link ? 1 : 0));
    return { rows, summary: best === null ? null : { busiest: best.resource.name, peak_pct: best.peakPct, mean_pct: bestMean } };
  }
}
