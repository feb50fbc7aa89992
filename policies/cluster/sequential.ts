// One migration at a time, in the chosen order: the next starts when the previous has ended (the
// first in the order whose start time has come and whose destination has room; if none has, the
// first whose start time comes next).
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';
import { SchedulerFields, checkMigration, inOrder, nextToStart, runOf } from '../shared/cluster.js';

const Options = z.strictObject({ ...SchedulerFields });

export const sequential: TransferPolicy<'cluster', z.output<typeof Options>> = {
  name: 'sequential',
  summary: 'migrate the VMs one at a time, in the chosen order',
  kind: 'cluster',
  options: Options,
  check: checkMigration,
  *plan(ctx, opts) {
    const run = runOf(opts, ctx.migration);
    const queue = inOrder(ctx.pending, opts.order);
    while (queue.length > 0) {
      let k = nextToStart(ctx, queue);
      if (k < 0) k = queue.reduce((best, m, i) => (m.at_s < queue[best].at_s ? i : best), 0);
      yield ctx.start(queue.splice(k, 1)[0], run);
    }
  },
};
