// The VdiContext a strategy acts through, over the session's state: where the user is (the
// arrivals of the mobility trace, which happen at their times whether or not the strategy listens)
// and when the VM runs again. The driver's user loop reads the same session.
import type { Event } from '../../engine/index.js';
import type { Vm, World } from '../../world/index.js';
import { guestSide, modelContext, type GuestSide } from '../migration/context.js';
import { withBase } from '../shared/context.js';
import type { VdiContext } from './contract.js';

export interface VdiSetup {
  kind: 'vdi';
  vm: string;
  /** The user's device (a site linked to every cloudlet by the LAN). */
  user: string;
  /** Arrivals in time order: the VM starts at the first cloudlet. */
  trace: Array<{ at_s: number; cloudlet: string }>;
  interaction: { interval_s: number; service_s: number; request_bytes: number; response_bytes: number; threshold_s: number };
  launch_s: number;
  duration_s: number;
  /** Guest time one page write costs while the dirty log is on, seconds. */
  dirty_tracking_cost_s?: number;
}

/** The session's moving parts: the user's attachment and arrivals, and waiters for the VM to run. */
export class Session {
  userAt: string;
  /** Fires at the next arrival (a fresh event after each). */
  arrivalSignal: Event<string>;
  lastArrival = NaN;
  arrivalCount = 0;
  /** The arrivals after the first, one event each, and how many the strategy has asked for. */
  readonly arrivals: Event<string | null>[];
  nextArrival = 0;
  /** What each migration so far did to the guest (dirty logging, a post-copy phase). */
  readonly migrations: Array<() => GuestSide> = [];
  private waiters: Event<undefined>[] = [];
  /** Stop watching the VM's state. */
  readonly stopWatch: () => void;

  constructor(
    private readonly world: World,
    readonly vm: Vm,
    trace: VdiSetup['trace'],
  ) {
    this.userAt = trace[0].cloudlet;
    this.arrivalSignal = world.sim.event<string>();
    this.arrivals = trace.slice(1).map((a) => this.arriveAt(a));
    this.stopWatch = world.observe.on((e) => {
      if (e.type !== 'vm-state' || e.vm !== vm.name || e.to !== 'running') return;
      const w = this.waiters;
      this.waiters = [];
      for (const x of w) x.succeed(undefined);
    });
  }

  /** The user's attachment changes at its time whether or not the strategy is listening. */
  private arriveAt(a: { at_s: number; cloudlet: string }): Event<string | null> {
    const { world } = this;
    const e = world.sim.event<string | null>();
    world.sim.at(a.at_s, () => {
      this.userAt = a.cloudlet;
      this.lastArrival = world.now;
      this.arrivalCount++;
      if (world.observe.active) world.observe.emit({ type: 'mark', t: world.now, name: `arrival:${a.cloudlet}` });
      const s = this.arrivalSignal;
      this.arrivalSignal = world.sim.event<string>();
      s.succeed(a.cloudlet);
      e.succeed(a.cloudlet);
    });
    return e;
  }

  /** Fires when the VM runs (at once if it does; after a suspend for a switch-over or an image transfer). */
  whenRunning(): Event<undefined> {
    const e = this.world.sim.event<undefined>();
    if (this.vm.state === 'running') return e.succeed(undefined);
    this.waiters.push(e);
    return e;
  }
}

export function vdiContext(world: World, setup: VdiSetup, session: Session): VdiContext {
  const { vm } = session;
  return withBase<VdiContext>(world, {
    vm,
    get userAt() {
      return session.userAt;
    },
    nextArrival() {
      if (session.nextArrival < session.arrivals.length) return session.arrivals[session.nextArrival++];
      return world.sim.event<string | null>().succeed(null);
    },
    migration(to: string) {
      world.host(to);
      // The destination holds nothing of this VM (no base image, no copy left from an earlier visit).
      vm.memory.fill(to, false);
      vm.disk?.fill(to, false);
      const m = modelContext(world, { kind: 'migration', vm: vm.name, from: vm.site, to });
      session.migrations.push(() => guestSide(m));
      return m;
    },
    launch(to: string) {
      return world.sim.timeout(setup.launch_s).map(() => {
        vm.resume(to);
        vm.memory.invalidateOnWrite(null);
      });
    },
  });
}
