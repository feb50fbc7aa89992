// A scenario kind as a plug-in: everything vmsim knows of one kind, in one object the registry
// (sim/kinds/index.ts) lists. Its folder holds the parts: schema.ts (its section of the scenario
// language), build.ts (scenario -> world and the driver's setup), contract.ts (the context its
// policies act through), context.ts (that context over the world), driver.ts (runs a policy and
// measures it), index.ts (this object). docs/adding-a-kind.md says how to add one.
import type { z } from 'zod';
import type { PolicyKind, ScenarioFacts, TransferPolicy } from '../policy.js';
import type { Rows } from '../results/record.js';
import type { Recorder } from '../results/recorder.js';
import type { World } from '../world/index.js';
import type { AddPart } from './shared/cost.js';

/** What a driver returns: metrics, tables of rows, and the metric that says the run reached its goal. */
export interface KindResult {
  metrics: Record<string, number>;
  tables: Record<string, Rows>;
  goal?: string;
}

/** The published experiment a scenario reproduces (`vmsim reproduce`): policies x bandwidths, against reference data. */
export interface ReproduceSpec {
  policies: string[];
  bandwidths: number[];
  reference: string;
}

export interface Kind<K extends PolicyKind = PolicyKind, S extends z.ZodType<{ kind: K }> = z.ZodType<{ kind: K }>, Setup extends { kind: K } = { kind: K }> {
  /** The value of the scenario's `kind` field, and the `kind` of its policies. */
  readonly name: K;
  /** The scenario of this kind: `kind`, the common fields and its own section, with its checks. */
  readonly schema: S;
  /** The world of one run and what the driver needs to know of it. */
  build(s: z.output<S>, seed: number): { world: World; setup: Setup };
  /** Run the policy's plan on the built world and measure it. */
  run(world: World, setup: Setup, policy: TransferPolicy<K>, options: unknown, rec: Recorder): KindResult;
  /** The parts of the model state a run will hold (sim/kinds/shared/cost.ts), before anything is built. */
  estimate(s: z.output<S>, add: AddPart): void;
  /** What a policy's check may look at, beyond the kind. */
  facts(s: z.output<S>): Omit<ScenarioFacts, 'kind'>;
  /** The published experiment the scenario reproduces, for a kind whose scenarios may name one. */
  reproduction?(s: z.output<S>): ReproduceSpec | undefined;
  /** The link bandwidths a first sweep of this kind spans (the explorer's default axis: two decades), when not 10Mbit/s..1Gbit/s. */
  readonly bandwidths?: string;
  /** The scenario field that axis sweeps, when not link.bandwidth. */
  readonly bandwidthPath?: string;
}

/** A kind, its types inferred from its parts. */
export function defineKind<K extends PolicyKind, S extends z.ZodType<{ kind: K }>, Setup extends { kind: K }>(kind: Kind<K, S, Setup>): Kind<K, S, Setup> {
  return kind;
}
