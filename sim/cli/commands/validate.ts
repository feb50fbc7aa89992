// `vmsim validate`: load, check and estimate a scenario without building or running anything, so it
// imports no driver, world builder or report (it answers in a fraction of a second).
import { InputError, messages } from '../../errors.js';
import { isPolicyPath } from '../../user-policy.js';
import { parseSets } from '../../../scenarios/load.js';
import { resolve, type Resolved } from '../../pipeline/index.js';
import { listOption, stringOption, type Args } from '../args.js';
import type { Io } from '../io/io.js';
import { loadScenarioAndPolicies } from '../policy-files.js';

/**
 * The scenario, resolved with the policy chosen by --policy or --policy-file (its file loaded) and
 * the trials and seed given (the scenario's when not).
 */
export async function resolvedRun(a: Args, io: Io, runs: { trials?: number; seed?: number } = {}): Promise<Resolved> {
  const flag = stringOption(a, 'policy');
  const file = stringOption(a, 'policy-file');
  if (flag !== undefined && file !== undefined) throw new InputError(messages.policyTwice());
  const files = file !== undefined ? [file] : flag !== undefined && isPolicyPath(flag) ? [flag] : [];
  const loaded = await loadScenarioAndPolicies(String(a.scenario), parseSets(listOption(a, 'set')), io.cwd, files);
  if (loaded.note) io.stderr(`vmsim: ${loaded.note}\n`);
  return resolve(loaded, { policy: file ?? flag, source: file !== undefined ? '--policy-file' : flag !== undefined ? '--policy' : 'file', ...runs });
}

export async function cmdValidate(a: Args, io: Io): Promise<void> {
  const { loaded, policy } = await resolvedRun(a, io);
  io.stdout(`${loaded.file}: ok (${loaded.scenario.kind} scenario "${loaded.scenario.name}", policy ${policy.name})\n`);
}
