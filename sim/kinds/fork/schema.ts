// The VM-fork part of the scenario language (Lagar-Cavilla et al., "SnowFlock: Rapid Virtual
// Machine Cloning for Cloud Computing", EuroSys 2009): a parent VM cloned onto `clones` hosts of one
// switched LAN. A small descriptor goes to every clone, the clones start at once and fetch memory
// pages from the parent on demand. Every quantity carries a unit.
import { z } from 'zod';
import { bytes, duration, fraction } from '../../fields.js';
import { Common, LinkSchema, checkUnits, crossChecks, type IssueAt } from '../../../scenarios/schema-common.js';

export const ForkSection = {
  clones: z.number({ error: 'expected a whole number of clones, at least 1' }).int('expected a whole number of clones').min(1, 'at least one clone is needed').describe('number of clone hosts (each runs one clone)'),
  link: LinkSchema.describe("each host's access link to the LAN switch (parent and every clone alike): bandwidth per direction; latency is one-way host to host through the switch"),
  vm: z.strictObject({
    memory: bytes('memory of the parent VM'),
    page_size: bytes('memory page size').prefault('4KiB'),
    page_header: bytes('bytes sent before each page: its page number (vmsim estimate: one 64-bit word)', { allowZero: true }).prefault('8B'),
  }),
  descriptor: z
    .strictObject({
      per_gb: bytes('descriptor bytes per GB (1e9 bytes) of VM memory: page tables and the frame map (SnowFlock: about 1 MB per GB)', { allowZero: true }).prefault('1MB'),
      base: bytes('fixed descriptor bytes: vCPU registers, device state, VM configuration (vmsim estimate)', { allowZero: true }).prefault('64KiB'),
      save: duration('parent pauses and builds the descriptor (vmsim estimate)', { allowZero: true }).prefault('0ms'),
    })
    .prefault({})
    .describe('the VM descriptor, the only state a clone needs to start'),
  clone_start: duration('time a clone host takes to create the VM from the descriptor, once it has arrived (vmsim estimate)', { allowZero: true }).prefault('0ms'),
  workload: z
    .strictObject({
      working_set: bytes('distinct memory each clone touches while it runs'),
      shared_share: fraction('share of each clone\'s working set that is common to all clones (the rest is private to the clone)').prefault('0%'),
      overwrite_share: fraction('share of the touched pages that a clone overwrites before reading them (SnowFlock\'s avoidance heuristics need not fetch them)').prefault('0%'),
      duration: duration('compute time of a clone if no page fault stalled it; its first touches are spread evenly over it'),
    })
    .describe("what each clone does once it runs: first touches of its working set's pages in a seeded random order"),
};

type ForkFields = { clones: number; vm: { memory: number; page_size: number }; workload: { working_set: number; shared_share: number } };

/** Pages a working set covers, its shared pages, and the private pages of each clone. */
export function forkPages(s: ForkFields): { memory: number; working_set: number; shared: number; private: number } {
  const memory = Math.ceil(s.vm.memory / s.vm.page_size);
  const working_set = Math.ceil(s.workload.working_set / s.vm.page_size);
  const shared = Math.round(working_set * s.workload.shared_share);
  return { memory, working_set, shared, private: working_set - shared };
}

/** The working set fits in memory, and so do the shared set and every clone's private set (disjoint by definition). */
export function checkFork(s: ForkFields, issue: IssueAt): void {
  if (!checkUnits(issue, ['vm', 'memory'], s.vm.memory, s.vm.page_size, 'page')) return;
  if (s.vm.page_size > s.vm.memory) {
    issue(['vm', 'page_size'], s.vm.page_size, `the page (${s.vm.page_size} bytes) is larger than memory (${s.vm.memory} bytes)`);
    return;
  }
  const p = forkPages(s);
  if (s.workload.working_set > s.vm.memory) {
    issue(['workload', 'working_set'], s.workload.working_set, `the working set (${s.workload.working_set} bytes) is larger than memory (${s.vm.memory} bytes)`);
  } else if (p.shared + s.clones * p.private > p.memory) {
    issue(
      ['workload', 'working_set'],
      s.workload.working_set,
      `${s.clones} clones touch ${p.shared} shared pages and ${p.private} private pages each, ${p.shared + s.clones * p.private} pages in all, more than memory holds (${p.memory} pages): lower clones or working_set, or raise shared_share`,
    );
  }
}

export const ForkScenario = z
  .strictObject({
    kind: z.literal('fork'),
    ...Common,
    ...ForkSection,
  })
  .superRefine(crossChecks(checkFork));

export type ForkScenarioT = z.output<typeof ForkScenario>;
