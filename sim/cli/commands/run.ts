// `vmsim run`: one scenario, its trials, its tables.
import { join } from 'node:path';
import { runFiles } from '../../api.js';
import { checkBudget } from '../../../scenarios/budget.js';
import { intOption, listOption, stringOption, type Args } from '../args.js';
import { MAX_TRIALS } from '../../../scenarios/schema-common.js';
import { preparedRun } from './validate.js';
import type { Io } from '../io/io.js';
import { PendingFile, checkOutDir, checkOutFile, writeSet } from '../io/output.js';
import { runTrials } from '../../experiment/run-plan.js';
import { summaryTable } from '../summary.js';

export async function cmdRun(a: Args, io: Io): Promise<void> {
  const seed = intOption(a, 'seed', 0);
  const trials = intOption(a, 'trials', 1, MAX_TRIALS);
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
