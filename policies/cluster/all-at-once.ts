// Every migration at once (each from its own start time): they share the links max-min fairly.
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';
import { SchedulerFields, checkMigration, inOrder, runOf } from '../shared/cluster.js';

const Options = z.strictObject({ ...SchedulerFields });

export const allAtOnce: TransferPolicy<'cluster', z.output<typeof Options>> = {
  name: 'all-at-once',
  summary: 'start every migration at once; they share the network',
  kind: 'cluster',
  options: Options,
  check: checkMigration,
  *plan(ctx, opts) {
    const run = runOf(opts, ctx.migration);
    yield ctx.allOf(inOrder(ctx.pending, opts.order).map((m) => ctx.start(m, run)));
  },
};
