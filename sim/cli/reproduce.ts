// `vmsim reproduce NAME`: run a scenario's published experiment (its `reproduce` section: every
// policy at every bandwidth, seeded trials) and write the tables, the comparison with the published
// values and a summary. The reference values are read here and handed to reports as plain data.
import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { loadFromText } from '../../scenarios/load.js';
import { checkBudget } from '../../scenarios/budget.js';
import { InputError, messages } from '../errors.js';
import { TRIALS_MAX, intOption, listOption, stringOption, type Args } from './cli.js';
import { inside, loadScenario, packageRoot, readText } from './files.js';
import type { Io } from './io.js';
import { preparePolicy, runTrials } from './runs.js';
import { cells, tableCsv, type Cell } from '../../reports/isr-tables.js';
import { compareIsr, comparisonCsv, type Comparison, type Reference } from '../../reports/isr-compare.js';
import { referenceDotsChart, type ReferenceCell } from '../../reports/charts.js';
import { reproductionHtml, type ReproductionReport } from '../../reports/isr-report.js';
import { shellQuote } from './sweep.js';
import type { TopLevelSpec } from 'vega-lite';
import { isrLongCsv, isrRunsCsv, isrSummary } from '../../reports/isr-summary.js';
import type { RunRecord } from '../results/record.js';
import { checkOutDir, writeSet, type OutFile } from './output.js';

export interface ReproduceArgs {
  name: string;
  trials?: number;
  seed?: number;
  out?: string;
  set: string[];
  /** The folder a relative scenario path is read from. */
  cwd?: string;
}

const ReferenceShape = z.looseObject({
  figure4_resume_latency_s: z.array(z.looseObject({ policy: z.string(), bandwidth_bps: z.number() })),
  figure5_benchmark_time: z.array(z.looseObject({ policy: z.string(), bandwidth_bps: z.number() })),
});

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
  const r = ReferenceShape.safeParse(data);
  if (!r.success) {
    const iss = r.error.issues[0];
    throw new InputError(messages.badReference(field, ref, `${file}: field ${iss.path.join('.') || '(top level)'}: ${iss.message.replace(/^Invalid input: /, '')}`));
  }
  return data as Reference;
}

export interface Reproduction {
  records: RunRecord[];
  files: OutFile[];
  charts: Array<{ name: string; title: string; spec: TopLevelSpec }>;
  summary: string;
  /** What report.html shows besides the charts (rendered by the command). */
  report: Omit<ReproductionReport, 'charts' | 'files'>;
  wall_s: number;
  events: number;
}

/** Run the experiment and build every output (nothing is written here). */
export function reproduce(args: ReproduceArgs): Reproduction {
  const base = loadScenario(args.name, args.set, args.cwd);
  const spec = base.scenario.kind === 'isr' ? base.scenario.reproduce : undefined;
  if (spec === undefined) throw new InputError(messages.noReproduce(base.file));
  const ref = readReference(spec.reference, base.file);
  const trials = args.trials ?? base.scenario.trials;
  const seed = args.seed ?? base.scenario.seed;
  // Every cell is loaded and checked before the first run.
  const cellsToRun = spec.bandwidths.map((bw) => {
    const loaded = loadFromText(base.file, base.text, [...args.set, `link.bandwidth=${bw}bit/s`]);
    checkBudget(loaded.scenario, loaded.file);
    return { bw, loaded, prepared: spec.policies.map((policy) => preparePolicy(loaded, policy, 'field reproduce.policies')) };
  });
  const t0 = performance.now();
  const records: RunRecord[] = [];
  for (const { bw, loaded, prepared: all } of cellsToRun) {
    for (const prepared of all) {
      prepared.params = { bandwidth_bps: bw, ...prepared.params };
      delete prepared.params['link.bandwidth_bps'];
      records.push(...runTrials({ loaded, prepared, baseSeed: seed, trials }));
    }
  }
  const wall_s = (performance.now() - t0) / 1000;
  const resume = cells(records, 'resume_latency_s');
  const slowdown = cells(records, 'slowdown_pct');
  const cmp = compareIsr(ref, resume, slowdown, cells(records, 'suspend_state_bytes'));
  const summary = isrSummary(resume, slowdown, cmp, args.set);
  const charts = reproductionCharts(resume, slowdown, cmp);
  const files: OutFile[] = [
    { name: 'runs.csv', content: isrRunsCsv(records) },
    { name: 'resume-latency.csv', content: tableCsv(resume, 's') },
    { name: 'slowdown.csv', content: tableCsv(slowdown, 'pct') },
    { name: 'results-long.csv', content: isrLongCsv(records, cmp) },
    { name: 'comparison.csv', content: comparisonCsv(cmp) },
    { name: 'summary.md', content: summary + '\n' },
  ];
  const command = ['vmsim reproduce', shellQuote(args.name), ...args.set.map((o) => `--set ${shellQuote(o)}`), `--trials ${trials}`, `--seed ${shellQuote(String(seed))}`].join(' ');
  const report = { title: base.scenario.name, description: base.scenario.description, command, trials, resume, slowdown, comparison: cmp, overrides: args.set };
  return { records, files, charts, summary, report, wall_s, events: records.reduce((s, r) => s + r.metrics.events, 0) };
}

/** Vega-Lite specs of both tables: simulated dots, published values and ranges, misses ringed. */
export function reproductionCharts(resume: readonly Cell[], slowdown: readonly Cell[], cmp: readonly Comparison[]): Array<{ name: string; title: string; spec: TopLevelSpec }> {
  const withReference = (cs: readonly Cell[], table: Comparison['table']): ReferenceCell[] =>
    cs.map((c) => {
      const k = cmp.find((x) => x.table === table && x.policy === c.policy && x.bandwidth_bps === c.bandwidth_bps);
      const range = k?.constraint.match(/^published (\d+(?:\.\d+)?)-(\d+(?:\.\d+)?) s/);
      return {
        ...c,
        published: k?.published ?? undefined,
        published_low: range ? Number(range[1]) : undefined,
        published_high: range ? Number(range[2]) : undefined,
        holds: k?.holds ?? null,
      };
    });
  return [
    { name: 'resume-latency', title: 'Resume latency (s), simulated against published', spec: referenceDotsChart(withReference(resume, 'resume_latency'), { title: 'ISR resume latency (s)', yTitle: 'Resume latency (s, log scale)', logY: true }) },
    { name: 'slowdown', title: 'Slowdown over T_noisr (%), simulated against published', spec: referenceDotsChart(withReference(slowdown, 'slowdown'), { title: 'ISR slowdown over T_noisr (%)', yTitle: 'Slowdown (%, log scale)', logY: true }) },
  ];
}

export async function cmdReproduce(a: Args, io: Io): Promise<void> {
  // The QEMU reference runs are rows of measurements, not a scenario's experiment: their own module.
  if (String(a.name) === 'qemu-7.2') return (await import('./reproduce-qemu.js')).cmdReproduceQemu(a, io);
  const args: ReproduceArgs = { name: String(a.name), trials: intOption(a, 'trials', 1, TRIALS_MAX), seed: intOption(a, 'seed', 0), out: stringOption(a, 'out'), set: listOption(a, 'set'), cwd: io.cwd };
  const base = loadScenario(args.name, args.set, io.cwd);
  if (base.note) io.stderr(`vmsim: ${base.note}\n`);
  const out = args.out ?? join('out', base.scenario.name);
  const outDir = checkOutDir(out, io.cwd);
  const r = reproduce(args);
  // Charts are rendered here, after the simulation (vega is loaded only when charts are written).
  const { renderSvg } = await import('../../reports/render.js');
  const shown: ReproductionReport['charts'] = [];
  for (const c of r.charts) {
    const svg = (await renderSvg(c.spec)).svg;
    r.files.push({ name: `charts/${c.name}.vl.json`, content: JSON.stringify(c.spec, null, 2) + '\n' });
    r.files.push({ name: `charts/${c.name}.svg`, content: svg });
    shown.push({ title: c.title, svg, href: `charts/${c.name}.vl.json` });
  }
  r.files.push({ name: 'report.html', content: reproductionHtml({ ...r.report, charts: shown, files: [...r.files.map((f) => f.name), 'report.html'] }) });
  const written = writeSet(outDir, r.files).map((f) => join(out, f.slice(outDir.length + 1)));
  if (a.quiet !== true) {
    io.stdout(`${r.summary}\n\n${r.records.length} runs, ${r.events} events, ${r.wall_s.toFixed(2)} s of simulation\nwrote ${written.join(', ')}\n`);
  }
}
