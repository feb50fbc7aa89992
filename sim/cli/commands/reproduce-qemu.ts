// `vmsim reproduce qemu-7.2`: every row of the QEMU 7.2 reference runs (scenarios/reference/qemu-7.2/)
// as a scenario built from that row's parameters and the idle-derived constants (qemu-reference.ts),
// run once each, compared with the measured query-migrate fields (reports/qemu-compare.ts). The
// reference files are read here and handed down as data.
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { applyOverrides, parseSets } from '../../../scenarios/load.js';
import { InThread, load, planRun, resolve, runFiles, type OutputFile } from '../../pipeline/index.js';
import { InputError, messages } from '../../errors.js';
import { intOption, listOption, stringOption, type Args } from '../args.js';
import { packageRoot, readText } from '../io/files.js';
import type { Io } from '../io/io.js';
import { checkOutDir, writeSet } from '../io/output.js';
import type { RunRecord } from '../../results/record.js';
import {
  compareQemu, errorBarsChart, measuredVsSimulatedChart, qemuComparisonCsv, qemuSummary, stoppedRoundLines, QEMU_TARGETS,
  type MeasuredRun, type QemuComparison,
} from '../../../reports/qemu-compare.js';
import { QEMU_FIXED, refuseFixed } from '../reproduce-fixed.js';
import { deriveConstants, parseCsvRecords, parseSeries, rowLayout, rowScenario, type QemuConstants, type ReferenceRow, type SeriesSample } from '../../experiment/qemu-reference.js';

export const QEMU_REFERENCE = 'qemu-7.2';

export interface QemuReproduceArgs {
  seed?: number;
  set: string[];
}

export interface QemuReproduction {
  records: RunRecord[];
  measured: MeasuredRun[];
  constants: QemuConstants;
  comparison: QemuComparison[];
  files: OutputFile[];
  charts: Array<{ name: string; spec: TopLevelSpec }>;
  summary: string;
  wall_s: number;
  events: number;
}

/**
 * query-migrate fields (results.csv columns) under the vmsim metric that means the same thing.
 * dirty-pages-rate and remaining are only in the replies of runs that did not complete.
 */
const QEMU_FIELDS: Record<string, string> = {
  total_time_ms: 'total_time_ms',
  downtime_ms: 'downtime_ms',
  setup_time_ms: 'setup_time_ms',
  transferred_bytes: 'ram_transferred',
  remaining_bytes: 'ram_remaining',
  duplicate_pages: 'ram_duplicate',
  normal_pages: 'ram_normal',
  dirty_sync_count: 'ram_dirty_sync_count',
  dirty_pages_rate: 'ram_dirty_pages_rate',
  precopy_bytes: 'ram_precopy_bytes',
  downtime_bytes: 'ram_downtime_bytes',
  postcopy_bytes: 'ram_postcopy_bytes',
  postcopy_requests: 'ram_postcopy_requests',
  xbzrle_pages: 'xbzrle_pages',
  xbzrle_bytes: 'xbzrle_bytes',
  xbzrle_cache_miss: 'xbzrle_cache_miss',
  xbzrle_overflow: 'xbzrle_overflow',
};

const referenceDir = (): string => join(packageRoot(), 'scenarios', 'reference', QEMU_REFERENCE);

function measuredRun(r: ReferenceRow): MeasuredRun {
  const metrics: Record<string, number> = {};
  for (const [metric, field] of Object.entries(QEMU_FIELDS)) metrics[metric] = r[field] === '' || r[field] === undefined ? NaN : Number(r[field]);
  return {
    row: r.run_id,
    mode: r.mode,
    working_set_mib: Number(r.dirty_mb),
    rate_pages_s: Number(r.dirty_rate_target),
    max_bandwidth_mib_s: Number(r.max_bw_mib_s),
    converged: r.outcome === 'completed',
    metrics,
  };
}

/**
 * The first pass of every run with a series: non-zero pages QEMU sent below the scan position of
 * the last sample before the second sync, against the model's layout below the same position. A
 * diagnostic of the content model (how many pages the idle layout plus the working set predicts).
 */
function firstPassLines(rows: readonly ReferenceRow[], c: QemuConstants, seriesOf: (id: string) => SeriesSample[]): string[] {
  const lines = ['First pass (pages QEMU sent before the second sync): non-zero pages measured vs the model at the same scan position:', ''];
  lines.push('| row | scanned pages | measured | model | difference |', '|---|---:|---:|---:|---:|');
  for (const r of rows) {
    const pass = seriesOf(r.run_id).filter((s) => s.dirty_sync_count === 1);
    const last = pass[pass.length - 1];
    if (last === undefined) continue;
    const scanned = last.ram_normal + last.ram_duplicate;
    let model = 0;
    for (const g of rowLayout(c, (Number(r.dirty_mb) * 1024 * 1024) / c.page_bytes)) if (g.content === 'nonzero' && g.first < scanned) model += Math.min(g.pages, scanned - g.first);
    lines.push(`| ${r.run_id} | ${scanned} | ${last.ram_normal} | ${model} | ${last.ram_normal - model} |`);
  }
  return lines;
}

function constantLines(c: QemuConstants): string[] {
  const mib = (pages: number) => ((pages * c.page_bytes) / 2 ** 20).toFixed(1);
  return [
    'Global constants (sim/experiment/qemu-reference.ts, from the idle rows only):',
    '',
    `- idle guest layout: ${c.layout.length} regions read off the first pass of ${c.layout_from}; ${c.idle_nonzero_pages} non-zero pages (${mib(c.idle_nonzero_pages)} MiB)`,
    `- free memory (where the dirtier's pages go): from page ${c.free_start_page} (${mib(c.free_start_page)} MiB), the start of the idle guest's longest zero run`,
    `- loopback copy rate ${(c.copy_Bps / 1e6).toFixed(0)} MB/s and switch-over cost ${(c.stop_s * 1e3).toFixed(2)} ms: line through (downtime bytes, downtime) of each idle cell's trial with the least downtime`,
    `- set-up time ${(c.setup_s * 1e3).toFixed(2)} ms: mean of the idle rows`,
    '',
  ];
}

/** Build, run and compare every reference row (nothing is written here). */
export function reproduceQemu(args: QemuReproduceArgs): QemuReproduction {
  refuseFixed(QEMU_REFERENCE, args.set, QEMU_FIXED);
  const dir = referenceDir();
  const rows = parseCsvRecords(readText(join(dir, 'results.csv'), 'reference file'));
  const series = new Map<string, SeriesSample[]>();
  const seriesOf = (id: string): SeriesSample[] => {
    let s = series.get(id);
    if (s === undefined) series.set(id, (s = parseSeries(readText(join(dir, 'series', `remaining-${id}.csv`), 'reference file'))));
    return s;
  };
  const constants = deriveConstants(rows, seriesOf);
  const overrides = parseSets(args.set);
  // Every row is built and checked before the first run.
  const scenarios: OutputFile[] = [];
  const planned = rows.map((row) => {
    const file = `${QEMU_REFERENCE} row ${row.run_id}`;
    const doc = rowScenario(row, constants);
    // As `vmsim run` resolves them: the policy's options validated, overridden fields as columns with
    // units; trial 0 seeded as `vmsim run scenarios/<row>.json` seeds it, so the written scenario reruns the row.
    const resolved = resolve(load({ file, doc }, overrides), { trials: 1, seed: args.seed });
    scenarios.push({ name: `scenarios/${row.run_id}.json`, content: JSON.stringify(applyOverrides(doc, overrides, file), null, 2) + '\n' });
    resolved.params = {
      row: row.run_id,
      mode: row.mode,
      working_set_bytes: Number(row.dirty_mb) * 2 ** 20,
      rate_pages_per_s: Number(row.dirty_rate_target),
      max_bandwidth_Bps: Number(row.max_bw_bytes_s),
      ...resolved.params,
    };
    return planRun(resolved);
  });
  const t0 = performance.now();
  const records: RunRecord[] = planned.flatMap((plan) => new InThread().runSync(plan));
  const wall_s = (performance.now() - t0) / 1000;
  const measured = rows.map(measuredRun);
  const comparison = compareQemu(measured, records);
  const notes = [...constantLines(constants), ...stoppedRoundLines(measured, comparison, constants.stop_s), ...firstPassLines(rows, constants, seriesOf)];
  const summary = qemuSummary(measured, comparison, notes);
  const files: OutputFile[] = [
    ...runFiles(records),
    { name: 'comparison.csv', content: qemuComparisonCsv(comparison) },
    { name: 'summary.md', content: summary + '\n' },
    ...scenarios,
  ];
  const charts = [
    { name: 'total-time', spec: measuredVsSimulatedChart(comparison, 'total_time_ms', 'QEMU 7.2: total time, simulated against measured', 'ms') },
    { name: 'transferred', spec: measuredVsSimulatedChart(comparison, 'transferred_bytes', 'QEMU 7.2: bytes transferred, simulated against measured', 'bytes') },
    { name: 'total-time-error', spec: errorBarsChart(comparison, 'total_time_ms', 'QEMU 7.2: total-time error per row', QEMU_TARGETS.time_median) },
  ];
  return { records, measured, constants, comparison, files, charts, summary, wall_s, events: records.reduce((s, r) => s + r.metrics.events, 0) };
}

/** `vmsim reproduce qemu-7.2`: run, render the charts, write the set into --out (default out/qemu-7.2). */
export async function cmdReproduceQemu(a: Args, io: Io): Promise<void> {
  // The model of a row is deterministic: one run each.
  if (a.trials !== undefined) throw new InputError(messages.noTrials(QEMU_REFERENCE));
  refuseFixed(QEMU_REFERENCE, listOption(a, 'set'), QEMU_FIXED);
  const out = stringOption(a, 'out') ?? join('out', QEMU_REFERENCE);
  const outDir = checkOutDir(out, io.cwd);
  const r = reproduceQemu({ seed: intOption(a, 'seed', 0), set: listOption(a, 'set') });
  const { renderSvg } = await import('../../../reports/render.js');
  for (const c of r.charts) {
    r.files.push({ name: `charts/${c.name}.vl.json`, content: JSON.stringify(c.spec, null, 2) + '\n' });
    r.files.push({ name: `charts/${c.name}.svg`, content: (await renderSvg(c.spec)).svg });
  }
  const written = writeSet(outDir, r.files).map((f) => join(out, f.slice(outDir.length + 1)));
  if (a.quiet !== true) {
    const listed = written.filter((f) => !/[\\/]scenarios[\\/]/.test(f));
    io.stdout(
      `${r.summary}\n\n${r.records.length} runs, ${r.events} events, ${r.wall_s.toFixed(2)} s of simulation\n` +
        `wrote ${listed.join(', ')} and ${written.length - listed.length} scenarios in ${join(out, 'scenarios')}\n`,
    );
  }
}
