// `vmsim run`: one scenario, its trials, its tables.
import { join } from 'node:path';
import { InThread, planRun, runFiles } from '../../pipeline/index.js';
import { intOption, stringOption, trialsOption, type Args } from '../args.js';
import { resolvedRun } from './validate.js';
import type { Io } from '../io/io.js';
import { PendingFile, checkOutDir, checkOutFile, writeSet } from '../io/output.js';
import { summaryTable } from '../summary.js';

export async function cmdRun(a: Args, io: Io): Promise<void> {
  const seed = intOption(a, 'seed', 0);
  const trials = trialsOption(a);
  const resolved = await resolvedRun(a, io, { trials, seed });
  const out = stringOption(a, 'out') ?? join('out', resolved.loaded.scenario.name);
  const outDir = checkOutDir(out, io.cwd);
  const tracePath = stringOption(a, 'trace');
  const traceAbs = tracePath === undefined ? undefined : checkOutFile(tracePath, io.cwd, '--trace');

  const trace = traceAbs === undefined ? undefined : new PendingFile(traceAbs);
  let records;
  try {
    records = new InThread({ trace: trace === undefined ? undefined : (e) => trace.write(JSON.stringify(e) + '\n') }).runSync(planRun(resolved));
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
