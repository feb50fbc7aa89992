// The files a finished sweep writes, from its records (in grid order) and its definition only, so a
// single run and a merge of shards produce the same bytes:
//
//   runs.csv               one tidy row per run
//   aggregate.csv          one row per point and metric: n, mean, sd, min, max, 95% interval
//   tables/NAME.csv        per-run tables (rounds, time series) when the driver records them
//   charts/NAME.vl.json    Vega-Lite specs with their data, charts/NAME.svg (and .png with --png)
//   report.html            everything above in one self-contained page
//
// An interrupted sweep writes runs.partial.csv and a PARTIAL note instead (partialFiles).
import { runsCsv, tableCsv } from '../../reports/csv.js';
import { aggregate, aggregateCsv } from '../../reports/aggregate.js';
import { isrTimelineChart, migrationRemainingChart, migrationRoundsChart, sweepCharts, type Chart } from '../../reports/charts.js';
import { reportHtml, type ReportChart } from '../../reports/html.js';
import type { ParamValue, RunRecord } from '../results/record.js';
import { deriveSeed } from '../run.js';
import type { OutFile } from './output.js';
import type { SweepDefinition } from './sweep.js';

/** Files that only an interrupted sweep writes; a complete sweep removes stale ones. */
export const PARTIAL_FILES = ['runs.partial.csv', 'PARTIAL'];

const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_');

type Row = Record<string, ParamValue>;

/** Per-run tables as tidy CSV: the run's identity columns, then the table's own. */
function tableFiles(records: readonly RunRecord[]): OutFile[] {
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

/**
 * Charts of per-run tables, recognised by their columns: {t_ms, remaining_bytes} (migration
 * progress), {round, bytes} (pre-copy rounds), {phase, start_s, end_s} (ISR timeline). One run per
 * policy is shown: the policy's first point in grid order, trial 0.
 */
function tableCharts(records: readonly RunRecord[]): Chart[] {
  const reps = new Map<string, RunRecord>();
  for (const r of records) if (r.trial === 0 && !reps.has(r.variant)) reps.set(r.variant, r);
  const charts: Chart[] = [];
  const names = new Set<string>();
  for (const r of reps.values()) for (const n of Object.keys(r.tables ?? {})) names.add(n);
  for (const name of names) {
    const rows = [...reps.values()].flatMap((r) => (r.tables?.[name] ?? []).map((t) => ({ ...t, policy: r.variant })));
    if (rows.length === 0) continue;
    const has = (...cols: string[]): boolean => cols.every((c) => c in rows[0]);
    const note = ' (first point of each policy, trial 0)';
    if (has('t_ms', 'remaining_bytes')) {
      charts.push({ name: `table-${safeName(name)}`, title: `Remaining bytes over time${note}`, spec: migrationRemainingChart(rows as never, { title: `Remaining bytes over time${note}` }) });
    } else if (has('round', 'bytes')) {
      charts.push({ name: `table-${safeName(name)}`, title: `Bytes per round${note}`, spec: migrationRoundsChart(rows as never, { title: `Bytes per round${note}` }) });
    } else if (has('phase', 'start_s', 'end_s')) {
      charts.push({ name: `table-${safeName(name)}`, title: `Timeline${note}`, spec: isrTimelineChart(rows as never, { title: `Timeline${note}` }) });
    }
  }
  return charts;
}

export async function sweepFiles(records: readonly RunRecord[], def: SweepDefinition, opts: { png?: boolean } = {}): Promise<OutFile[]> {
  const agg = aggregate(records);
  const files: OutFile[] = [
    { name: 'runs.csv', content: runsCsv(records) },
    { name: 'aggregate.csv', content: aggregateCsv(agg) },
    ...tableFiles(records),
  ];
  const charts = [...sweepCharts(agg, def.scenario), ...tableCharts(records)];
  // Vega loads only here: shards, partial output and bad input never pay for it.
  const { renderPng, renderSvg } = await import('../../reports/render.js');
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
      files.push({ name: `${stem}.png`, content: await renderPng(svg) });
      links.push({ label: 'PNG', href: `${stem}.png` });
    }
    shown.push({ title: c.title, svg, links });
  }
  const html = reportHtml({
    title: def.scenario,
    description: def.description,
    kind: def.kind,
    command: def.command,
    trials: def.trials,
    baseSeed: def.seed,
    seeds: Array.from({ length: def.trials }, (_, trial) => ({ trial, seed: deriveSeed(def.seed, `trial:${trial}`) })),
    scenarioText: def.scenarioText,
    axes: def.axes.map((a) => ({ path: a.path, spec: a.spec, count: a.values.length })),
    runs: def.runs,
    aggregate: agg,
    charts: shown,
    files: files.map((f) => f.name),
  });
  files.push({ name: 'report.html', content: html });
  return files;
}

/** What an interrupted sweep leaves: the completed runs, and a note saying they are not all. */
export function partialFiles(records: readonly RunRecord[], def: SweepDefinition, why: string): OutFile[] {
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
