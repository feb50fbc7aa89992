// Baseline ISR: at resume, every piece of VM state the resume site lacks (memory image and all
// disk chunks) is fetched before the VM starts. Nothing misses afterwards.
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';

export const baseline: TransferPolicy<'isr', Record<string, never>> = {
  name: 'baseline',
  summary: 'fetch the memory image and every missing disk chunk at resume, then start',
  kind: 'isr',
  options: z.strictObject({}),
  *plan(ctx) {
    yield ctx.suspend();
    yield ctx.arrival();
    yield ctx.allOf([ctx.fetchImage(), ctx.fetchChunks(ctx.missingChunks())]);
    yield ctx.launch();
    yield ctx.runBenchmark((unit) => ctx.serveMiss(unit, []));
  },
};
