// `vmsim reproduce NAME`: run a scenario's published experiment (its `reproduce` section: every
// policy at every bandwidth, seeded trials) and write the tables, the comparison with the published
// values and a summary. The reference values are read here and handed to reports as plain data.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, packageRoot } from '../../scenarios/load.js';
import { InputError, messages } from '../errors.js';
import { preparePolicy, runTrials } from './runs.js';
import { cells, tableCsv, type Cell } from '../../reports/isr-tables.js';
import { compareIsr, comparisonCsv, type Comparison, type Reference } from '../../reports/isr-compare.js';
import { groupedBarsWithReference, type ReferenceCell } from '../../reports/charts.js';
import type { TopLevelSpec } from 'vega-lite';
import { isrRunsCsv, isrSummary } from '../../reports/isr-summary.js';
import type { RunRecord } from '../results/record.js';
import { writeAll, type OutFile } from './output.js';
import { QEMU_REFERENCE, reproduceQemu } from './reproduce-qemu.js';

export interface ReproduceArgs {
  name: string;
  trials?: number;
  seed?: number;
  out?: string;
  set: string[];
}

export interface Reproduction {
  records: RunRecord[];
  files: OutFile[];
  charts: Array<{ name: string; spec: TopLevelSpec }>;
  summary: string;
  wall_s: number;
  events: number;
}

/** Run the experiment and build every output (nothing is written here). */
export function reproduce(args: ReproduceArgs): Reproduction {
  const base = loadScenario(args.name, args.set);
  const spec = base.scenario.kind === 'isr' ? base.scenario.reproduce : undefined;
  if (spec === undefined) throw new InputError(`${base.file}: has no "reproduce" section, so there is no published experiment to reproduce`);
  const trials = args.trials ?? base.scenario.trials;
  const seed = args.seed ?? base.scenario.seed;
  const t0 = performance.now();
  const records: RunRecord[] = [];
  for (const bw of spec.bandwidths) {
    const loaded = loadScenario(args.name, [...args.set, `link.bandwidth=${bw}bit/s`]);
    for (const policy of spec.policies) {
      const prepared = preparePolicy(loaded, policy);
      prepared.params = { bandwidth_bps: bw, ...prepared.params };
      delete prepared.params['link.bandwidth_bps'];
      records.push(...runTrials({ loaded, prepared, baseSeed: seed, trials }));
    }
  }
  const wall_s = (performance.now() - t0) / 1000;
  const ref = JSON.parse(readFileSync(join(packageRoot(), 'scenarios', 'reference', spec.reference), 'utf8')) as Reference;
  const resume = cells(records, 'resume_latency_s');
  const slowdown = cells(records, 'slowdown_pct');
  const cmp = compareIsr(ref, resume, slowdown);
  const summary = isrSummary(resume, slowdown, cmp);
  const charts = reproductionCharts(resume, slowdown, cmp);
  const files: OutFile[] = [
    { name: 'runs.csv', content: isrRunsCsv(records) },
    { name: 'resume-latency.csv', content: tableCsv(resume, 's') },
    { name: 'slowdown.csv', content: tableCsv(slowdown, 'pct') },
    { name: 'comparison.csv', content: comparisonCsv(cmp) },
    { name: 'summary.md', content: summary + '\n' },
  ];
  return { records, files, charts, summary, wall_s, events: records.reduce((s, r) => s + r.metrics.events, 0) };
}

/** Vega-Lite specs of both tables, simulated bars with the published values as markers. */
export function reproductionCharts(resume: readonly Cell[], slowdown: readonly Cell[], cmp: readonly Comparison[]): Array<{ name: string; spec: TopLevelSpec }> {
  const withReference = (cs: readonly Cell[], table: Comparison['table']): ReferenceCell[] =>
    cs.map((c) => {
      const k = cmp.find((x) => x.table === table && x.policy === c.policy && x.bandwidth_bps === c.bandwidth_bps);
      const range = k?.constraint.match(/^published (\d+(?:\.\d+)?)-(\d+(?:\.\d+)?) s/);
      return {
        ...c,
        published: k?.published ?? undefined,
        published_low: range ? Number(range[1]) : undefined,
        published_high: range ? Number(range[2]) : undefined,
      };
    });
  return [
    { name: 'resume-latency', spec: groupedBarsWithReference(withReference(resume, 'resume_latency'), { title: 'ISR resume latency', yTitle: 'resume latency (s, log scale)', logY: true }) },
    { name: 'slowdown', spec: groupedBarsWithReference(withReference(slowdown, 'slowdown'), { title: 'ISR slowdown over T_noisr', yTitle: 'slowdown (%, log scale)', logY: true }) },
  ];
}

export async function cmdReproduce(args: ReproduceArgs & { quiet: boolean }): Promise<void> {
  // The QEMU reference runs are rows of measurements, not a scenario's experiment: their own module.
  if (args.name === QEMU_REFERENCE && args.trials !== undefined) throw new InputError(messages.noTrials(QEMU_REFERENCE));
  const r = args.name === QEMU_REFERENCE ? reproduceQemu(args) : reproduce(args);
  // Charts are rendered here, after the simulation (vega is loaded only when charts are written).
  const { renderSvg } = await import('../../reports/render.js');
  for (const c of r.charts) {
    r.files.push({ name: `charts/${c.name}.vl.json`, content: JSON.stringify(c.spec, null, 2) + '\n' });
    r.files.push({ name: `charts/${c.name}.svg`, content: (await renderSvg(c.spec)).svg });
  }
  const written = writeAll(args.out ?? join('out', args.name), r.files);
  if (!args.quiet) {
    // One line for the per-row scenario files (qemu-7.2 writes one per reference row).
    const scenarios = written.filter((f) => /[\\/]scenarios[\\/][^\\/]+\.json$/.test(f));
    const listed = written.filter((f) => !scenarios.includes(f));
    if (scenarios.length > 0) listed.push(`${scenarios.length} scenarios in ${join(args.out ?? join('out', args.name), 'scenarios')}`);
    process.stdout.write(`${r.summary}\n\n${r.records.length} runs, ${r.events} events, ${r.wall_s.toFixed(2)} s of simulation\nwrote ${listed.join(', ')}\n`);
  }
}
