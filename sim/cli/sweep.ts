// A sweep's plan from the command line: the scenario named by the user (a file or a shipped name) is
// read here, the platform-neutral planner (sim/experiment/sweep-plan.ts) expands and validates every
// point, and the plan gets the fingerprint that binds a sweep's shards together (sha256, node:crypto).
import { resolveScenario, readText } from './io/files.js';
import { fingerprintOf } from './shard.js';
import { planSweep as planCore, type AxisText, type SweepPlan as CorePlan, type SweepSpec as CoreSpec } from '../experiment/sweep-plan.js';

export { pointKey, shellQuote, type AxisText, type PointJob, type RunJob, type SweepDefinition } from '../experiment/sweep-plan.js';

export interface SweepSpec extends Omit<CoreSpec, 'file' | 'scenarioText'> {
  /** The folder a relative scenario path is read from (default: the process's). */
  cwd?: string;
  /** The scenario's text when it is not read from `scenarioArg` (the API: a scenario given as text or an object). */
  source?: { file: string; text: string };
  axes: readonly AxisText[];
}

export interface SweepPlan extends CorePlan {
  /** Hash of what determines the results; shards of one sweep share it. */
  fingerprint: string;
  /** Said to the user when the scenario name was ambiguous. */
  note?: string;
}

export function planSweep(spec: SweepSpec): SweepPlan {
  const { source, cwd, ...rest } = spec;
  const { file, note } = source ? { file: source.file, note: undefined } : resolveScenario(spec.scenarioArg, cwd ?? process.cwd());
  const scenarioText = source?.text ?? readText(file, 'scenario file');
  const plan = planCore({ ...rest, file, scenarioText });
  return { ...plan, fingerprint: fingerprintOf(plan.definition), note };
}
