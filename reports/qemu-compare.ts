// The QEMU 7.2 reproduction against the measured runs: one comparison row per (reference row,
// metric), the fidelity targets over them, a markdown summary and charts of simulated against
// measured. Measured values come in as plain data (the CLI reads the reference files); simulated
// ones from run records, matched by the record's `row` parameter.
import { stringify } from 'csv-stringify/sync';
import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../sim/results/record.js';
import { cell } from './csv.js';
import { VEGA_LITE_SCHEMA } from './charts.js';

/** One measured migration, its query-migrate fields under vmsim's metric names (NaN: QEMU gave none). */
export interface MeasuredRun {
  row: string;
  mode: string;
  working_set_mib: number;
  rate_pages_s: number;
  max_bandwidth_mib_s: number;
  converged: boolean;
  metrics: Record<string, number>;
}

export interface QemuComparison {
  row: string;
  mode: string;
  metric: string;
  measured: number;
  simulated: number;
  /** simulated / measured - 1, or simulated - measured for counts of syncs and the verdict. */
  error: number;
  target: string;
  /** Whether this row meets its own target; null where the target is over a set of rows (or none). */
  holds: boolean | null;
}

/** The fidelity targets of issue 11 (QEMU parts). */
export const QEMU_TARGETS = {
  /** Median |relative error| of total time over converging pre-copy rows with a working set. */
  time_median: 0.05,
  /** |simulated - measured| dirty-sync count in every converging row. */
  sync_abs: 2,
  /** Median |relative error| of transferred bytes over all rows. */
  bytes_median: 0.05,
  /** |relative error| of total time and bytes in every xbzrle and post-copy row. */
  mode_rows: 0.1,
  /** Median |relative error| of downtime over converging rows (issue 21, item 5). */
  downtime_median: 0.25,
} as const;

/** Metrics compared with a difference rather than a ratio. */
const DIFFERENCE = new Set(['converged', 'dirty_sync_count']);

/** Which metrics each row is compared on (QEMU leaves the others out of its reply or at 0). */
function metricsOf(m: MeasuredRun): string[] {
  const out = ['converged', 'total_time_ms', 'transferred_bytes', 'dirty_sync_count', 'normal_pages', 'duplicate_pages'];
  if (m.converged) out.push('downtime_ms', 'precopy_bytes', 'downtime_bytes');
  else out.push('dirty_pages_rate', 'remaining_bytes');
  if (m.mode === 'xbzrle') out.push('xbzrle_pages', 'xbzrle_bytes', 'xbzrle_cache_miss');
  if (m.mode === 'postcopy') out.push('postcopy_bytes', 'postcopy_requests');
  return out;
}

const inTimeSet = (m: MeasuredRun): boolean => m.mode === 'precopy' && m.working_set_mib > 0 && m.converged;

function targetOf(m: MeasuredRun, metric: string, error: number): { target: string; holds: boolean | null } {
  const pct = (x: number) => `${x * 100}%`;
  if (metric === 'converged') return { target: 'same verdict', holds: error === 0 };
  if (metric === 'dirty_sync_count' && m.converged) return { target: `|error| <= ${QEMU_TARGETS.sync_abs}`, holds: Math.abs(error) <= QEMU_TARGETS.sync_abs };
  if (m.mode !== 'precopy' && (metric === 'total_time_ms' || metric === 'transferred_bytes')) {
    return { target: `|error| <= ${pct(QEMU_TARGETS.mode_rows)}`, holds: Math.abs(error) <= QEMU_TARGETS.mode_rows };
  }
  if (metric === 'total_time_ms' && inTimeSet(m)) return { target: `median |error| <= ${pct(QEMU_TARGETS.time_median)} over converging pre-copy rows with a working set`, holds: null };
  if (metric === 'transferred_bytes') return { target: `median |error| <= ${pct(QEMU_TARGETS.bytes_median)} over all rows`, holds: null };
  if (metric === 'downtime_ms') return { target: `median |error| <= ${pct(QEMU_TARGETS.downtime_median)} over converging rows`, holds: null };
  return { target: '', holds: null };
}

export function compareQemu(measured: readonly MeasuredRun[], records: readonly RunRecord[]): QemuComparison[] {
  const out: QemuComparison[] = [];
  for (const m of measured) {
    const rec = records.find((r) => r.params.row === m.row);
    if (rec === undefined) throw new Error(`no simulated run for reference row ${m.row}`);
    for (const metric of metricsOf(m)) {
      const meas = metric === 'converged' ? (m.converged ? 1 : 0) : (m.metrics[metric] ?? NaN);
      // QEMU's total-time is how long the migration ran, cancelled or not: the simulated elapsed_ms
      // (total_time_ms is missing for a run that did not converge).
      const sim = (metric === 'total_time_ms' ? rec.metrics.elapsed_ms : rec.metrics[metric]) ?? NaN;
      const error = DIFFERENCE.has(metric) ? sim - meas : meas !== 0 ? sim / meas - 1 : NaN;
      out.push({ row: m.row, mode: m.mode, metric, measured: meas, simulated: sim, error, ...targetOf(m, metric, error) });
    }
  }
  return out;
}

export function median(xs: readonly number[]): number {
  const a = [...xs].sort((x, y) => x - y);
  const n = a.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? a[(n - 1) / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
}

export interface TargetResult {
  name: string;
  target: string;
  value: string;
  rows: number;
  holds: boolean;
}

/** The targets over the comparison rows. */
export function qemuTargets(measured: readonly MeasuredRun[], cmp: readonly QemuComparison[]): TargetResult[] {
  const of = (metric: string, keep: (m: MeasuredRun) => boolean) => cmp.filter((c) => c.metric === metric && keep(measured.find((m) => m.row === c.row)!));
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const time = of('total_time_ms', inTimeSet).map((c) => Math.abs(c.error));
  const verdicts = of('converged', () => true);
  const syncs = of('dirty_sync_count', (m) => m.converged).map((c) => Math.abs(c.error));
  const bytes = of('transferred_bytes', () => true).map((c) => Math.abs(c.error));
  const modes = cmp.filter((c) => c.mode !== 'precopy' && (c.metric === 'total_time_ms' || c.metric === 'transferred_bytes'));
  const modeMax = Math.max(...modes.map((c) => Math.abs(c.error)));
  const downtime = of('downtime_ms', (m) => m.converged).map((c) => Math.abs(c.error));
  return [
    { name: 'total time', target: `median |error| <= ${pct(QEMU_TARGETS.time_median)} (converging pre-copy rows with a working set)`, value: pct(median(time)), rows: time.length, holds: median(time) <= QEMU_TARGETS.time_median },
    { name: 'verdicts', target: 'every converged / not-converged verdict right', value: `${verdicts.filter((c) => c.holds).length} of ${verdicts.length}`, rows: verdicts.length, holds: verdicts.every((c) => c.holds) },
    { name: 'dirty-sync count', target: `within ±${QEMU_TARGETS.sync_abs} in every converging row`, value: `max |error| ${Math.max(...syncs)}`, rows: syncs.length, holds: Math.max(...syncs) <= QEMU_TARGETS.sync_abs },
    { name: 'bytes transferred', target: `median |error| <= ${pct(QEMU_TARGETS.bytes_median)} (all rows)`, value: pct(median(bytes)), rows: bytes.length, holds: median(bytes) <= QEMU_TARGETS.bytes_median },
    { name: 'xbzrle and post-copy rows', target: `total time and bytes within ${pct(QEMU_TARGETS.mode_rows)}`, value: `max |error| ${pct(modeMax)}`, rows: modes.length / 2, holds: modeMax <= QEMU_TARGETS.mode_rows },
    { name: 'downtime', target: `median |error| <= ${pct(QEMU_TARGETS.downtime_median)} (converging rows)`, value: pct(median(downtime)), rows: downtime.length, holds: median(downtime) <= QEMU_TARGETS.downtime_median },
  ];
}

export function qemuComparisonCsv(cmp: readonly QemuComparison[]): string {
  return stringify([
    ['row', 'mode', 'metric', 'measured', 'simulated', 'error', 'target', 'holds'],
    ...cmp.map((c) => [c.row, c.mode, c.metric, cell(c.measured), cell(c.simulated), cell(c.error), c.target, c.holds === null ? '' : String(c.holds)]),
  ]);
}

/** A markdown table cell: pipes escaped. */
const md = (text: string): string => text.replace(/\|/g, '\\|');
const num = (x: number): string => (!Number.isFinite(x) ? '–' : Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));
const signed = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : '–');

/** Markdown: the targets, then every row, then whatever the caller adds (constants, notes). */
export function qemuSummary(measured: readonly MeasuredRun[], cmp: readonly QemuComparison[], notes: readonly string[]): string {
  const get = (row: string, metric: string) => cmp.find((c) => c.row === row && c.metric === metric);
  const lines = [
    `**QEMU 7.2 reference runs: ${measured.length} rows** (scenarios/reference/qemu-7.2/)`,
    '',
    '| target | goal | value | rows | holds |',
    '|---|---|---:|---:|---|',
    ...qemuTargets(measured, cmp).map((t) => `| ${t.name} | ${md(t.target)} | ${md(t.value)} | ${t.rows} | ${t.holds ? 'yes' : 'NO'} |`),
    '',
    'Per row, measured → simulated (error):',
    '',
    '| row | mode | converged | total time (ms) | bytes transferred | dirty syncs | downtime (ms) |',
    '|---|---|---|---:|---:|---:|---:|',
  ];
  for (const m of measured) {
    const v = get(m.row, 'converged')!;
    const t = get(m.row, 'total_time_ms')!;
    const b = get(m.row, 'transferred_bytes')!;
    const s = get(m.row, 'dirty_sync_count')!;
    const d = get(m.row, 'downtime_ms');
    const flag = (c: QemuComparison) => (c.holds === false ? ' ✗' : '');
    lines.push(
      `| ${m.row} | ${m.mode} | ${v.measured} → ${v.simulated}${flag(v)} | ${num(t.measured)} → ${num(t.simulated)} (${signed(t.error)})${flag(t)} | ` +
        `${signed(b.error)}${flag(b)} | ${s.measured} → ${s.simulated}${flag(s)} | ${d === undefined ? '' : `${num(d.measured)} → ${num(d.simulated)} (${signed(d.error)})`} |`,
    );
  }
  return [...lines, '', ...notes].join('\n');
}

/**
 * The stopped rounds of the converging pre-copy rows: the bytes QEMU and the model sent with the VM
 * stopped, how long each took, and the copy rate QEMU's figures imply once the model's switch-over
 * cost (`stop_s`) is taken off: whether the downtime error comes from the bytes or from the rate.
 */
export function stoppedRoundLines(measured: readonly MeasuredRun[], cmp: readonly QemuComparison[], stop_s: number): string[] {
  const get = (row: string, metric: string) => cmp.find((c) => c.row === row && c.metric === metric);
  const lines = [
    `Stopped rounds (converging pre-copy rows): downtime bytes and downtime, measured → simulated, and the copy rate QEMU's figures imply after the ${(stop_s * 1e3).toFixed(2)} ms switch-over cost:`,
    '',
    '| row | downtime bytes (MB) | downtime (ms) | QEMU copy rate (MB/s) |',
    '|---|---:|---:|---:|',
  ];
  for (const m of measured.filter((x) => x.mode === 'precopy' && x.converged)) {
    const b = get(m.row, 'downtime_bytes')!;
    const d = get(m.row, 'downtime_ms')!;
    const copy_ms = d.measured - stop_s * 1e3;
    const rate = copy_ms > 0 ? num(b.measured / 1e3 / copy_ms) : '–';
    lines.push(`| ${m.row} | ${num(b.measured / 1e6)} → ${num(b.simulated / 1e6)} (${signed(b.error)}) | ${num(d.measured)} → ${num(d.simulated)} (${signed(d.error)}) | ${rate} |`);
  }
  return [...lines, ''];
}

/** Simulated against measured for one metric, both axes log, one point per row, the line y = x. */
export function measuredVsSimulatedChart(cmp: readonly QemuComparison[], metric: string, title: string, unit: string): TopLevelSpec {
  const values = cmp
    .filter((c) => c.metric === metric && c.measured > 0 && c.simulated > 0)
    .map((c) => ({ row: c.row, mode: c.mode, measured: c.measured, simulated: c.simulated, error_pct: Number((c.error * 100).toFixed(2)) }));
  const all = values.flatMap((v) => [v.measured, v.simulated]);
  const lo = Math.min(...all) / 1.5;
  const hi = Math.max(...all) * 1.5;
  const scale = { type: 'log', domain: [lo, hi] };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    description: `${title}: one point per reference row (simulated against measured), the diagonal is a perfect prediction.`,
    width: 360,
    height: 360,
    layer: [
      { data: { values: [{ a: lo, b: lo }, { a: hi, b: hi }] }, mark: { type: 'line', color: '#999', strokeDash: [4, 4] }, encoding: { x: { field: 'a', type: 'quantitative', scale }, y: { field: 'b', type: 'quantitative', scale } } },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          x: { field: 'measured', type: 'quantitative', scale, title: `measured (${unit})` },
          y: { field: 'simulated', type: 'quantitative', scale, title: `simulated (${unit})` },
          color: { field: 'mode', type: 'nominal', title: 'mode' },
          tooltip: [{ field: 'row' }, { field: 'measured', type: 'quantitative' }, { field: 'simulated', type: 'quantitative' }, { field: 'error_pct', type: 'quantitative', title: 'error (%)' }],
        },
      },
    ],
  } as unknown as TopLevelSpec;
}

/** The relative error of one metric per row, as bars, with the target band. */
export function errorBarsChart(cmp: readonly QemuComparison[], metric: string, title: string, band: number): TopLevelSpec {
  const values = cmp.filter((c) => c.metric === metric && Number.isFinite(c.error)).map((c) => ({ row: c.row, mode: c.mode, error_pct: c.error * 100 }));
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    description: `${title}: simulated / measured - 1 per reference row; the grey band is ±${band * 100}%.`,
    width: { step: 14 },
    height: 240,
    layer: [
      { data: { values: [{ lo: -band * 100, hi: band * 100 }] }, mark: { type: 'rect', color: '#eee' }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
      {
        data: { values },
        mark: 'bar',
        encoding: {
          x: { field: 'row', type: 'nominal', sort: null, title: 'reference row', axis: { labelAngle: -60 } },
          y: { field: 'error_pct', type: 'quantitative', title: 'error (%)' },
          color: { field: 'mode', type: 'nominal', title: 'mode' },
          tooltip: [{ field: 'row' }, { field: 'error_pct', type: 'quantitative', format: '.1f' }],
        },
      },
    ],
  } as unknown as TopLevelSpec;
}
