// The contract between the simulator and transfer policies (like d3's force: a tiny interface the
// simulator owns). A policy is a generator that *acts* through its context; the world *measures*.
// Policy state lives in the generator's locals, never in module state.
import type { z } from 'zod';
import type { Event, Rng, Yieldable } from './engine/index.js';
import type { Transfer, UnitList, Vm, World } from './world/index.js';

export interface SendHow {
  /** Label carried into events and traces. */
  tag?: string;
  /** Upper bound on the sending rate (e.g. QEMU's max-bandwidth). */
  cap_bps?: number;
}

/** What a live-migration policy can see and do. */
export interface MigrationContext {
  readonly world: World;
  readonly vm: Vm;
  /** Site the VM runs at now, and the site it is moving to. */
  readonly from: string;
  readonly to: string;
  /** Simulated seconds. */
  readonly now: number;
  /** Send memory pages to the destination; wire bytes follow their content (zero pages as headers). */
  sendPages(units: UnitList, how?: SendHow): Transfer;
  /** Send opaque state (CPU registers, device state) of the given size. */
  sendBytes(bytes: number, how?: SendHow): Transfer;
  /** Pages written since the last call (bringing the workload up to now), and clear the set. */
  takeDirty(): UnitList;
  /** Stop the vCPUs at the source. */
  suspend(): void;
  /** Start the VM at the destination. */
  resume(): void;
  /** Record a named moment (a round boundary, a switch-over) for the results. */
  mark(name: string, value?: number): void;
  timeout(seconds: number): Event<undefined>;
  allOf(events: readonly Event<unknown>[]): Event<unknown[]>;
  anyOf(events: readonly Event<unknown>[]): Event<Event<unknown>>;
  /** A named seeded stream, independent of every other name. */
  random(stream: string): Rng;
}

export interface PolicyContexts {
  migration: MigrationContext;
}

export type PolicyKind = keyof PolicyContexts;

export interface TransferPolicy<K extends PolicyKind = PolicyKind, O = any> {
  /** Registry key, kebab-case. */
  readonly name: string;
  /** One line for `vmsim policies`. */
  readonly summary: string;
  readonly kind: K;
  /** Options with their defaults and units; validated before t = 0. */
  readonly options: z.ZodType<O>;
  plan(ctx: PolicyContexts[K], opts: O): Generator<Yieldable, void, any>;
}
