// The contract between the simulator and transfer policies (like d3's force: a tiny interface the
// simulator owns). A policy is a generator that *acts* through its context; the world *measures*.
// Policy state lives in the generator's locals, never in module state.
import type { z } from 'zod';
import type { Event, Rng, Yieldable } from './engine/index.js';
import type { Batch, CompressionMode, FaultStream, PageStore, Pipeline, PipelineSpec, Transfer, UnitList, Vm, World, XbzrleCache } from './world/index.js';

export interface SendHow {
  /** Label carried into events and traces. */
  tag?: string;
  /** Upper bound on the sending rate (e.g. QEMU's max-bandwidth). */
  cap_bps?: number;
  /** Strict priority over other transfers on the link: higher goes first (default 0). */
  priority?: number;
}

/** How pages are written into the stream; the world computes each page's wire bytes from its content. */
export interface PageFormat {
  /** Bytes before each page (default 8: QEMU's offset|flags word). */
  header_bytes?: number;
  /** Send a zero page as its header and one byte (default true, QEMU); false sends it whole (Xen). */
  zero_pages?: boolean;
  /** Fixed bytes per send (Xen's batch count). */
  batch_header_bytes?: number;
  /** Re-sent pages found in this cache go as XBZRLE deltas. */
  xbzrle?: XbzrleCache;
  /** Cache generation (the dirty-sync count). */
  generation?: number;
  /** Insert cache misses (false in the last stage). */
  cache_insert?: boolean;
}

export interface StreamHow extends SendHow, PageFormat {
  /** Take no more pages once the wire bytes reach this (the last page may overshoot, as QEMU's). */
  budget_bytes?: number;
  /** Take at most this many pages (Xen's batch). */
  max_pages?: number;
}

/** One send of pages: the transfer carrying them, how many pages, their wire bytes. */
export interface PageSend {
  transfer: Transfer;
  pages: number;
  bytes: number;
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
  /**
   * Send these memory pages to the destination; wire bytes follow their content now, unless
   * `message_bytes` sets the payload (a rule that sizes its own messages: SimGrid counts dirtying in
   * bytes). Either way the pages are present at the destination when the send arrives.
   */
  sendPages(units: UnitList, how?: SendHow & PageFormat & { message_bytes?: number }): Transfer;
  /**
   * Send pages pulled one by one from `next` (a page index, or -1 when there is none) until a
   * budget is reached: QEMU's find-dirty-page-and-save loop. Null when `next` gave nothing.
   */
  streamPages(next: () => number, how?: StreamHow): PageSend | null;
  /** Send opaque state (CPU registers, device state, a request) of the given size; `back` sends to the source. */
  sendBytes(bytes: number, how?: SendHow & { back?: boolean }): Transfer;
  /** Pages written since the last call (bringing the workload up to now), and clear the set: a dirty-bitmap sync. */
  takeDirty(): UnitList;
  /** The dirty bits since the last takeDirty (read only), the workload brought up to now: Xen's PEEK. */
  peekDirty(): Uint8Array;
  /** Slow the vCPUs: dirtying runs at (1 - fraction) of its speed (auto-converge). */
  setThrottle(fraction: number): void;
  /** An XBZRLE page cache of the given size for this VM's pages. */
  xbzrleCache(bytes: number): XbzrleCache;
  /** Accesses of the VM at the destination to pages not there yet (after resume). */
  faults(): FaultStream;
  /** The handoff pipeline on the source host's cores. */
  pipeline(spec: Omit<PipelineSpec, 'vm' | 'cores' | 'hash_Bps'> & { cores?: number }, modes: readonly CompressionMode[]): Pipeline;
  /** Send a pipeline batch; its blocks are present at the destination when it arrives. */
  sendBatch(batch: Batch, how?: SendHow): Transfer;
  /** Stop the vCPUs at the source. */
  suspend(): void;
  /** Start the VM at the destination. */
  resume(): void;
  /** Record a named moment (a round boundary, a switch-over) for the results. */
  mark(name: string, value?: number): void;
  timeout(seconds: number): Event<undefined>;
  allOf(events: readonly Event<unknown>[]): Event<unknown[]>;
  anyOf(events: readonly Event<unknown>[]): Event<Event<unknown>>;
  /** Run a concurrent part of the plan (a background stream); its value when it returns. */
  spawn<R>(body: Generator<Yieldable, R, any>): Event<R>;
  /** A named seeded stream, independent of every other name. */
  random(stream: string): Rng;
}

/** Priorities of the resume site's file-system client (lower is served first). */
export const DEMAND = 0;
export const WRITEBACK = 1;

/**
 * What an Internet Suspend/Resume policy can see and do. The lifecycle: the user suspends at the
 * suspend site (dirty state is written back to the storage server), travels, arrives at the resume
 * site, the VM is launched there (the resume latency runs from arrival to launch), and the
 * benchmark runs there, calling the policy's miss handler for every chunk the cache lacks.
 */
export interface IsrContext {
  readonly world: World;
  readonly now: number;
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
  timeout(seconds: number): Event<undefined>;
  allOf(events: readonly Event<unknown>[]): Event<unknown[]>;
  random(stream: string): Rng;
}

/**
 * What a VM-synthesis policy can see and do (Satyanarayanan et al., "The Case for VM-based
 * Cloudlets", 2009). The cloudlet holds the base VM; the mobile device holds the overlay (the
 * compressed binary delta of disk and memory against the base). Synthesis: send the overlay,
 * decompress it, apply it to the base, resume. Each verb takes a piece of the overlay by its
 * compressed size; the world turns it into link, CPU and disk time.
 */
export interface SynthesisContext {
  readonly world: World;
  readonly now: number;
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
  timeout(seconds: number): Event<undefined>;
  allOf(events: readonly Event<unknown>[]): Event<unknown[]>;
  spawn<R>(body: Generator<Yieldable, R, any>): Event<R>;
  random(stream: string): Rng;
}

/**
 * What a strategy for a desktop VM following its user across cloudlets can see and do. The user
 * interacts with the VM all along (the driver runs that workload, from wherever the VM is); the
 * strategy decides where the VM goes when the user arrives at another cloudlet.
 */
export interface VdiContext {
  readonly world: World;
  readonly vm: Vm;
  readonly now: number;
  /** The next arrival of the user at a cloudlet (its name), or null when the trace has no more. */
  nextArrival(): Event<string | null>;
  /** The cloudlet the user is attached to now. */
  readonly userAt: string;
  /** A migration context for this VM from where it runs now to `to` (pre-copy and its kin run on it). */
  migration(to: string): MigrationContext;
  /** Start the VM at its site after its image arrived (the VMM's launch time); fires when it runs. */
  launch(to: string): Event<unknown>;
  mark(name: string, value?: number): void;
  timeout(seconds: number): Event<undefined>;
  spawn<R>(body: Generator<Yieldable, R, any>): Event<R>;
  random(stream: string): Rng;
}

/**
 * What a VM-fork policy can see and do (Lagar-Cavilla et al., "SnowFlock", EuroSys 2009). A parent
 * VM is cloned onto the clone hosts of one switched LAN: the parent builds a small descriptor, sends
 * it, each clone starts from it and runs its workload, and every first touch of a page the clone
 * lacks calls the policy's fault handler. Pages and the descriptor go unicast (one transmission per
 * clone through the parent's uplink) or multicast (one transmission through the parent's uplink,
 * replicated by the switch onto every clone's downlink).
 */
export interface ForkContext {
  readonly world: World;
  readonly now: number;
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
  mark(name: string, value?: number): void;
  timeout(seconds: number): Event<undefined>;
  allOf(events: readonly Event<unknown>[]): Event<unknown[]>;
  spawn<R>(body: Generator<Yieldable, R, any>): Event<R>;
  random(stream: string): Rng;
}

export interface PolicyContexts {
  migration: MigrationContext;
  isr: IsrContext;
  synthesis: SynthesisContext;
  vdi: VdiContext;
  fork: ForkContext;
}

export type PolicyKind = keyof PolicyContexts;

/** What a policy may check its options against before any run: facts of the scenario. */
export interface ScenarioFacts {
  kind: PolicyKind;
  /** The migrated VM's page size and memory, where the scenario has one (migration, vdi, fork). */
  page_bytes?: number;
  memory_bytes?: number;
}

/** A problem with an option, found before any run: its path under `options` and what is wrong. */
export interface OptionProblem {
  path: string;
  message: string;
}

export interface TransferPolicy<K extends PolicyKind = PolicyKind, O = any> {
  /** Registry key, kebab-case. */
  readonly name: string;
  /** One line for `vmsim policies`. */
  readonly summary: string;
  readonly kind: K;
  /** Options with their defaults and units; validated before t = 0. */
  readonly options: z.ZodType<O>;
  /** Checks of the options against the scenario (e.g. a cache smaller than a page), before any run. */
  check?(opts: O, facts: ScenarioFacts): OptionProblem[];
  plan(ctx: PolicyContexts[K], opts: O): Generator<Yieldable, void, any>;
}
