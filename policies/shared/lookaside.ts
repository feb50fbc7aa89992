// The shape every ISR demand-fetch policy shares: suspend, travel, bring the memory image to the
// resume site (over the network or from a carried device), launch, and serve each miss from the
// first lookaside device holding its content, else the server. Pure demand-fetch is this with no
// devices; the LKA policies are presets of it.
import { z } from 'zod';
import type { TransferPolicy } from '../../sim/policy.js';
import type { IsrContext } from '../../sim/kinds/isr/contract.js';

export const LookasideOptions = z.strictObject({
  image: z.enum(['network', 'dongle']).prefault('network').describe('where the memory image comes from at resume'),
  chunks: z.array(z.enum(['dvd', 'jukebox'])).prefault([]).describe('devices consulted, in order, before the server for a missing chunk'),
});
export type LookasideOpts = z.output<typeof LookasideOptions>;

export function* lookasidePlan(ctx: IsrContext, opts: LookasideOpts) {
  const suspended = ctx.suspend();
  // The dongle is written while the write-back runs; the user takes it when both are done.
  const carried = opts.image === 'dongle' ? ctx.writeImageTo('dongle') : suspended;
  yield ctx.allOf([suspended, carried]);
  yield ctx.arrival();
  yield opts.image === 'dongle' ? ctx.readImageFrom('dongle') : ctx.fetchImage();
  yield ctx.launch();
  yield ctx.runBenchmark((unit) => ctx.serveMiss(unit, opts.chunks));
}

/** A named preset: fixed defaults, same options schema (so `--set options.chunks=[dvd]` still works). */
export function lookasidePreset(name: string, summary: string, defaults: Partial<LookasideOpts>): TransferPolicy<'isr', LookasideOpts> {
  return {
    name,
    summary,
    kind: 'isr',
    // The preset's defaults first, then whatever the scenario sets.
    options: z.preprocess((v) => ({ ...defaults, ...(v !== null && typeof v === 'object' ? v : {}) }), LookasideOptions),
    plan: lookasidePlan,
  };
}
