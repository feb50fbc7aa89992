// `vmsim predict`: a real VM's migration predicted from its own measurements. The transcript of QMP
// replies (a file, or recorded here from a running QEMU's QMP socket) becomes a migration scenario
// (sim/predict), run as a sweep over max-bandwidth x downtime limit x policy on worker threads, with
// the sweep's outputs plus the prediction table (predict.csv, predict.md, a section of report.html).
// The transcript and the scenario are written beside the outputs, so the prediction can be rerun.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { InputError, Interrupted, closest, messages } from '../../errors.js';
import { stopped } from '../../pipeline/index.js';
import { sweepFiles, PARTIAL_FILES, partialFiles } from '../../experiment/sweep-outputs.js';
import { planPrediction, predictCommand, SCENARIO_FILE, TRANSCRIPT_FILE } from '../../predict/plan.js';
import { PREDICT_VARIANTS } from '../../predict/scenario.js';
import { fitCsv, measurementLines } from '../../predict/summary.js';
import { BANDWIDTH_COLUMN, DOWNTIME_COLUMN, predictCsv, predictHtml, predictMarkdown, predictRows } from '../../../reports/predict.js';
import { intOption, stringOption, trialsOption, type Args } from '../args.js';
import { userPath, type Io } from '../io/io.js';
import { readRegularText } from '../io/read.js';
import { checkOutDir, writeSet } from '../io/output.js';
import { executeOnPool } from './sweep.js';
import type { RunRecord } from '../../results/record.js';

/** Defaults: a span of max-bandwidth around QEMU's own default (128 MiB/s), its default downtime limit (300 ms) and one shorter and one longer. */
export const PREDICT_DEFAULTS = {
  bandwidth: '16MiB/s,64MiB/s,128MiB/s,512MiB/s',
  downtime_limit: '100ms,300ms,1s',
  deadline: '600s',
  trials: 10,
  out: join('out', 'predict'),
};

const SIGNAL_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

function policiesOption(a: Args): string[] {
  const text = stringOption(a, 'policies');
  if (text === undefined) return Object.keys(PREDICT_VARIANTS);
  const names = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const known = Object.keys(PREDICT_VARIANTS);
  for (const n of names) if (!Object.hasOwn(PREDICT_VARIANTS, n)) throw new InputError(messages.predictList('--policies', messages.unknownName('policy', n, known) + (closest(n, known) ? `; did you mean "${closest(n, known)}"?` : '')));
  if (names.length === 0 || new Set(names).size !== names.length) throw new InputError(messages.predictList('--policies', `expected a comma-separated list of different policies from ${known.join(', ')}, got "${text}"`));
  return names;
}

/** A sweep-axis message about one of the prediction's axes, named by the option the user typed. */
function asOption(e: unknown): unknown {
  if (!(e instanceof InputError)) return e;
  const renamed = e.message
    .replace(/--set options\.max_bandwidth=/g, '--bandwidth ')
    .replace(/--set options\.downtime_limit=/g, '--downtime-limit ')
    // --link and --deadline are written into the scenario the prediction builds: name the option.
    .replace(/^scenario\.yaml: field link\.bandwidth: /, '--link: ')
    .replace(/^scenario\.yaml \(variant [^)]*\): field options\.deadline: /, '--deadline: ');
  return renamed === e.message ? e : new InputError(renamed);
}

/** The axis values in the order the records first show them (none: the one value of a policy that has no such axis). */
function valuesOf(records: readonly RunRecord[], column: string): number[] {
  const out: number[] = [];
  for (const r of records) {
    const v = r.params[column];
    if (typeof v === 'number' && !out.includes(v)) out.push(v);
  }
  return out.length > 0 ? out : [NaN];
}

/** The transcript: read from --transcript, or recorded from a running QEMU through --qmp (with progress on stderr). */
async function transcriptText(a: Args, io: Io, quiet: boolean): Promise<{ text: string; file: string }> {
  const file = stringOption(a, 'transcript');
  const socket = stringOption(a, 'qmp');
  if ((file === undefined) === (socket === undefined)) throw new InputError(messages.predictSource());
  if (file !== undefined) return { text: readRegularText(userPath(io, file), 'transcript file'), file };
  const { measureSocket } = await import('../qmp-measure.js');
  const m = await measureSocket(userPath(io, socket!), { onProgress: (t) => quiet || io.stderr(`vmsim: ${t}\n`) });
  return { text: m.lines.join('\n') + '\n', file: `the measurement of ${socket}` };
}

export async function cmdPredict(a: Args, io: Io): Promise<void> {
  const settings = {
    bandwidth: stringOption(a, 'bandwidth') ?? PREDICT_DEFAULTS.bandwidth,
    downtime_limit: stringOption(a, 'downtime-limit') ?? PREDICT_DEFAULTS.downtime_limit,
    policies: policiesOption(a),
    link: stringOption(a, 'link'),
    deadline: stringOption(a, 'deadline') ?? PREDICT_DEFAULTS.deadline,
  };
  const trials = trialsOption(a) ?? PREDICT_DEFAULTS.trials;
  const seed = intOption(a, 'seed', 0) ?? 0;
  const out = stringOption(a, 'out') ?? PREDICT_DEFAULTS.out;
  const outDir = checkOutDir(out, io.cwd);
  const quiet = a.quiet === true;
  const { text, file } = await transcriptText(a, io, quiet);
  const command = predictCommand({ ...settings, transcript: TRANSCRIPT_FILE, trials, seed });
  let p: ReturnType<typeof planPrediction>;
  try {
    p = planPrediction({ ...settings, text, file, trials, seed, command });
  } catch (e) {
    throw asOption(e);
  }
  for (const r of p.ranges) io.stderr(`vmsim: range: ${r}\n`);
  for (const n of p.notes) io.stderr(`vmsim: note: ${n}\n`);
  const workers = Math.min(intOption(a, 'workers', 1, 256) ?? availableParallelism(), Math.max(1, p.plan.jobs.length));
  const ex = await executeOnPool(p.plan, p.plan.jobs, workers, quiet, 'predict', io);
  const records = ex.completed.map((c) => c.record);
  const stop = stopped(ex);
  if (stop !== undefined) {
    const written = stop.keep ? writeSet(outDir, partialFiles(records, p.plan.definition, stop.why)).map((f) => join(out, f.slice(outDir.length + 1))) : [];
    if (ex.outcome === 'cancelled') throw new Interrupted(messages.interrupted(ex.signal!, records.length, p.plan.jobs.length, written.length ? written : ['(nothing: no run had finished)']), SIGNAL_CODES[ex.signal!] ?? 130);
    throw ex.error!;
  }
  const rows = predictRows(records, valuesOf(records, BANDWIDTH_COLUMN), valuesOf(records, DOWNTIME_COLUMN), settings.policies);
  const intro = measurementLines(p.transcript, p.fit, p.ranges, file, p.notes);
  const patterns = p.fit.chosen.length > 1 ? ` of each access pattern` : '';
  const markdown = `# Prediction: ${file}\n\n${trials} trials per setting${patterns}, base seed ${seed} (trial k draws the same inputs at every setting).\n\n${predictMarkdown(rows, intro)}`;
  const own = [
    { name: 'predict.csv', content: predictCsv(rows) },
    { name: 'predict.md', content: markdown },
    { name: 'fit.csv', content: fitCsv(p.fit) },
    { name: SCENARIO_FILE, content: p.scenarioText },
    { name: TRANSCRIPT_FILE, content: text.endsWith('\n') ? text : `${text}\n` },
  ];
  const section = { id: 'prediction', title: 'Prediction', html: predictHtml(rows, intro, own.map((f) => f.name)) };
  const files = [...(await sweepFiles(records, p.plan.definition, { sections: [section] })), ...own];
  const written = writeSet(outDir, files, PARTIAL_FILES).map((f) => join(out, f.slice(outDir.length + 1)));
  if (!quiet) {
    io.stdout(`${markdown}\n${records.length} runs in ${ex.wall_s.toFixed(1)} s on ${workers} worker${workers > 1 ? 's' : ''}\n`);
    io.stdout(`wrote ${written.filter((f) => /(predict\.(csv|md)|report\.html|runs\.csv)$/.test(f)).join(', ')} and ${written.length - 4} more files in ${out}\n`);
  }
}
