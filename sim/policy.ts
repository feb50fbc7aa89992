// The contract between the simulator and transfer policies (like d3's force: a tiny interface the
// simulator owns). A policy is a generator that *acts* through its context; the world *measures*.
// Policy state lives in the generator's locals, never in module state.
import type { z } from 'zod';
import type { Yieldable } from './engine/index.js';
import type { Transfer, XbzrleCache } from './world/index.js';

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

/**
 * The context a policy of each kind acts through, by kind. Each kind declares its own entry beside
 * its context (sim/kinds/<kind>/contract.ts augments this interface), so the kinds are listed once,
 * in the registry (sim/kinds/index.ts).
 */
export interface PolicyContexts {}

export type PolicyKind = keyof PolicyContexts;

/** What a policy may check its options against before any run: facts of the scenario. */
export interface ScenarioFacts {
  kind: PolicyKind;
  /** The migrated VM's page size and memory, where the scenario has one (migration, vdi, fork). */
  page_bytes?: number;
  memory_bytes?: number;
  /** A cluster's migration policy and its options (`migration:`), which its schedulers run. */
  migration?: { policy: string; options: Record<string, unknown> };
  /** The migrated VM's memory model (vm.model), where the scenario has one. */
  memory_model?: 'pages' | 'counted';
  /** Whether the migrated VM has a sequential working-set group (a writer in address order). */
  sequential_writes?: boolean;
  /** A cluster's first VM template on the counted model (vms.N), which its migration policy must support. */
  counted_template?: number;
}

/** A problem with an option, found before any run: its path under `options` and what is wrong. */
export interface OptionProblem {
  path: string;
  message: string;
  /** The field's path from the scenario's top level, for a scenario field the policy checks through its facts (not under options), e.g. vm.model. */
  field?: string;
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
  /** Runs on vm.model: counted (through ctx.countedPending()); any other policy is refused there. */
  readonly counted?: boolean;
  plan(ctx: PolicyContexts[K], opts: O): Generator<Yieldable, void, any>;
}
