// What a VM-fork policy sees and does: the contract its plan is written against.
// Imports only the engine, the world and the policy contract, so policies may import it.
import type { Event } from '../../engine/index.js';
import type { Transfer } from '../../world/index.js';
import type { BaseContext } from '../shared/context.js';

/**
 * What a VM-fork policy can see and do (Lagar-Cavilla et al., "SnowFlock", EuroSys 2009). A parent
 * VM is cloned onto the clone hosts of one switched LAN: the parent builds a small descriptor, sends
 * it, each clone starts from it and runs its workload, and every first touch of a page the clone
 * lacks calls the policy's fault handler. Pages and the descriptor go unicast (one transmission per
 * clone through the parent's uplink) or multicast (one transmission through the parent's uplink,
 * replicated by the switch onto every clone's downlink).
 */
export interface ForkContext extends BaseContext {
  /** The clone hosts, one clone each. */
  readonly clones: readonly string[];
  readonly descriptor_bytes: number;
  /** The parent pauses and builds the descriptor; fires when it is ready to send. */
  saveDescriptor(): Event<unknown>;
  /** Send the descriptor to one clone, or multicast it to every clone when `to` is omitted. */
  sendDescriptor(to?: string): Transfer;
  /** Create the clone's VM from its descriptor (which must have arrived); fires when the clone runs. */
  startClone(clone: string): Event<unknown>;
  /**
   * Run the clone's workload; fires when it is done. A first touch of a page the clone lacks calls
   * `onFault(page, overwrite)` (overwrite: the clone will write the page before reading it); the
   * vCPU blocks on the event it returns until the page is present. Null: the handler made the page
   * present at once (allocate).
   */
  runWorkload(clone: string, onFault: (page: number, overwrite: boolean) => Event<unknown> | null): Event<unknown>;
  /** Whether the page is present at the clone. */
  has(clone: string, page: number): boolean;
  /** Make the page present at the clone without fetching it (a page the clone will overwrite). */
  allocate(clone: string, page: number): void;
  /** Fires when the page is present at the clone. */
  whenPresent(clone: string, page: number): Event<unknown>;
  /** The clone's request for a page crosses the LAN to the parent's memory server; fires on arrival. */
  request(clone: string, page: number): Event<unknown>;
  /** Send one page to one clone; present there on arrival. */
  sendPage(page: number, to: string): Transfer;
  /**
   * Multicast one page: one transmission reaching every clone. On arrival the clones in `keep` (read
   * then, so it may grow while the page is in flight) install it, or every clone when `keep` is null.
   */
  multicastPage(page: number, keep: ReadonlySet<string> | null): Transfer;
}

declare module '../../policy.js' {
  interface PolicyContexts {
    fork: ForkContext;
  }
}
