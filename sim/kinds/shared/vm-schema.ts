// The VM of the kinds that migrate it live (migration, vdi): the scenario language's VM, plus what
// dirty logging costs its guest (docs/models.md, "The guest's cost").
import { z } from 'zod';
import { duration } from '../../fields.js';
import { messages } from '../../errors.js';
import { VmSchema } from '../../../scenarios/schema-common.js';

/** The VM, plus what dirty logging costs it (for the kinds that migrate it live: migration, vdi). */
export const MigratingVm = VmSchema.safeExtend({
  dirty_tracking_cost: duration(
    "guest time each page write costs while the dirty log is on (pre-copy: write-protection faults or PML flushes, e.g. '2us'); counted in tracking_lost_s and guest_lost_s, not fed back into the workload; 0 = free",
    { allowZero: true },
  ).prefault('0s'),
});

/**
 * The migrated VM with its memory model: `pages` (each page's content, dirty bit and presence: the
 * reference, and what policies reading page identities need) or `counted` (counts of pages in each
 * state per working-set group: cost independent of memory size and write rate; docs/models.md).
 */
export const ModelledVm = MigratingVm.safeExtend({
  model: z
    .enum(['pages', 'counted'])
    .default('pages')
    .describe("memory model: 'pages' keeps every page (the reference), 'counted' keeps counts of pages per state and group (fast at any memory size; random, zipf and sequential groups; stop-and-copy, QEMU pre-copy and post-copy)"),
}).superRefine(countedPatterns(messages.countedPattern, ['trace']));

/**
 * On the counted model, the working-set groups it cannot draw are issues at their field: trace
 * groups name pages; a kind that cannot tell whether a sequential group will meet post-copy faults
 * (the cluster, whose migrations choose their policy later) refuses sequential groups too.
 */
export function countedPatterns(message: (pattern: string) => string, refused: readonly string[]) {
  return (vm: z.output<typeof MigratingVm> & { model: 'pages' | 'counted' }, ctx: z.core.$RefinementCtx): void => {
    if (vm.model !== 'counted') return;
    vm.working_set.forEach((g, k) => {
      const pattern = g.writes !== undefined ? 'trace' : (g.pattern ?? (g.zipf !== undefined ? 'zipf' : 'random'));
      if (refused.includes(pattern)) {
        ctx.issues.push({ code: 'custom', path: ['working_set', k, g.writes !== undefined ? 'writes' : 'pattern'], input: pattern, message: message(pattern) });
      }
    });
  };
}
