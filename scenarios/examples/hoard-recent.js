// @ts-check
// Internet Suspend/Resume that hoards: while the user travels, push the memory image and the chunks
// written most recently before the suspend to the resume site, so the user finds them there; every
// other chunk is fetched when the resumed VM first touches it (as demand-fetch does). Only `chunks`
// of them are pushed: a short trip leaves time for a few, and recent writes are what the user was
// working on. Run it: vmsim run scenarios/examples/hoard-recent.yaml (docs/policies.md).
import { definePolicy, z } from 'vmsim';

export default definePolicy({
  name: 'hoard-recent',
  summary: 'push the memory image and the most recently written chunks to the resume site during travel; fetch the rest on demand',
  kind: 'isr',
  options: z.strictObject({
    chunks: z.number().int().min(0).default(8).describe('how many of the most recently written chunks to push'),
  }),
  *plan(ctx, opts) {
    yield ctx.suspend(); // the dirty state goes back to the server first
    const recent = ctx.recentWrites().subarray(0, opts.chunks);
    // Both pushes start now and run during travel, through the resume site's file-system client.
    const pushed = ctx.allOf([ctx.fetchImage(), ctx.fetchChunks(recent)]);
    yield ctx.arrival();
    yield pushed; // a trip shorter than the push makes the user wait for the rest
    yield ctx.launch();
    yield ctx.runBenchmark((chunk) => ctx.serveMiss(chunk, []));
  },
});
