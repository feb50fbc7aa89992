// What a run will hold, estimated from the validated scenario before anything is built, against
// the scenario's `limits.max_memory`. A run that would not fit stops at once (exit 4) naming the
// fields that make it big, instead of growing for minutes and failing for lack of memory.
//
// The model keeps per-unit state in flat typed arrays (sim/world/memory.ts); each kind estimates its
// parts (its index.ts) from the costs per unit in sim/kinds/shared/cost.ts.
import { LimitError, messages } from '../sim/errors.js';
import { kindOf } from '../sim/kinds/index.js';
import type { Scenario } from './schema.js';

export interface Estimate {
  bytes: number;
  /** The fields that drive the estimate, biggest part first, for the message. */
  parts: Array<{ fields: string; bytes: number }>;
}

export function estimate(s: Scenario): Estimate {
  const parts: Estimate['parts'] = [];
  kindOf(s.kind).estimate(s, (fields: string, bytes: number): void => void parts.push({ fields, bytes }));
  parts.sort((a, b) => b.bytes - a.bytes);
  return { bytes: parts.reduce((n, p) => n + p.bytes, 0), parts };
}

/** Stop (exit 4) a run whose estimated state exceeds `limits.max_memory`, naming what makes it big. */
export function checkBudget(s: Scenario, file: string): void {
  const e = estimate(s);
  if (e.bytes > s.limits.max_memory) throw new LimitError(messages.overBudget(file, e.bytes, e.parts[0].fields, s.limits.max_memory));
}
