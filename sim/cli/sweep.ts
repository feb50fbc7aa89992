// A sweep's plan from the command line: the scenario named by the user (a file or a shipped name) is
// read here (unless the caller read it already), the platform-neutral planner
// (sim/experiment/sweep-plan.ts) expands and validates every point, and the plan gets the
// fingerprint that binds a sweep's shards together (sha256, node:crypto).
import { resolveScenario, readText } from './io/files.js';
import { codeOf, fingerprintOf, type ShardCode } from './shard.js';
import { read, type Read } from '../pipeline/index.js';
import { planSweep, type SweepPlan, type SweepSpec } from '../experiment/sweep-plan.js';

export interface NamedSweepSpec extends Omit<SweepSpec, 'scenario'> {
  /** The folder a relative scenario path is read from (default: the process's). */
  cwd?: string;
  /** The scenario, when the caller read it (or it is not a file: the API's text or object); else read from `scenarioArg`. */
  scenario?: Read;
  /** Said to the user when the scenario name was ambiguous. */
  note?: string;
}

export interface FingerprintedPlan extends SweepPlan {
  /** Hash of what determines the results; shards of one sweep share it. */
  fingerprint: string;
  /** The code its runs use (vmsim's version, its policy files' hashes): part of the fingerprint. */
  code: ShardCode;
  /** Said to the user when the scenario name was ambiguous. */
  note?: string;
}

/** A sweep of a scenario named by the user, planned with its shards' fingerprint. */
export function planNamedSweep(spec: NamedSweepSpec): FingerprintedPlan {
  const { scenario, cwd, note, ...rest } = spec;
  let source = scenario;
  let said = note;
  if (source === undefined) {
    const named = resolveScenario(spec.scenarioArg, cwd ?? process.cwd());
    source = read(named.file, readText(named.file, 'scenario file'));
    said = named.note;
  }
  const plan = planSweep({ ...rest, scenario: source });
  const code = codeOf(plan.policies);
  return { ...plan, code, fingerprint: fingerprintOf(plan.definition, code), note: said };
}
