// Turning a loaded scenario into runs: resolve and validate the policy and its options, derive
// each trial's seed, build a fresh world per run, and run it. Shared by `run` and later commands.
import type { Loaded } from '../../scenarios/load.js';
import { parseOrThrow } from '../../scenarios/load.js';
import { buildScenario } from '../../scenarios/build.js';
import { findPolicy, policiesOf } from '../../policies/index.js';
import { columnName, unitAt } from '../fields.js';
import { InputError, byCloseness, messages } from '../errors.js';
import { deriveSeed, runOne } from '../run.js';
import type { ScenarioFacts, TransferPolicy } from '../policy.js';
import type { Scenario } from '../../scenarios/schema.js';
import type { ParamValue, RunRecord, TraceEvent } from '../results/record.js';

export interface Prepared {
  policy: TransferPolicy;
  options: unknown;
  params: Record<string, ParamValue>;
}

/** Where a policy name came from, for messages: the scenario file's field, --policy or --set policy. */
export type PolicySource = 'file' | '--policy' | '--set' | `field ${string}`;

/** The policy of this name for the scenario's kind, or an InputError naming where the name came from. */
export function policyFor(loaded: Pick<Loaded, 'file' | 'scenario'>, name: string, source: PolicySource): TransferPolicy {
  const { scenario, file } = loaded;
  const where = source === 'file' ? `${file}, field policy` : source.startsWith('field ') ? `${file}, ${source}` : source === '--policy' ? '--policy' : '--set policy';
  const ofKind = policiesOf(scenario.kind).map((p) => p.name);
  const p = findPolicy(name);
  if (p === undefined) throw new InputError(messages.unknownPolicyOfKind(where, name, scenario.kind, byCloseness(name, ofKind)), { file, path: 'policy' });
  if (p.kind !== scenario.kind) throw new InputError(messages.policyKindAt(where, p.name, p.kind, scenario.kind, ofKind), { file, path: 'policy' });
  return p;
}

/** What a policy's check may look at. */
export function factsOf(s: Scenario): ScenarioFacts {
  if (s.kind === 'migration' || s.kind === 'vdi' || s.kind === 'fork') return { kind: s.kind, page_bytes: s.vm.page_size, memory_bytes: s.vm.memory };
  return { kind: s.kind };
}

/** Resolve the policy (by name, or the scenario's), check its kind, validate its options. */
export function preparePolicy(loaded: Loaded, policyName?: string, source: PolicySource = policyName === undefined ? 'file' : '--policy'): Prepared {
  const { scenario, file } = loaded;
  const fromSet = loaded.overrides.some((o) => o.path === 'policy');
  const policy = policyFor(loaded, policyName ?? scenario.policy, policyName === undefined && fromSet ? '--set' : source);
  const options = parseOrThrow(policy.options, scenario.options, `${file} (options of policy ${policy.name})`, ['options'], loaded.overrides);
  const problems = policy.check?.(options, factsOf(scenario)) ?? [];
  if (problems.length > 0) {
    throw new InputError(`${file} (options of policy ${policy.name}): ${problems.map((p) => messages.inField(undefined, `options.${p.path}`, p.message)).join('; ')}`, { file, path: `options.${problems[0].path}` });
  }
  // Overridden policy options become columns too, with the unit the policy's schema gives them.
  const params: Record<string, ParamValue> = {};
  for (const [col, v] of Object.entries(loaded.params)) {
    // `--set policy=NAME` is already the policy column; a second one would repeat it.
    if (col === 'policy' || col.startsWith('options.')) continue;
    params[col] = v;
  }
  for (const o of loaded.overrides) {
    if (!o.path.startsWith('options.')) continue;
    const sub = o.path.slice('options.'.length);
    let v: unknown = options;
    for (const k of sub.split('.')) v = v === undefined || v === null ? undefined : (v as Record<string, unknown>)[k];
    params[columnName(o.path, unitAt(policy.options, sub))] = typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : o.text;
  }
  return { policy, options, params };
}

export interface RunPlan {
  loaded: Loaded;
  prepared: Prepared;
  baseSeed: number | string;
  trials: number;
  trace?: (e: TraceEvent & { trial: number }) => void;
}

/** Run every trial. Trial k's seed depends only on (base seed, k): common random numbers across policies. */
export function runTrials(plan: RunPlan): RunRecord[] {
  try {
    return runAll(plan);
  } catch (e) {
    throw inFile(e, plan.loaded.file);
  }
}

/** A bad-input error found while a run was built or ran names the scenario file too. */
export function inFile(e: unknown, file: string): unknown {
  if (e instanceof InputError && !e.message.startsWith(file)) return new InputError(`${file}: ${e.message}`, { ...e.where, file });
  return e;
}

function runAll(plan: RunPlan): RunRecord[] {
  const out: RunRecord[] = [];
  for (let trial = 0; trial < plan.trials; trial++) {
    const seed = deriveSeed(plan.baseSeed, `trial:${trial}`);
    const { world, setup } = buildScenario(plan.loaded.scenario, seed);
    const trace = plan.trace;
    out.push(
      runOne({
        scenario: plan.loaded.scenario.name,
        world,
        setup,
        policy: plan.prepared.policy,
        options: plan.prepared.options,
        seed,
        trial,
        params: plan.prepared.params,
        trace: trace === undefined ? undefined : (e) => trace({ ...e, trial }),
      }),
    );
  }
  return out;
}
