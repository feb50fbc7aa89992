// `vmsim validate`: load, check and estimate a scenario without building or running anything, so it
// imports no driver, world builder or report (it answers in a fraction of a second).
import { checkBudget } from '../../../scenarios/budget.js';
import { preparePolicy } from '../../choice.js';
import { InputError, messages } from '../../errors.js';
import { isPolicyPath } from '../../user-policy.js';
import { listOption, stringOption, type Args } from '../args.js';
import type { Io } from '../io/io.js';
import { loadScenarioAndPolicies } from '../policy-files.js';

/** The scenario and the policy chosen by --policy or --policy-file (its file loaded), validated. */
export async function preparedRun(a: Args, io: Io) {
  const flag = stringOption(a, 'policy');
  const file = stringOption(a, 'policy-file');
  if (flag !== undefined && file !== undefined) throw new InputError(messages.policyTwice());
  const files = file !== undefined ? [file] : flag !== undefined && isPolicyPath(flag) ? [flag] : [];
  const { loaded, policies } = await loadScenarioAndPolicies(String(a.scenario), listOption(a, 'set'), io.cwd, files);
  if (loaded.note) io.stderr(`vmsim: ${loaded.note}\n`);
  return { loaded, prepared: preparePolicy(loaded, file ?? flag, file !== undefined ? '--policy-file' : flag !== undefined ? '--policy' : 'file', policies) };
}

export async function cmdValidate(a: Args, io: Io): Promise<void> {
  const { loaded, prepared } = await preparedRun(a, io);
  checkBudget(loaded.scenario, loaded.file);
  io.stdout(`${loaded.file}: ok (${loaded.scenario.kind} scenario "${loaded.scenario.name}", policy ${prepared.policy.name})\n`);
}
