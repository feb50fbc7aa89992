// `vmsim run`: one scenario, its trials, its tables.
import { join } from 'node:path';
import { InThread, planRun, runFiles } from '../../pipeline/index.js';
import { intOption, stringOption, trialsOption, type Args } from '../args.js';
import { resolvedRun } from './validate.js';
import type { Io } from '../io/io.js';
import { PendingFile, checkOutDir, checkOutFile, writeSet } from '../io/output.js';
import { summaryTable } from '../summary.js';
import { InputError, messages } from '../../errors.js';
import type { Trace } from '../../pipeline/index.js';
import { PerfettoTrace } from '../../results/perfetto.js';
import { ownPolicy, runsOwnDefaults } from '../../choice.js';

const TRACE_FORMATS = ['jsonl', 'perfetto'] as const;

/** --trace-format, else by the file's name: `.json` is Perfetto's trace-event JSON, anything else JSON lines. */
function traceFormat(a: Args, path: string): (typeof TRACE_FORMATS)[number] {
  const given = stringOption(a, 'trace-format');
  if (given === undefined) return /\.json$/i.test(path) ? 'perfetto' : 'jsonl';
  const f = TRACE_FORMATS.find((x) => x === given);
  if (f === undefined) throw new InputError(messages.badTraceFormat(given, TRACE_FORMATS));
  return f;
}

/** A writer of world events into `file` in `format`, and what to call once the last one is in. */
function traceWriter(file: PendingFile, format: (typeof TRACE_FORMATS)[number]): { trace: Trace; end: () => void } {
  if (format === 'jsonl') return { trace: (e) => file.write(JSON.stringify(e) + '\n'), end: () => undefined };
  const p = new PerfettoTrace((s) => file.write(s));
  return { trace: (e) => p.event(e), end: () => p.end() };
}

export async function cmdRun(a: Args, io: Io): Promise<void> {
  const seed = intOption(a, 'seed', 0);
  const trials = trialsOption(a);
  const resolved = await resolvedRun(a, io, { trials, seed });
  const out = stringOption(a, 'out') ?? join('out', resolved.loaded.scenario.name);
  const outDir = checkOutDir(out, io.cwd);
  const tracePath = stringOption(a, 'trace');
  const format = tracePath === undefined ? undefined : traceFormat(a, tracePath);
  if (tracePath === undefined && a['trace-format'] !== undefined) throw new InputError(messages.traceFormatWithoutTrace());
  const traceAbs = tracePath === undefined ? undefined : checkOutFile(tracePath, io.cwd, '--trace');

  const trace = traceAbs === undefined ? undefined : new PendingFile(traceAbs);
  const writer = trace === undefined ? undefined : traceWriter(trace, format!);
  let records;
  try {
    records = new InThread({ trace: writer?.trace }).runSync(planRun(resolved));
    writer?.end();
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
    const own = ownPolicy(resolved.loaded.raw, resolved.policies);
    if (own !== undefined && resolved.variant === resolved.policy.name && runsOwnDefaults(resolved.policy, resolved.loaded, resolved.policies)) io.stdout(messages.ownDefaults([resolved.policy.name], own) + '\n');
    io.stdout(`wrote ${[...shown, ...(tracePath ? [tracePath] : [])].join(', ')}\n`);
  }
}
