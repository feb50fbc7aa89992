// Per-point statistics over trials: one row per (point, metric) with n, mean, sd, min, max and the
// 95% interval of the mean (and the 5th and 95th percentiles when the runs drew inputs from
// distributions: the spread those inputs cause). A point is a (scenario, variant, policy, parameter values) combination; points
// and metrics keep the order in which the records first show them, so the file's order is stable.
//
// Runs that did not reach their goal (RunRecord.goal: a migration that did not converge) are counted
// per point: with a goal, every row also says how many runs the point had (`runs`) and how many
// reached it (a column named after the goal metric, e.g. `converged`). Statistics are over the values
// a metric has, so metrics that only a run that reached its goal has (total time, downtime) are over
// those runs only, and n says how many that was.
import { stringify } from 'csv-stringify/sync';
import { reachedGoal, type ParamValue, type RunRecord } from '../sim/results/record.js';
import { cell, drawnColumns, runsColumns } from './csv.js';
import { quantile, summarize, type Summary } from './stats.js';

export interface AggregateRow extends Summary {
  scenario: string;
  variant: string;
  policy: string;
  params: Record<string, ParamValue>;
  metric: string;
  /** Runs at this point. */
  runs: number;
  /** Runs at this point that reached their goal (all of them for kinds without one). */
  reached: number;
  /** The 5th and 95th percentiles over the runs, when their inputs were drawn from distributions. */
  p5?: number;
  p95?: number;
}

export interface Aggregate {
  /** Parameter columns, in CSV order. */
  params: string[];
  metrics: string[];
  rows: AggregateRow[];
  /** The goal metric of the records' kind (`converged`), when runs can miss it. */
  goal?: string;
  /** Inputs the runs drew from distributions (runs.csv columns), when any: then rows carry p5 and p95. */
  drawn?: string[];
}

export const STAT_COLUMNS = ['n', 'mean', 'sd', 'min', 'max', 'ci95_low', 'ci95_high'] as const;

export function aggregate(records: readonly RunRecord[]): Aggregate {
  const { params, metrics } = runsColumns(records);
  const drawn = drawnColumns(records);
  const goal = records.find((r) => r.goal !== undefined)?.goal;
  const groups = new Map<string, RunRecord[]>();
  for (const r of records) {
    const key = JSON.stringify([r.scenario, r.variant, r.policy, ...params.map((p) => cell(r.params[p]))]);
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  const rows: AggregateRow[] = [];
  for (const g of groups.values()) {
    const first = g[0];
    const reached = g.filter(reachedGoal).length;
    for (const metric of metrics) {
      const values = g.map((r) => r.metrics[metric] ?? NaN);
      // Runs whose inputs differ spread for that reason: their range says how far, beside the mean.
      const spread = drawn.length === 0 ? {} : { p5: quantile(values, 0.05), p95: quantile(values, 0.95) };
      rows.push({ scenario: first.scenario, variant: first.variant ?? first.policy, policy: first.policy, params: first.params, metric, runs: g.length, reached, ...summarize(values), ...spread });
    }
  }
  return { params, metrics, rows, ...(goal === undefined ? {} : { goal }), ...(drawn.length === 0 ? {} : { drawn }) };
}

/** The statistics aggregate.csv holds: with drawn inputs, the 5th and 95th percentiles too. */
const statColumns = (agg: Aggregate): ReadonlyArray<keyof Summary | 'p5' | 'p95'> => (agg.drawn === undefined ? STAT_COLUMNS : [...STAT_COLUMNS, 'p5', 'p95']);

export function aggregateCsv(agg: Aggregate): string {
  const counts = agg.goal === undefined ? [] : ['runs', agg.goal];
  const stats = statColumns(agg);
  const head = ['scenario', 'variant', 'policy', ...agg.params.map(cell), 'metric', ...counts, ...stats];
  const rows = agg.rows.map((r) => [
    cell(r.scenario),
    cell(r.variant),
    cell(r.policy),
    ...agg.params.map((p) => cell(r.params[p])),
    cell(r.metric),
    ...(agg.goal === undefined ? [] : [String(r.runs), String(r.reached)]),
    ...stats.map((c) => cell(r[c])),
  ]);
  return stringify([head, ...rows]);
}

/**
 * Whether a metric applies to a variant: some of its runs have a value, or none of its points had
 * every run reach the goal (then nothing says it does not). A metric that does not apply (post-copy
 * blocktime of a pre-copy) is missing from every record of the variant: no cross, no "no value".
 */
export function appliesTo(rows: readonly AggregateRow[], variant: string, metric: string): boolean {
  const own = rows.filter((r) => r.variant === variant && r.metric === metric);
  return own.some((r) => r.n > 0) || !own.some((r) => r.reached === r.runs);
}
