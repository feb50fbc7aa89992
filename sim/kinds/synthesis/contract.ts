// What a VM-synthesis policy sees and does: the contract its plan is written against.
// Imports only the engine, the world and the policy contract, so policies may import it.
import type { Event } from '../../engine/index.js';
import type { Transfer } from '../../world/index.js';
import type { BaseContext } from '../shared/context.js';

/**
 * What a VM-synthesis policy can see and do (Satyanarayanan et al., "The Case for VM-based
 * Cloudlets", 2009). The cloudlet holds the base VM; the mobile device holds the overlay (the
 * compressed binary delta of disk and memory against the base). Synthesis: send the overlay,
 * decompress it, apply it to the base, resume. Each verb takes a piece of the overlay by its
 * compressed size; the world turns it into link, CPU and disk time.
 */
export interface SynthesisContext extends BaseContext {
  /** Compressed overlay bytes (what crosses the link). */
  readonly overlay_bytes: number;
  /** Send this many overlay bytes from the mobile device to the cloudlet. */
  send(bytes: number): Transfer;
  /** Decompress this many overlay bytes on one cloudlet core (time follows the decompressed size). */
  decompress(bytes: number): Event<unknown>;
  /** Apply (patch onto the base VM's images on the cloudlet's disk) this many overlay bytes, decompressed. */
  apply(bytes: number): Event<unknown>;
  /** Resume the synthesised VM: read its memory image from disk and start it; fires when it runs. */
  resume(): Event<unknown>;
}

declare module '../../policy.js' {
  interface PolicyContexts {
    synthesis: SynthesisContext;
  }
}
