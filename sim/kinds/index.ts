// The registry of scenario kinds: one line per kind. Everything that depends on the kind (the
// scenario schema, the build, the run, the budget, the facts a policy checks) goes through here.
import { InputError, messages } from '../errors.js';
import type { ScenarioFacts } from '../policy.js';
import type { z } from 'zod';
import type { Kind, ReproduceSpec } from './kind.js';
import { migration } from './migration/index.js';
import { isr } from './isr/index.js';
import { synthesis } from './synthesis/index.js';
import { vdi } from './vdi/index.js';
import { fork } from './fork/index.js';
import { cluster } from './cluster/index.js';

export const KINDS = [migration, isr, synthesis, vdi, fork, cluster] as const;

/** A validated scenario of any kind (scenarios/schema.ts unites the kinds' schemas into ScenarioSchema). */
type Scenario = z.output<(typeof KINDS)[number]['schema']>;

/** The setup a kind's build hands its driver, of any kind. */
export type Setup = ReturnType<(typeof KINDS)[number]['build']>['setup'];

const byName = new Map<string, Kind<any, any, any>>(KINDS.map((k) => [k.name, k]));

/** The kind of this name (a validated scenario's, a setup's, a policy's). */
export function kindOf(name: string): Kind<any, any, any> {
  const k = byName.get(name);
  if (k === undefined) throw new InputError(messages.unknownName('scenario kind', name, [...byName.keys()]));
  return k;
}

/** What a policy's check may look at. */
export function factsOf(s: Scenario): ScenarioFacts {
  return { kind: s.kind, ...kindOf(s.kind).facts(s) };
}

/** The published experiment the scenario reproduces, if its kind has such and it names one. */
export function reproductionOf(s: Scenario): ReproduceSpec | undefined {
  return kindOf(s.kind).reproduction?.(s);
}

/** The link bandwidths a first sweep of the kind spans (the explorer's default axis). */
export function defaultBandwidths(kind: string): string {
  return kindOf(kind).bandwidths ?? '10Mbit/s..1Gbit/s:log:5';
}

/** The scenario field the explorer's bandwidth axis sweeps. */
export function defaultBandwidthPath(kind: string): string {
  return kindOf(kind).bandwidthPath ?? 'link.bandwidth';
}
