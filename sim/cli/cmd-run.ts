// `vmsim run` and `vmsim validate`: one scenario, its trials, its tables.
import { join } from 'node:path';
import { runFiles } from '../api.js';
import { checkBudget } from '../../scenarios/budget.js';
import { TRIALS_MAX, intOption, listOption, stringOption, type Args } from './cli.js';
import { loadScenarioAndPolicies } from './policy-files.js';
import { InputError, messages } from '../errors.js';
import { isPolicyPath } from '../user-policy.js';
import type { Io } from './io.js';
import { PendingFile, checkOutDir, checkOutFile, writeSet } from './output.js';
import { preparePolicy, runTrials } from './runs.js';
import { summaryTable } from './summary.js';

/** The scenario and the policy chosen by --policy or --policy-file (its file loaded), validated. */
async function preparedRun(a: Args, io: Io) {
  const flag = stringOption(a, 'policy');
  const file = stringOption(a, 'policy-file');
  if (flag !== undefined && file !== undefined) throw new InputError(messages.policyTwice());
  const files = file !== undefined ? [file] : flag !== undefined && isPolicyPath(flag) ? [flag] : [];
  const { loaded, policies } = await loadScenarioAndPolicies(String(a.scenario), listOption(a, 'set'), io.cwd, files);
  if (loaded.note) io.stderr(`vmsim: ${loaded.note}\n`);
  return { loaded, prepared: preparePolicy(loaded, file ?? flag, file !== undefined ? '--policy-file' : flag !== undefined ? '--policy' : 'file', policies) };
}

export async function cmdRun(a: Args, io: Io): Promise<void> {
  const seed = intOption(a, 'seed', 0);
  const trials = intOption(a, 'trials', 1, TRIALS_MAX);
  const { loaded, prepared } = await preparedRun(a, io);
  const out = stringOption(a, 'out') ?? join('out', loaded.scenario.name);
  const outDir = checkOutDir(out, io.cwd);
  const tracePath = stringOption(a, 'trace');
  const traceAbs = tracePath === undefined ? undefined : checkOutFile(tracePath, io.cwd, '--trace');
  checkBudget(loaded.scenario, loaded.file);

  const trace = traceAbs === undefined ? undefined : new PendingFile(traceAbs);
  let records;
  try {
    records = runTrials({
      loaded,
      prepared,
      baseSeed: seed ?? loaded.scenario.seed,
      trials: trials ?? loaded.scenario.trials,
      trace: trace === undefined ? undefined : (e) => trace.write(JSON.stringify(e) + '\n'),
    });
  } catch (e) {
    trace?.abort();
    throw e;
  }
  let written: string[];
  try {
    written = writeSet(outDir, runFiles(records));
  } catch (e) {
    trace?.abort();
    throw e;
  }
  trace?.commit();
  if (a.quiet !== true) {
    const shown = written.map((f) => join(out, f.slice(outDir.length + 1)));
    io.stdout(summaryTable(records) + '\n');
    io.stdout(`wrote ${[...shown, ...(tracePath ? [tracePath] : [])].join(', ')}\n`);
  }
}

export async function cmdValidate(a: Args, io: Io): Promise<void> {
  const { loaded, prepared } = await preparedRun(a, io);
  checkBudget(loaded.scenario, loaded.file);
  io.stdout(`${loaded.file}: ok (${loaded.scenario.kind} scenario "${loaded.scenario.name}", policy ${prepared.policy.name})\n`);
}
