// What the Compare box ticks when a scenario is chosen: its variants when it declares some, else its
// own policy and the first others of its kind (three in all), each of which runs with its own
// defaults (sim/choice.ts), so the obvious comparison runs as it opens.
import type { Loaded } from '../api.js';

/** How many policies are ticked at first when the scenario declares no variants. */
export const DEFAULT_POLICIES = 3;

export function defaultTicks(l: Pick<Loaded, 'scenario'>, policiesOfKind: readonly string[]): string[] {
  const variants = Object.keys(l.scenario.variants ?? {});
  if (variants.length > 0) return variants.map((v) => `variant:${v}`);
  const own = l.scenario.policy;
  const others = policiesOfKind.filter((p) => p !== own).slice(0, DEFAULT_POLICIES - (policiesOfKind.includes(own) ? 1 : 0));
  // In the kind's order, the scenario's own among them.
  return policiesOfKind.filter((p) => p === own || others.includes(p)).map((p) => `policy:${p}`);
}
