// The files a finished sweep writes, from its records (in grid order) and its definition only, so a
// single run and a merge of shards produce the same bytes:
//
//   runs.csv               one tidy row per run
//   aggregate.csv          one row per point and metric: n, mean, sd, min, max, 95% interval
//   tables/NAME.csv        per-run tables (rounds, time series) when the driver records them
//   charts/NAME.vl.json    Vega-Lite specs with their data, charts/NAME.svg (and .png with --png):
//                          the kind's headline metrics, every other metric that varies, and the
//                          per-run tables of every variant at one point (detail-*)
//   report.html            everything above in one self-contained page, told in that order
//
// An interrupted sweep writes runs.partial.csv and a PARTIAL note instead (partialFiles).
// Platform-neutral: sweepData is what the explorer page shows (it draws the charts itself), and
// sweepFiles renders the SVGs through vega; PNG (resvg, a native addon) is handed in by the CLI.
import { runsCsv, tableCsv } from '../../reports/csv.js';
import { aggregate, aggregateCsv } from '../../reports/aggregate.js';
import type { Aggregate } from '../../reports/aggregate.js';
import { sweepCharts, type Chart } from '../../reports/sweep-charts.js';
import { detailCharts, pickDetailPoint, type DetailPoint } from '../../reports/detail.js';
import { reportHtml, type ReportChart, type ReportSection } from '../../reports/html.js';
import type { ParamValue, RunRecord } from '../results/record.js';
import { deriveSeed } from '../run.js';
import type { SweepDefinition } from './sweep-plan.js';
import type { OutputFile } from '../pipeline/outputs.js';

/** Files that only an interrupted sweep writes; a complete sweep removes stale ones. */
export const PARTIAL_FILES = ['runs.partial.csv', 'PARTIAL'];

const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_');

type Row = Record<string, ParamValue>;

/** Per-run tables as tidy CSV: the run's identity columns, then the table's own. */
function tableFiles(records: readonly RunRecord[]): OutputFile[] {
  const names: string[] = [];
  for (const r of records) for (const n of Object.keys(r.tables ?? {})) if (!names.includes(n)) names.push(n);
  return names.map((name) => {
    const rows: Row[] = [];
    for (const r of records) {
      for (const t of r.tables?.[name] ?? []) rows.push({ variant: r.variant, policy: r.policy, ...r.params, trial: r.trial, seed: r.seed, ...t });
    }
    const lead = ['variant', 'policy', ...Object.keys(records[0].params), 'trial', 'seed'];
    return { name: `tables/${safeName(name)}.csv`, content: tableCsv(rows, lead) };
  });
}

export interface SweepFileOptions {
  /** Also render every chart to PNG with this (the CLI's --png: resvg, Node only). */
  png?: (svg: string) => Promise<Uint8Array>;
  /** The point the detail charts show (parameter column -> value), from --detail-point. */
  detail?: Record<string, ParamValue>;
  /** A command's own sections of the report (vmsim predict's table), before the results. */
  sections?: ReportSection[];
}

export type SweepChart = Chart & { section: ReportChart['section'] };

/** Everything a sweep shows before any chart is drawn: the data files, statistics and chart specs. */
export interface SweepData {
  aggregate: Aggregate;
  /** runs.csv, aggregate.csv and tables/*.csv. */
  files: OutputFile[];
  /** The point whose per-run tables the detail charts show. */
  point: DetailPoint;
  /** Headline charts, then the detail point's, then every other metric's. */
  charts: SweepChart[];
}

export function sweepData(records: readonly RunRecord[], def: Pick<SweepDefinition, 'scenario' | 'kind'>, detail?: Record<string, ParamValue>): SweepData {
  const agg = aggregate(records);
  const files: OutputFile[] = [
    { name: 'runs.csv', content: runsCsv(records) },
    { name: 'aggregate.csv', content: aggregateCsv(agg) },
    ...tableFiles(records),
  ];
  const point = pickDetailPoint(agg, def.kind, detail);
  const charts: SweepChart[] = [
    ...sweepCharts(agg, def.scenario, def.kind).map((c) => ({ ...c, section: c.headline ? ('headline' as const) : ('more' as const) })),
    ...detailCharts(records, point).map((c) => ({ ...c, section: 'detail' as const })),
  ];
  return { aggregate: agg, files, point, charts };
}

/** Seeds of the trials, as the report lists them. */
export const trialSeeds = (def: Pick<SweepDefinition, 'trials' | 'seed'>): Array<{ trial: number; seed: number }> =>
  Array.from({ length: def.trials }, (_, trial) => ({ trial, seed: deriveSeed(def.seed, `trial:${trial}`) }));

export async function sweepFiles(records: readonly RunRecord[], def: SweepDefinition, opts: SweepFileOptions = {}): Promise<OutputFile[]> {
  const { aggregate: agg, files, point, charts } = sweepData(records, def, opts.detail);
  // Vega loads only here: shards, partial output and bad input never pay for it.
  const { renderSvg } = await import('../../reports/render.js');
  const shown: ReportChart[] = [];
  for (const c of charts) {
    const stem = `charts/${safeName(c.name)}`;
    const { svg } = await renderSvg(c.spec);
    files.push({ name: `${stem}.vl.json`, content: JSON.stringify(c.spec, null, 2) + '\n' }, { name: `${stem}.svg`, content: svg });
    const links = [
      { label: 'Vega-Lite spec', href: `${stem}.vl.json` },
      { label: 'SVG', href: `${stem}.svg` },
    ];
    if (opts.png) {
      files.push({ name: `${stem}.png`, content: await opts.png(svg) });
      links.push({ label: 'PNG', href: `${stem}.png` });
    }
    shown.push({ title: c.title, svg, links, section: c.section, note: c.note });
  }
  const html = reportHtml({
    title: def.title ?? def.scenario,
    description: def.description,
    kind: def.kind,
    command: def.command,
    trials: def.trials,
    baseSeed: def.seed,
    seeds: trialSeeds(def),
    scenarioText: def.scenarioText,
    extraText: def.variants,
    axes: def.axes.map((a) => ({ path: a.path, spec: a.spec, count: a.values.length })),
    runs: def.runs,
    aggregate: agg,
    charts: shown,
    detail: { text: point.text, why: point.why },
    files: files.map((f) => f.name),
    ...(opts.sections === undefined ? {} : { sections: opts.sections }),
  });
  files.push({ name: 'report.html', content: html });
  return files;
}

/** What an interrupted sweep leaves: the completed runs, and a note saying they are not all. */
export function partialFiles(records: readonly RunRecord[], def: SweepDefinition, why: string): OutputFile[] {
  const note = [
    'PARTIAL: this sweep did not finish.',
    '',
    `${why}.`,
    `runs.partial.csv holds the ${records.length} of ${def.runs} runs that completed, in grid order. Every row is`,
    'complete; the runs that had not finished are missing, so the file covers only part of the grid.',
    'Any runs.csv, aggregate.csv, charts/ or report.html in this folder are from an earlier, complete sweep.',
    '',
    `Sweep: ${def.command}`,
    '',
  ].join('\n');
  return [
    { name: 'runs.partial.csv', content: runsCsv(records) },
    { name: 'PARTIAL', content: note },
  ];
}
