// A short markdown summary of an ISR reproduction: both tables, simulated mean ± sd beside the
// published value, then the cells that fall outside their tolerance; a what-if says first that its
// inputs differ from the testbed.
import type { RunRecord } from '../sim/results/record.js';
import { stringify } from 'csv-stringify/sync';
import { ID_COLUMNS, cell, drawnColumns, neutralise } from './csv.js';
import { cells } from './isr-tables.js';
import { whatIfNote } from './isr-report.js';
import type { Cell } from './isr-tables.js';
import type { Comparison } from './isr-compare.js';

const bwLabel = (b: number): string => (b >= 1e9 ? `${b / 1e9} Gb/s` : b >= 1e6 ? `${b / 1e6} Mb/s` : `${b / 1e3} kb/s`);
const num = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(2));

function table(title: string, unit: string, cs: readonly Cell[], cmp: readonly Comparison[], which: Comparison['table']): string {
  const policies = [...new Set(cs.map((c) => c.policy))];
  const bws = [...new Set(cs.map((c) => c.bandwidth_bps))];
  const lines = [`**${title}** (${unit}; simulated mean ± sd over trials, published in brackets)`, '', `| policy | ${bws.map(bwLabel).join(' | ')} |`, `|---|${bws.map(() => '---:').join('|')}|`];
  for (const p of policies) {
    const row = bws.map((b) => {
      const c = cs.find((x) => x.policy === p && x.bandwidth_bps === b);
      if (c === undefined) return '';
      const k = cmp.find((x) => x.table === which && x.policy === p && x.bandwidth_bps === b);
      const pub = k?.published !== null && k?.published !== undefined ? ` [${num(k.published)}]` : k?.constraint.startsWith('published') ? ` [${k.constraint.split(';')[0].replace('published ', '')}]` : '';
      const flag = k?.holds === false ? ' ✗' : '';
      return `${num(c.mean)} ± ${num(c.sd)}${pub}${flag}`;
    });
    lines.push(`| ${p} | ${row.join(' | ')} |`);
  }
  return lines.join('\n');
}

export function isrSummary(resume: readonly Cell[], slowdown: readonly Cell[], cmp: readonly Comparison[], overrides: readonly string[] = []): string {
  const judged = cmp.filter((c) => c.holds !== null);
  const missed = judged.filter((c) => c.holds === false);
  const note = whatIfNote(overrides);
  const parts = [
    ...(note ? [`**${note.replace(/^What-if: /, 'What-if:** ')}`, ''] : []),
    table('Resume latency', 's', resume, cmp, 'resume_latency'),
    '',
    table('Slowdown', '% over T_noisr', slowdown, cmp, 'slowdown'),
    '',
    ...cmp
      .filter((c) => c.table === 'suspend_state_bytes')
      .flatMap((c) => [`**Suspend-time dirty state** (memory image and dirty chunks, written back at suspend): ${num(c.simulated / 1e6)} MB simulated${c.published !== null ? ` [${num(c.published / 1e6)}]` : ''}${c.holds === false ? ' ✗' : ''}`, '']),
    `${judged.length - missed.length} of ${judged.length} published cells within tolerance${note ? ' (informative only: the inputs differ from the testbed)' : ''} (✗ marks the others; details in comparison.csv).`,
  ];
  for (const m of missed) {
    const where = m.bandwidth_bps === null ? '' : ` ${m.policy} at ${bwLabel(m.bandwidth_bps)}`;
    parts.push(`- ${m.table}${where}: simulated ${num(m.simulated)}${m.published !== null ? `, published ${num(m.published)}` : ''} (${m.constraint})`);
  }
  return parts.join('\n');
}

/** runs.csv of an ISR reproduction: the documented columns first, then any further metrics. */
export const ISR_RUN_COLUMNS = [
  'resume_latency_s', 'suspend_writeback_s', 'benchmark_time_s', 'slowdown_pct', 'op_latency_s', 'bytes_fetched',
  'cache_misses', 'lookaside_hits', 'min_travel_warm_s', 'min_travel_cold_s', 'suspend_state_bytes',
] as const;

/**
 * runs.csv of an ISR reproduction, in the column order of `vmsim run` and `vmsim sweep`: scenario,
 * variant, policy, seed, trial, the parameters (bandwidth_bps, then any --set), the inputs drawn
 * from distributions, the documented metrics, then any further metrics.
 */
export function isrRunsCsv(records: readonly RunRecord[]): string {
  const params: string[] = ['bandwidth_bps'];
  const extra: string[] = [];
  for (const r of records) {
    for (const k of Object.keys(r.params)) if (!params.includes(k)) params.push(k);
    for (const k of Object.keys(r.metrics)) if (!(ISR_RUN_COLUMNS as readonly string[]).includes(k) && !extra.includes(k)) extra.push(k);
  }
  const drawn = drawnColumns(records);
  const header = [...ID_COLUMNS, ...params, ...drawn, ...ISR_RUN_COLUMNS, ...extra];
  const rows = records.map((r) => [
    neutralise(r.scenario), neutralise(r.variant), neutralise(r.policy), String(r.seed), String(r.trial),
    ...params.map((p) => cell(r.params[p])), ...drawn.map((d) => cell(r.drawn?.[d])),
    ...ISR_RUN_COLUMNS.map((m) => cell(r.metrics[m])), ...extra.map((m) => cell(r.metrics[m])),
  ]);
  return stringify([header.map(neutralise), ...rows]);
}

/** Which comparison table a metric is published in. */
const PUBLISHED_IN: Record<string, Comparison['table']> = { resume_latency_s: 'resume_latency', slowdown_pct: 'slowdown' };

/**
 * The tidy long table pandas and R read directly: one row per policy, bandwidth and metric with the
 * mean, sd (sample; 0 for one trial, as in the wide tables) and n over trials, and the published
 * value (or range) where the paper gives one, with whether the simulated mean is within tolerance.
 */
export function isrLongCsv(records: readonly RunRecord[], cmp: readonly Comparison[]): string {
  const metrics: string[] = [...ISR_RUN_COLUMNS];
  for (const r of records) for (const k of Object.keys(r.metrics)) if (k !== 'events' && !metrics.includes(k)) metrics.push(k);
  const header = ['policy', 'bandwidth_bps', 'metric', 'mean', 'sd', 'n', 'published', 'published_low', 'published_high', 'holds'];
  const rows: string[][] = [];
  const byMetric = new Map(metrics.map((m) => [m, cells(records, m)]));
  const first = byMetric.get(metrics[0]) ?? [];
  for (const { policy, bandwidth_bps } of first) {
    for (const m of metrics) {
      const c = byMetric.get(m)!.find((x) => x.policy === policy && x.bandwidth_bps === bandwidth_bps);
      if (c === undefined) continue;
      const k = PUBLISHED_IN[m] === undefined ? undefined : cmp.find((x) => x.table === PUBLISHED_IN[m] && x.policy === policy && x.bandwidth_bps === bandwidth_bps);
      const range = k?.constraint.match(/^published (\d+(?:\.\d+)?)-(\d+(?:\.\d+)?) s/);
      rows.push([
        neutralise(policy), cell(bandwidth_bps), m, cell(c.mean), cell(c.sd), String(c.n),
        k?.published === null || k?.published === undefined ? '' : cell(k.published),
        range ? range[1] : '', range ? range[2] : '',
        k === undefined || k.holds === null ? '' : String(k.holds),
      ]);
    }
  }
  return stringify([header, ...rows]);
}
