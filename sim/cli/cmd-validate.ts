// `vmsim validate`: load, check and estimate a scenario without building or running anything, so it
// imports no driver, world builder or report (it answers in a fraction of a second).
import { checkBudget } from '../../scenarios/budget.js';
import { preparePolicy } from './choice.js';
import { listOption, stringOption, type Args } from './cli.js';
import { loadScenario } from './files.js';
import type { Io } from './io.js';

export async function cmdValidate(a: Args, io: Io): Promise<void> {
  const loaded = loadScenario(String(a.scenario), listOption(a, 'set'), io.cwd);
  if (loaded.note) io.stderr(`vmsim: ${loaded.note}\n`);
  const policy = stringOption(a, 'policy');
  const prepared = preparePolicy(loaded, policy);
  checkBudget(loaded.scenario, loaded.file);
  io.stdout(`${loaded.file}: ok (${loaded.scenario.kind} scenario "${loaded.scenario.name}", policy ${prepared.policy.name})\n`);
}
