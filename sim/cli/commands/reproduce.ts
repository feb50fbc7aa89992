// `vmsim reproduce NAME`: run a scenario's published experiment (its `reproduce` section: every
// policy at every bandwidth, seeded trials) and write the tables, the comparison with the published
// values and a summary. The scenario and the reference values are read here and handed to the
// platform-neutral experiment (sim/experiment/isr-reproduction.ts) as text and plain data. An
// override of a field the experiment sets itself (ISR_FIXED) is refused; any other is applied to
// every cell and recorded as a column of runs.csv.
import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError, messages } from '../../errors.js';
import { intOption, listOption, stringOption, trialsOption, type Args } from '../args.js';
import { inside, loadNamedScenario, packageRoot, readText } from '../io/files.js';
import type { Loaded } from '../../pipeline/index.js';
import type { Io } from '../io/io.js';
import type { Reference } from '../../../reports/isr-compare.js';
import { checkReference, reproduceIsr, reproduceSection, reproductionFiles, type Reproduction } from '../../experiment/isr-reproduction.js';
import { checkOutDir, writeSet } from '../io/output.js';
import { ISR_FIXED, refuseFixed } from '../reproduce-fixed.js';

export interface ReproduceArgs {
  name: string;
  trials?: number;
  seed?: number;
  out?: string;
  set: string[];
  /** The folder a relative scenario path is read from. */
  cwd?: string;
}

/**
 * The reference file a scenario names: a plain relative path, looked up beside the scenario file
 * (in its folder tree) and then in the shipped reference folder, and nowhere else. Its text is never
 * echoed in a message: it could be any file.
 */
export function readReference(ref: string, scenarioFile: string): Reference {
  const field = `${scenarioFile}, field reproduce.reference`;
  if (isAbsolute(ref) || ref.split(/[\\/]/).some((p) => p === '..' || p === '') || ref.includes('\0')) {
    throw new InputError(messages.badReference(field, ref, 'name a file by a relative path without ".." (beside the scenario, or in scenarios/reference/ of vmsim)'));
  }
  const shipped = join(packageRoot(), 'scenarios', 'reference');
  const candidates = [resolve(dirname(scenarioFile), ref), resolve(shipped, ref)];
  const roots = [dirname(scenarioFile), shipped];
  const isFile = (p: string): boolean => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  };
  const k = candidates.findIndex((c, i) => isFile(c) && inside(c, roots[i]));
  if (k < 0) throw new InputError(messages.badReference(field, ref, `no such file beside the scenario or in ${shipped}`));
  const file = candidates[k];
  let data: unknown;
  try {
    data = JSON.parse(readText(file, 'reference file'));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(messages.badReference(field, ref, `${file} is not valid JSON`));
  }
  return checkReference(data, field, ref, file);
}

/** Run the experiment and build every output but the rendered charts (nothing is written here). */
export function reproduce(args: ReproduceArgs, base?: Loaded): Reproduction {
  refuseFixed(args.name, args.set, ISR_FIXED);
  base ??= loadNamedScenario(args.name, args.set, args.cwd);
  const reference = readReference(reproduceSection(base.scenario, base.file).reference, base.file);
  return reproduceIsr({ name: args.name, base, reference, set: args.set, trials: args.trials, seed: args.seed });
}

export async function cmdReproduce(a: Args, io: Io): Promise<void> {
  // The QEMU reference runs are rows of measurements, not a scenario's experiment: their own module.
  if (String(a.name) === 'qemu-7.2') return (await import('./reproduce-qemu.js')).cmdReproduceQemu(a, io);
  const args: ReproduceArgs = { name: String(a.name), trials: trialsOption(a), seed: intOption(a, 'seed', 0), out: stringOption(a, 'out'), set: listOption(a, 'set'), cwd: io.cwd };
  refuseFixed(args.name, args.set, ISR_FIXED);
  const base = loadNamedScenario(args.name, args.set, io.cwd);
  if (base.note) io.stderr(`vmsim: ${base.note}\n`);
  const out = args.out ?? join('out', base.scenario.name);
  const outDir = checkOutDir(out, io.cwd);
  const r = reproduce(args, base);
  // Charts are rendered after the simulation (vega is loaded only when charts are written).
  const files = await reproductionFiles(r);
  const written = writeSet(outDir, files).map((f) => join(out, f.slice(outDir.length + 1)));
  if (a.quiet !== true) {
    io.stdout(`${r.summary}\n\n${r.records.length} runs, ${r.events} events, ${r.wall_s.toFixed(2)} s of simulation\nwrote ${written.join(', ')}\n`);
  }
}
