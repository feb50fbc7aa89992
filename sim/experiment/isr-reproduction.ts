// An ISR scenario's published experiment (its `reproduce` section): every policy at every bandwidth,
// seeded trials, then the paper's two tables, the comparison with the published values, a summary
// and the report. Platform-neutral: the caller hands in the scenario's text and the reference data
// (the CLI reads both from files, sim/cli/commands/reproduce.ts; the explorer page embeds them).
import type { TopLevelSpec } from 'vega-lite';
import { z } from 'zod';
import { cells, tableCsv, type Cell } from '../../reports/isr-tables.js';
import { compareIsr, comparisonCsv, type Comparison, type Reference } from '../../reports/isr-compare.js';
import { referenceDotsChart, type ReferenceCell } from '../../reports/charts.js';
import { reproductionHtml, type ReproductionReport } from '../../reports/isr-report.js';
import { isrLongCsv, isrRunsCsv, isrSummary } from '../../reports/isr-summary.js';
import { InputError, messages } from '../errors.js';
import type { RunRecord } from '../results/record.js';
import type { Scenario } from '../../scenarios/schema.js';
import { InThread, jobsOf, load, pointOf, resolve, type Loaded, type OutputFile, type Plan } from '../pipeline/index.js';
import { reproductionOf } from '../kinds/index.js';
import type { ReproduceSpec } from '../kinds/kind.js';
import { shellQuote } from './sweep-plan.js';

export interface IsrReproductionInput {
  /** The scenario as the user named it (for the reproducing command). */
  name: string;
  /** The scenario with its overrides, loaded once (sim/pipeline/load.ts). */
  base: Loaded;
  /** The published values, read with readReference (checked with checkReference). */
  reference: Reference;
  /** The overrides as the user wrote them, for the reproducing command and the summary. */
  set: readonly string[];
  trials?: number;
  seed?: number;
  /** Called after each cell's trials with the runs done and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface Reproduction {
  records: RunRecord[];
  files: OutputFile[];
  charts: Array<{ name: string; title: string; spec: TopLevelSpec }>;
  summary: string;
  /** What report.html shows besides the charts (rendered by reproductionFiles). */
  report: Omit<ReproductionReport, 'charts' | 'files'>;
  /** Wall-clock seconds of simulation (the runs only: no loading, no outputs). */
  wall_s: number;
  events: number;
}

const ReferenceShape = z.looseObject({
  figure4_resume_latency_s: z.array(z.looseObject({ policy: z.string(), bandwidth_bps: z.number() })),
  figure5_benchmark_time: z.array(z.looseObject({ policy: z.string(), bandwidth_bps: z.number() })),
});

/** Reference data of the shape the comparison reads; `field` and `where` name it in the message. */
export function checkReference(data: unknown, field: string, ref: string, where: string): Reference {
  const r = ReferenceShape.safeParse(data);
  if (!r.success) {
    const iss = r.error.issues[0];
    throw new InputError(messages.badReference(field, ref, `${where}: field ${iss.path.join('.') || '(top level)'}: ${iss.message.replace(/^Invalid input: /, '')}`));
  }
  return data as Reference;
}

/** The scenario's reproduce section, or an error saying it has none. */
export function reproduceSection(scenario: Scenario, file: string): ReproduceSpec {
  const spec = reproductionOf(scenario);
  if (spec === undefined) throw new InputError(messages.noReproduce(file));
  return spec;
}

/** Run the experiment and build every output but the rendered charts and report.html. */
export function reproduceIsr(args: IsrReproductionInput): Reproduction {
  const base = args.base;
  const spec = reproduceSection(base.scenario, base.file);
  const trials = args.trials ?? base.scenario.trials;
  const seed = args.seed ?? base.scenario.seed;
  // One plan, a point per (bandwidth, policy) cell: every cell loaded and resolved before the first run.
  const points = spec.bandwidths.flatMap((bw) => {
    const loaded = load({ file: base.file, doc: base.raw }, [...base.overrides, { path: 'link.bandwidth', text: `${bw}bit/s`, value: `${bw}bit/s` }], base.policies);
    return spec.policies.map((policy) => {
      const point = pointOf(resolve(loaded, { policy, source: 'field reproduce.policies', trials, seed }));
      const { 'link.bandwidth_bps': _, ...params } = point.params;
      return { ...point, params: { bandwidth_bps: bw, ...params } };
    });
  });
  const plan: Plan = { points, jobs: jobsOf(points, trials, seed), policies: base.policies };
  const t0 = performance.now();
  // Progress after each cell's trials.
  const records = new InThread().runSync(plan, plan.jobs, (job) => job.trial === trials - 1 && args.onProgress?.(job.index + 1, plan.jobs.length));
  const wall_s = (performance.now() - t0) / 1000;
  const resume = cells(records, 'resume_latency_s');
  const slowdown = cells(records, 'slowdown_pct');
  const cmp = compareIsr(args.reference, resume, slowdown, cells(records, 'suspend_state_bytes'));
  const summary = isrSummary(resume, slowdown, cmp, args.set);
  const charts = reproductionCharts(resume, slowdown, cmp);
  const files: OutputFile[] = [
    { name: 'runs.csv', content: isrRunsCsv(records) },
    { name: 'resume-latency.csv', content: tableCsv(resume, 's') },
    { name: 'slowdown.csv', content: tableCsv(slowdown, 'pct') },
    { name: 'results-long.csv', content: isrLongCsv(records, cmp) },
    { name: 'comparison.csv', content: comparisonCsv(cmp) },
    { name: 'summary.md', content: summary + '\n' },
  ];
  const command = ['vmsim reproduce', shellQuote(args.name), ...args.set.map((o) => `--set ${shellQuote(o)}`), `--trials ${trials}`, `--seed ${shellQuote(String(seed))}`].join(' ');
  const report = { title: base.scenario.name, description: base.scenario.description, command, trials, resume, slowdown, comparison: cmp, overrides: [...args.set] };
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

/** Every file `vmsim reproduce` writes: the data files, the charts (spec and SVG) and report.html. */
export async function reproductionFiles(r: Reproduction): Promise<OutputFile[]> {
  // Vega loads only here, after the simulation.
  const { renderSvg } = await import('../../reports/render.js');
  const files = [...r.files];
  const shown: ReproductionReport['charts'] = [];
  for (const c of r.charts) {
    const svg = (await renderSvg(c.spec)).svg;
    files.push({ name: `charts/${c.name}.vl.json`, content: JSON.stringify(c.spec, null, 2) + '\n' });
    files.push({ name: `charts/${c.name}.svg`, content: svg });
    shown.push({ title: c.title, svg, href: `charts/${c.name}.vl.json` });
  }
  files.push({ name: 'report.html', content: reproductionHtml({ ...r.report, charts: shown, files: [...files.map((f) => f.name), 'report.html'] }) });
  return files;
}
