// One trial of a planned point: build a fresh world from the validated scenario and the trial's
// seed, run the policy, record. Every executor (execute.ts) runs a job through here, so
// a record depends only on (point, trial, seed), whoever runs it.
//
// When a policy the user wrote fails (it throws, or asks the model for something impossible), the
// error names that policy, its file and the line it threw at, with exit code 3: the bug is in the
// user's code, and vmsim must not call it an internal error or print its own stack.
import { InputError, LimitError, PolicyError, messages } from '../errors.js';
import type { TransferPolicy } from '../policy.js';
import type { RunRecord, TraceEvent } from '../results/record.js';
import { runOne } from '../run.js';
import type { Point } from './plan.js';
import { sourceOf } from '../user-policy.js';
import { POLICIES } from '../../policies/index.js';
import { buildScenario } from '../../scenarios/build.js';
import { checkBudget } from '../../scenarios/budget.js';
import { parseOrThrow, schemaFor, validateScenario } from '../../scenarios/load.js';
import { drawTrial } from '../../scenarios/ranges.js';
import type { Scenario } from '../../scenarios/schema.js';
import { factsOf } from '../kinds/index.js';

export type Trace = (e: TraceEvent & { trial: number }) => void;

/** One trial of a point with its seed. */
export function runTrial(p: Point, policy: TransferPolicy, trial: number, seed: number, trace?: Trace): RunRecord {
  const { scenario, options, drawn } = p.ranges === undefined && p.optionRanges === undefined ? { scenario: p.scenario, options: p.options, drawn: undefined } : drawnInputs(p, policy, trial, seed);
  const { world, setup } = buildScenario(scenario, seed);
  try {
    return runOne({
      scenario: p.scenario.name,
      variant: p.variant,
      world,
      setup,
      policy,
      options,
      seed,
      trial,
      params: p.params,
      ...(drawn === undefined ? {} : { drawn }),
      trace: trace === undefined ? undefined : (e) => trace({ ...e, trial }),
    });
  } catch (e) {
    throw blame(e, policy, world.now);
  }
}

/**
 * The trial's own scenario and options when fields are distributions: each drawn from its stream,
 * then the whole validated again (cross-field checks, the memory budget, the policy's options and
 * check), so a draw the scenario cannot take is bad input naming the trial and what it drew.
 */
function drawnInputs(p: Point, policy: TransferPolicy, trial: number, seed: number): { scenario: Scenario; options: unknown; drawn: Record<string, number> } {
  const fields = p.ranges === undefined ? undefined : drawTrial(p.ranges, schemaFor(p.ranges.doc), seed);
  const opts = p.optionRanges === undefined ? undefined : drawTrial(p.optionRanges, policy.options, seed);
  const shown = [fields?.shown, opts?.shown].filter((t) => t !== undefined).join(', ');
  // the message names the file once, before the trial
  const bare = (detail: string): string => (detail.startsWith(`${p.file}: `) ? detail.slice(p.file.length + 2) : detail);
  const refused = (detail: string): InputError => new InputError(messages.drawnInvalid(trial, shown, bare(detail)), { file: p.file });
  let scenario = p.scenario;
  let options = p.options;
  try {
    if (fields !== undefined) scenario = validateScenario(fields.doc, p.file);
    if (opts !== undefined) options = parseOrThrow(policy.options, opts.doc, p.file, ['options']);
  } catch (e) {
    throw e instanceof InputError ? refused(e.message) : e;
  }
  try {
    checkBudget(scenario, p.file);
  } catch (e) {
    throw e instanceof LimitError ? new LimitError(messages.inScenarioFile(p.file, messages.drawnOverBudget(trial, shown, bare(e.message)))) : e;
  }
  const problems = policy.check?.(options, factsOf(scenario)) ?? [];
  if (problems.length > 0) throw refused(problems.map((q) => messages.inField(undefined, `options.${q.path}`, q.message)).join('; '));
  return { scenario, options, drawn: { ...fields?.drawn, ...opts?.drawn } };
}

/** A failure of a user's policy as a PolicyError naming it; anything else unchanged. */
function blame(e: unknown, policy: TransferPolicy, now: number): unknown {
  if (POLICIES.includes(policy) || e instanceof LimitError) return e;
  const file = sourceOf(policy);
  const err = e instanceof Error ? e : new Error(String(e));
  const kind = err instanceof InputError || err.name === 'Error' || err.name === 'ModelError' ? '' : `${err.name}: `;
  return new PolicyError(messages.policyFailed(policy.name, file, now, `${kind}${err.message}${file === undefined ? '' : where(err, file)}`));
}

/** " (my-policy.js line 12)" when the stack shows where in the policy's file the error was thrown. */
function where(err: Error, source: string): string {
  if (err.stack === undefined) return '';
  for (const line of err.stack.split('\n').slice(1)) {
    const k = line.indexOf(source);
    const m = k < 0 ? null : /^:(\d+):\d+/.exec(line.slice(k + source.length));
    if (m) return ` (${source.split(/[\\/]/).pop()} line ${m[1]})`;
  }
  return '';
}
