// One migration at a time, in the chosen order: the next starts when the previous has ended.
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';
import { SchedulerFields, inOrder, runOf } from '../shared/cluster.js';

const Options = z.strictObject({ ...SchedulerFields });

export const sequential: TransferPolicy<'cluster', z.output<typeof Options>> = {
  name: 'sequential',
  summary: 'migrate the VMs one at a time, in the chosen order',
  kind: 'cluster',
  options: Options,
  *plan(ctx, opts) {
    const run = runOf(opts, ctx.migration);
    for (const m of inOrder(ctx.pending, opts.order)) yield ctx.start(m, run);
  },
};
