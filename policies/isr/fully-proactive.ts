// Fully proactive: the resume site is known in advance, so while the user travels everything it
// lacks is pushed into its cache; on arrival only the local launch remains. If travel is shorter
// than the push, the user waits for the rest.
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';

export const fullyProactive: TransferPolicy<'isr', Record<string, never>> = {
  name: 'fully-proactive',
  summary: 'push all missing state to the known resume site during travel; resume is a local launch',
  kind: 'isr',
  options: z.strictObject({}),
  *plan(ctx) {
    yield ctx.suspend();
    const pushed = ctx.allOf([ctx.fetchImage(), ctx.fetchChunks(ctx.missingChunks())]);
    yield ctx.arrival();
    yield pushed;
    yield ctx.launch();
    yield ctx.runBenchmark((unit) => ctx.serveMiss(unit, []));
  },
};
