// Per-point statistics over trials: one row per (point, metric) with n, mean, sd, min, max and the
// 95% interval of the mean. A point is a (scenario, policy, parameter values) combination; points
// and metrics keep the order in which the records first show them, so the file's order is stable.
import { stringify } from 'csv-stringify/sync';
import type { ParamValue, RunRecord } from '../sim/results/record.js';
import { cell, runsColumns } from './csv.js';
import { summarize, type Summary } from './stats.js';

export interface AggregateRow extends Summary {
  scenario: string;
  policy: string;
  params: Record<string, ParamValue>;
  metric: string;
}

export interface Aggregate {
  /** Parameter columns, in CSV order. */
  params: string[];
  metrics: string[];
  rows: AggregateRow[];
}

export const STAT_COLUMNS = ['n', 'mean', 'sd', 'min', 'max', 'ci95_low', 'ci95_high'] as const;

export function aggregate(records: readonly RunRecord[]): Aggregate {
  const { params, metrics } = runsColumns(records);
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = JSON.stringify([r.scenario, r.policy, ...params.map((p) => cell(r.params[p]))]);
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const rows: AggregateRow[] = [];
  for (const g of groups.values()) {
    const first = g[0];
    for (const metric of metrics) {
      const s = summarize(g.map((r) => r.metrics[metric] ?? NaN));
      rows.push({ scenario: first.scenario, policy: first.policy, params: first.params, metric, ...s });
    }
  }
  return { params, metrics, rows };
}

export function aggregateCsv(agg: Aggregate): string {
  const head = ['scenario', 'policy', ...agg.params.map(cell), 'metric', ...STAT_COLUMNS];
  const rows = agg.rows.map((r) => [cell(r.scenario), cell(r.policy), ...agg.params.map((p) => cell(r.params[p])), cell(r.metric), ...STAT_COLUMNS.map((c) => cell(r[c]))]);
  return stringify([head, ...rows]);
}
