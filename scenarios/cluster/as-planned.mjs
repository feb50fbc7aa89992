// A cluster scheduler that replays a plan's precedences: each migration starts once the migrations
// it waits for (options.after: vm -> the VMs whose migrations must have ended) have ended, and at
// once if it waits for none. BtrPlace/mVM's executor runs a plan this way (mvm-random1.yaml).
import { definePolicy, listPolicies, z } from 'vmsim';

export default definePolicy({
  name: 'as-planned',
  summary: 'start each migration once the migrations it waits for (options.after) have ended',
  kind: 'cluster',
  options: z.strictObject({ after: z.record(z.string(), z.array(z.string())).default({}) }),
  *plan(ctx, opts) {
    const p = listPolicies('migration').find((x) => x.name === ctx.migration.policy);
    const bound = p.options.parse(ctx.migration.options);
    const run = { policy: p.name, plan: (m) => p.plan(m, bound) };
    const byVm = new Map(ctx.pending.map((m) => [m.vm, m]));
    const ends = new Map();
    const endOf = (vm) => {
      if (!ends.has(vm)) {
        const m = byVm.get(vm);
        if (m === undefined) throw new Error(`options.after names ${vm}, which no migration moves`);
        const deps = (opts.after[vm] ?? []).map(endOf);
        ends.set(vm, deps.length === 0 ? ctx.start(m, run) : ctx.spawn((function* () {
          yield ctx.allOf(deps);
          return yield ctx.start(m, run);
        })()));
      }
      return ends.get(vm);
    };
    yield ctx.allOf(ctx.pending.map((m) => endOf(m.vm)));
  },
});
