// What an Internet Suspend/Resume policy sees and does: the contract its plan is written against.
// Imports only the engine, the world and the policy contract, so policies may import it.
import type { Event } from '../../engine/index.js';
import type { PageStore, UnitList } from '../../world/index.js';
import type { BaseContext } from '../shared/context.js';

/** Priorities of the resume site's file-system client (lower is served first). */
export const DEMAND = 0;
export const WRITEBACK = 1;

/**
 * What an Internet Suspend/Resume policy can see and do. The lifecycle: the user suspends at the
 * suspend site (dirty state is written back to the storage server), travels, arrives at the resume
 * site, the VM is launched there (the resume latency runs from arrival to launch), and the
 * benchmark runs there, calling the policy's miss handler for every chunk the cache lacks.
 */
export interface IsrContext extends BaseContext {
  /** The VM's disk as chunks; presence at `resumeSite` is the resume site's cache. */
  readonly disk: PageStore;
  readonly suspendSite: string;
  readonly resumeSite: string;
  /** Suspend and write the memory image and dirty chunks back to the server. */
  suspend(): Event<unknown>;
  /** Also write the memory image and its lookaside index to a carried device (e.g. a dongle). */
  writeImageTo(device: string): Event<unknown>;
  /** Fires when the user arrives at the resume site. */
  arrival(): Event<unknown>;
  /** Chunks the resume site's cache lacks. */
  missingChunks(): UnitList;
  /**
   * The chunks the session at the suspend site wrote before it suspended (the dirty state the
   * suspend writes back), most recently written first, each once: what a hoarding policy pushes.
   */
  recentWrites(): UnitList;
  /** Whether the memory image is already at the resume site. */
  imageAtResumeSite(): boolean;
  /** Fetch the memory image from the server into the resume site's cache. */
  fetchImage(priority?: number): Event<unknown>;
  /** Read the memory image from a lookaside device at the resume site (verified by hash). */
  readImageFrom(device: string): Event<unknown>;
  /** Fetch chunks from the server into the resume site's cache, one request each, in order. */
  fetchChunks(units: UnitList, priority?: number): Event<unknown>;
  /**
   * Serve one missing chunk: ask the server for its content hash, then read it from the first
   * device that holds that content, else fetch it from the server. Devices may be empty.
   */
  serveMiss(unit: number, devices: readonly string[], priority?: number): Event<unknown>;
  /** Launch the VM at the resume site (image decompression, VMM resume); fires when it runs. */
  launch(): Event<unknown>;
  /** Run the benchmark; every chunk access the cache cannot serve calls `onMiss`. */
  runBenchmark(onMiss: (unit: number, background: boolean) => Event<unknown>): Event<unknown>;
}

declare module '../../policy.js' {
  interface PolicyContexts {
    isr: IsrContext;
  }
}
