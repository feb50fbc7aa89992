// What a cluster scheduling policy sees and does: the migrations waiting to run, a verb that runs one
// (its migration policy's plan, on the migration kind's context, in the one shared world), and the
// counts of migrations running per host and per link. Imports only the engine, the world, the policy
// contract and the migration kind's contract, so policies may import it.
import type { Event, Yieldable } from '../../engine/index.js';
import type { BaseContext } from '../shared/context.js';
import type { MigrationContext } from '../migration/contract.js';

/** One migration of the operation. */
export interface PendingMigration {
  /** Its place in the operation's order. */
  readonly index: number;
  readonly vm: string;
  readonly from: string;
  readonly to: string;
  readonly memory_bytes: number;
  /** The VM's page writes per second over its working set, in bytes per second (page writes x page size). */
  readonly dirty_rate_Bps: number;
  /** The link directions on its path, in order (names as in links.csv). */
  readonly links: readonly string[];
  /** The earliest time it may start, seconds. */
  readonly at_s: number;
}

/** How to move one VM: the migration policy's name (for the records) and its plan, options bound. */
export interface MigrationRun {
  readonly policy: string;
  plan(ctx: MigrationContext): Generator<Yieldable, void, any>;
}

/** What a migration ended as. */
export interface MigrationOutcome {
  readonly converged: boolean;
  readonly end_s: number;
}

/** What a cluster scheduling policy can see and do. */
export interface ClusterContext extends BaseContext {
  /** The operation's migrations, in its order (each started once). */
  readonly pending: readonly PendingMigration[];
  /** The scenario's migration policy and options (`migration:`), for a scheduler whose options name none. */
  readonly migration: { readonly policy: string; readonly options: Record<string, unknown> };
  /**
   * Run a migration: it waits until its `at` and until its destination has room for the VM, then
   * `run` moves it. Ends when the migration ends.
   */
  start(m: PendingMigration, run: MigrationRun): Event<MigrationOutcome>;
  /** Whether the migration's destination has room for its VM now (memory held by VMs there and by migrations coming in). */
  hasRoom(m: PendingMigration): boolean;
  /** Migrations running now (started, not ended), in all, from or to a host, or crossing a link direction. */
  running(): number;
  runningOnHost(host: string): number;
  runningOnLink(link: string): number;
}

declare module '../../policy.js' {
  interface PolicyContexts {
    cluster: ClusterContext;
  }
}
