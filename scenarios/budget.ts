// What a run will hold, estimated from the validated scenario before anything is built, against
// the scenario's `limits.max_memory`. A run that would not fit stops at once (exit 4) naming the
// fields that make it big, instead of growing for minutes and failing for lack of memory.
//
// The model keeps per-unit state in flat typed arrays (sim/world/memory.ts); the costs below are
// what the builders and drivers allocate per unit, read off the code and checked against the
// array-buffer bytes of built worlds in test/scenarios/budget.test.ts.
import { LimitError, messages } from '../sim/errors.js';
import type { Scenario } from './schema.js';

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

const pagesOf = (bytes: number, unit: number): number => Math.ceil(bytes / unit);

export interface Estimate {
  bytes: number;
  /** The fields that drive the estimate, biggest part first, for the message. */
  parts: Array<{ fields: string; bytes: number }>;
}

export function estimate(s: Scenario): Estimate {
  const parts: Estimate['parts'] = [];
  const add = (fields: string, bytes: number): void => void parts.push({ fields, bytes });
  switch (s.kind) {
    case 'migration':
    case 'vdi': {
      const sites = s.kind === 'vdi' ? s.cloudlets.length + 1 : 2;
      const per = COST.migrationUnit + Math.max(0, sites - 2) * COST.sitePresence;
      add('vm.memory / vm.page_size', pagesOf(s.vm.memory, s.vm.page_size) * per);
      if (s.vm.disk) add('vm.disk.size / vm.disk.block', pagesOf(s.vm.disk.size, s.vm.disk.block) * per);
      const writes = s.vm.working_set.reduce((n, g) => n + (g.writes?.length ?? 0), 0);
      if (writes > 0) add('vm.working_set[].writes', writes * COST.traceWrite);
      // VDI joins every pair of cloudlets by a WAN link.
      add(s.kind === 'vdi' ? 'cloudlets' : 'hosts', (sites + (s.kind === 'vdi' ? (s.cloudlets.length * (s.cloudlets.length - 1)) / 2 : 0)) * COST.site);
      break;
    }
    case 'isr':
      add('vm.disk / vm.chunk', pagesOf(s.vm.disk, s.vm.chunk) * COST.isrChunk);
      add('vm.memory', pagesOf(s.vm.memory, 4096) * COST.isrPage);
      break;
    case 'fork': {
      const pages = pagesOf(s.vm.memory, s.vm.page_size);
      const ws = pagesOf(s.workload.working_set, s.vm.page_size);
      const shared = Math.round(ws * s.workload.shared_share);
      add('clones x vm.memory / vm.page_size', s.clones * pages * COST.clonePage + pages * COST.clonePage);
      add('clones x workload.working_set', (shared + s.clones * (ws - shared)) * COST.forkDraw + s.clones * ws * 4);
      add('clones', (s.clones + 2) * COST.site);
      break;
    }
    case 'synthesis':
      add('cloudlet', 4 * COST.site);
      break;
  }
  parts.sort((a, b) => b.bytes - a.bytes);
  return { bytes: parts.reduce((n, p) => n + p.bytes, 0), parts };
}

/** Stop (exit 4) a run whose estimated state exceeds `limits.max_memory`, naming what makes it big. */
export function checkBudget(s: Scenario, file: string): void {
  const e = estimate(s);
  if (e.bytes > s.limits.max_memory) throw new LimitError(messages.overBudget(file, e.bytes, e.parts[0].fields, s.limits.max_memory));
}
