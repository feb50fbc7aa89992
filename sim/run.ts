// One run: a built world, a policy and its options, a seed -> a RunRecord. Deterministic: the same
// inputs give the same record. Each scenario kind's driver is its sim/kinds/<kind>/driver.ts.
import type { TransferPolicy } from './policy.js';
import type { ParamValue, RunRecord, TraceEvent } from './results/record.js';
import { Recorder } from './results/recorder.js';
import { InputError, messages } from './errors.js';
import type { World } from './world/index.js';
import { kindOf, type Setup } from './kinds/index.js';
import type { KindResult } from './kinds/kind.js';

export interface RunInput {
  scenario: string;
  /** The name the run carries (a variant's, or the policy's). */
  variant?: string;
  world: World;
  setup: Setup;
  policy: TransferPolicy;
  options: unknown;
  seed: number;
  trial: number;
  params?: Record<string, ParamValue>;
  /** Inputs drawn for this trial from distributions, column -> value in base units. */
  drawn?: Record<string, number>;
  trace?: (e: TraceEvent) => void;
}

export function runOne(input: RunInput): RunRecord {
  const { world, setup, policy } = input;
  if (policy.kind !== setup.kind) throw new InputError(messages.policyKind(policy.name, policy.kind, setup.kind));
  const rec = new Recorder(world.observe, input.trace);
  let result: KindResult;
  try {
    result = kindOf(setup.kind).run(world, setup, policy, input.options, rec);
  } finally {
    rec.detach();
  }
  const metrics = { ...result.metrics, events: world.sim.processed };
  // Every table row carries the run's identity, so tables of many runs concatenate into one CSV.
  const variant = input.variant ?? policy.name;
  const id = { scenario: input.scenario, variant, policy: policy.name, seed: input.seed, trial: input.trial };
  const tables: Record<string, Array<Record<string, ParamValue>>> = {};
  for (const [name, rows] of Object.entries(result.tables)) tables[name] = rows.map((r) => ({ ...id, ...r }));
  return {
    scenario: input.scenario,
    kind: setup.kind,
    variant,
    policy: policy.name,
    seed: input.seed,
    trial: input.trial,
    params: input.params ?? {},
    ...(input.drawn === undefined ? {} : { drawn: input.drawn }),
    metrics,
    ...(result.goal === undefined ? {} : { goal: result.goal }),
    tables,
  };
}

/**
 * The seed of one run, from the base seed and the run's key (not its position), so adding runs
 * never changes the seeds of the others. FNV-1a over the text, folded to a uint32.
 */
export function deriveSeed(base: number | string, key: string): number {
  let h = 0x811c9dc5;
  const text = `${base}|${key}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
