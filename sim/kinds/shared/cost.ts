// Bytes of model state per unit, for the budget check (scenarios/budget.ts): what the builders and
// drivers allocate per unit, read off the code and checked against the array-buffer bytes of built
// worlds in test/scenarios/budget.test.ts. Each kind's `estimate` adds its parts from these.
import type { VmParams } from '../../../scenarios/schema-common.js';

/** Bytes of model state per unit. */
export const COST = {
  /**
   * A memory page or disk block of a migrated VM: content id (4), class (1), dirty bit (1), dirty
   * list (4), presence at two sites (2), the policy's round bitmap (1), the pages a round sends and
   * a sync takes (4 + 4), an XBZRLE slot (12) when enabled.
   */
  migrationUnit: 32,
  /** Presence of a unit at one more site (a cloudlet). */
  sitePresence: 1,
  /** An ISR disk chunk: store (10), presence at three sites (3), the workload's chunk lists (8), a fetch decode map (1). */
  isrChunk: 24,
  /** An ISR memory page (4 KiB pages of the image's store). */
  isrPage: 12,
  /** A fork clone: its presence map byte per page of memory. */
  clonePage: 1,
  /** A page a fork workload draws: an entry in the sparse shuffle (a Map entry) and in a clone's order. */
  forkDraw: 80,
  /** One replayed write of a working-set trace (time and page). */
  traceWrite: 12,
  /** A host, link or clone's fixed bookkeeping (objects, maps, the network's flow state). */
  site: 4096,
} as const;

/** Adds one part of an estimate: the fields that drive it (named in the message) and its bytes. */
export type AddPart = (fields: string, bytes: number) => void;

export const pagesOf = (bytes: number, unit: number): number => Math.ceil(bytes / unit);

/** A whole VM (memory, disk, a replayed write trace) whose units are present at `sites` sites. */
export function vmEstimate(vm: VmParams, sites: number, add: AddPart): void {
  const per = COST.migrationUnit + Math.max(0, sites - 2) * COST.sitePresence;
  add('vm.memory / vm.page_size', pagesOf(vm.memory, vm.page_size) * per);
  if (vm.disk) add('vm.disk.size / vm.disk.block', pagesOf(vm.disk.size, vm.disk.block) * per);
  const writes = vm.working_set.reduce((n, g) => n + (g.writes?.length ?? 0), 0);
  if (writes > 0) add('vm.working_set[].writes', writes * COST.traceWrite);
}
