// At most N migrations at a time per host (as source or destination) and per link direction: whenever
// one ends (or one's start time comes), start the first waiting migration in the chosen order that
// keeps within both limits and whose destination has room (with nothing running and none with room,
// the first that keeps within the limits starts and waits for room).
import { z } from 'zod';
import type { Event } from '../../sim/engine/index.js';
import type { TransferPolicy } from '../../sim/policy.js';
import type { PendingMigration } from '../../sim/kinds/cluster/contract.js';
import { SchedulerFields, checkMigration, inOrder, nextToStart, runOf } from '../shared/cluster.js';

const Options = z.strictObject({
  max_per_host: z.number().int().min(1).default(2).describe('migrations at a time from or to one host'),
  max_per_link: z.number().int().min(1).optional().describe('migrations at a time crossing one link direction (default: no limit)'),
  ...SchedulerFields,
});

export const concurrent: TransferPolicy<'cluster', z.output<typeof Options>> = {
  name: 'concurrent',
  summary: 'at most max_per_host migrations per host (and max_per_link per link) at a time, in the chosen order',
  kind: 'cluster',
  options: Options,
  check: checkMigration,
  *plan(ctx, opts) {
    const run = runOf(opts, ctx.migration);
    const queue = inOrder(ctx.pending, opts.order);
    const perLink = opts.max_per_link ?? Infinity;
    const fits = (m: PendingMigration): boolean =>
      ctx.runningOnHost(m.from) < opts.max_per_host &&
      ctx.runningOnHost(m.to) < opts.max_per_host &&
      m.links.every((l) => ctx.runningOnLink(l) < perLink);
    let running: Event<unknown>[] = [];
    while (queue.length > 0) {
      let k = nextToStart(ctx, queue, fits);
      if (k < 0 && running.length === 0) k = queue.findIndex((m) => m.at_s <= ctx.now && fits(m));
      if (k >= 0) {
        running.push(ctx.start(queue.splice(k, 1)[0], run));
        continue;
      }
      const next = queue.reduce((t, m) => (m.at_s > ctx.now && m.at_s < t ? m.at_s : t), Infinity);
      const waits = Number.isFinite(next) ? [...running, ctx.timeout(next - ctx.now)] : running;
      yield ctx.anyOf(waits);
      running = running.filter((e) => e.state === 'pending');
    }
    yield ctx.allOf(running);
  },
};
