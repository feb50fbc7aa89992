// What an EdgeVDI strategy sees and does: the contract its plan is written against.
// Imports only the engine, the world and the policy contract, so policies may import it.
import type { Event } from '../../engine/index.js';
import type { Vm } from '../../world/index.js';
import type { MigrationContext } from '../migration/contract.js';
import type { BaseContext } from '../shared/context.js';

/**
 * What a strategy for a desktop VM following its user across cloudlets can see and do. The user
 * interacts with the VM all along (the driver runs that workload, from wherever the VM is); the
 * strategy decides where the VM goes when the user arrives at another cloudlet.
 */
export interface VdiContext extends BaseContext {
  readonly vm: Vm;
  /** The next arrival of the user at a cloudlet (its name), or null when the trace has no more. */
  nextArrival(): Event<string | null>;
  /** The cloudlet the user is attached to now. */
  readonly userAt: string;
  /** A migration context for this VM from where it runs now to `to` (pre-copy and its kin run on it). */
  migration(to: string): MigrationContext;
  /** Start the VM at its site after its image arrived (the VMM's launch time); fires when it runs. */
  launch(to: string): Event<unknown>;
}

declare module '../../policy.js' {
  interface PolicyContexts {
    vdi: VdiContext;
  }
}
