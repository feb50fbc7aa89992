// The metrics a reader of each kind asks about first, and the headline table: one row per point and
// variant, those metrics in human units (each value in the unit its magnitude calls for), and how
// many runs reached their goal ("Runs that converged", n/N); every metric under its one name (units.ts); when the runs drew inputs from distributions, each
// mean with the p5-p95 spread of its point's runs. A migration's headline carries the guest's cost (work
// lost, slowdown) beside time, downtime and bytes where the records have it; a metric that does not
// apply to a policy reads n/a. A cluster operation's headline is its makespan, downtimes, bytes,
// how many of its migrations converged ("3 of 4"), its busiest link and what the background traffic
// lost. Built from the aggregate only.
import type { Aggregate, AggregateRow } from './aggregate.js';
import { formatParam, formatValue, label } from './units.js';

/** Headline metrics per scenario kind, in the order they are shown. */
export const HEADLINE: Readonly<Record<string, readonly string[]>> = {
  migration: ['total_time_ms', 'downtime_ms', 'wire_bytes', 'guest_lost_s', 'guest_slowdown_pct', 'converged'],
  isr: ['resume_latency_s', 'slowdown_pct'],
  synthesis: ['synthesis_s', 'time_to_first_use_s', 'wire_bytes'],
  vdi: ['mean_interaction_ms', 'p95_interaction_ms', 'time_to_first_interaction_s', 'blocked_s', 'completed'],
  fork: ['clone_time_s', 'completion_s', 'bytes_sent_total', 'fault_stall_s'],
  cluster: ['makespan_s', 'worst_downtime_ms', 'total_downtime_ms', 'transferred_bytes', 'guest_lost_s', 'converged_migrations', 'busiest_link_peak_pct', 'background_lost_pct'],
};

/** Counts shown out of another count ("3 of 4"): the metric -> the metric it is a part of. */
export const OUT_OF: Readonly<Record<string, string>> = { converged_migrations: 'migrations' };

/** Metrics shown in one cell with a companion ("100% / 71%"), so the table fits a page: the metric -> the companion and the heading. */
export const PAIRED: Readonly<Record<string, { with: string }>> = {
  busiest_link_peak_pct: { with: 'busiest_link_mean_pct' },
};

/** A paired cell's heading from both metrics' names: "Busiest link peak" and "Busiest link mean" → "Busiest link peak / mean". */
export function pairedHeading(metric: string, companion: string): string {
  const [a, b] = [label(metric).split(' '), label(companion).split(' ')];
  let k = 0;
  while (k < a.length - 1 && k < b.length - 1 && a[k] === b[k]) k++;
  return `${a.join(' ')} / ${b.slice(k).join(' ')}`;
}

/** The kind's headline metrics that the records have (all but `events` for an unknown kind). */
export function headlineMetrics(kind: string, metrics: readonly string[]): string[] {
  const h = HEADLINE[kind];
  return h === undefined ? [] : h.filter((m) => metrics.includes(m));
}

export interface HeadlineTable {
  /** Swept parameters shown as columns (those taking more than one value). */
  params: string[];
  /** Metric columns (the goal metric last, its cells "n/N": runs that reached it of all runs). */
  metrics: string[];
  /** Column headings in words with units. */
  head: string[];
  rows: Array<{ variant: string; params: string[]; cells: Array<{ text: string; title: string; short: boolean; spread?: [p5: string, p95: string] }> }>;
  /** Inputs the runs drew from distributions; then each mean has its p5-p95 spread (`spread`). */
  drawn?: string[];
}

/** The 5th and 95th percentile of a point's runs ("9.17 s", "15 s"), when they drew their inputs. */
function spreadOf(m: string, r: AggregateRow): [string, string] | undefined {
  if (r.p5 === undefined || r.p95 === undefined || r.n < 2 || !Number.isFinite(r.p5)) return undefined;
  const [lo, hi] = [formatValue(m, r.p5), formatValue(m, r.p95)];
  // the same as shown: nothing varied that this metric shows
  return lo === hi ? undefined : [lo, hi];
}

/** A metric in words ("Total migration time", "Runs that converged" over its n/N cells), as every chart and finding names it (units.ts). */
function heading(metric: string): string {
  return Object.hasOwn(PAIRED, metric) ? pairedHeading(metric, PAIRED[metric].with) : label(metric);
}

export function headlineTable(agg: Aggregate, kind: string): HeadlineTable {
  const metrics = headlineMetrics(kind, agg.metrics);
  const shown = metrics.length > 0 ? metrics : agg.metrics.filter((m) => m !== 'events').slice(0, 4);
  const goal = agg.goal;
  const ordered = [...shown.filter((m) => m !== goal), ...(goal !== undefined ? [goal] : [])];
  const params = agg.params.filter((p) => new Set(agg.rows.map((r) => String(r.params[p]))).size > 1);
  const byPoint = new Map<string, Map<string, AggregateRow>>();
  for (const r of agg.rows) {
    const k = JSON.stringify([r.variant, ...agg.params.map((p) => r.params[p])]);
    if (!byPoint.has(k)) byPoint.set(k, new Map());
    byPoint.get(k)!.set(r.metric, r);
  }
  const rows: HeadlineTable['rows'] = [];
  for (const cells of byPoint.values()) {
    const any = [...cells.values()][0];
    rows.push({
      variant: any.variant,
      params: params.map((p) => formatParam(p, any.params[p])),
      cells: ordered.map((m) => {
        const r = cells.get(m);
        if (r === undefined) return { text: '', title: '', short: false };
        const short = r.reached < r.runs;
        if (m === goal) return { text: `${r.reached}/${r.runs}`, title: `${r.reached} of ${r.runs} runs reached the goal (${goal})`, short };
        const sd = Number.isFinite(r.sd) ? `, sd ${formatValue(m, r.sd)}` : '';
        const title = r.n === 0 ? `no run had a value${short ? ` (${goal} = 0 in all ${r.runs})` : ''}` : `mean of ${r.n} run${r.n === 1 ? '' : 's'}${sd}${Number.isFinite(r.ci95_low) ? `; 95% interval ${formatValue(m, r.ci95_low)} to ${formatValue(m, r.ci95_high)}` : ''}`;
        // No run at the point reached the goal: the metric has no value there, and the cell says why.
        // No run has it and every run reached its goal: the metric does not apply to this policy.
        if (r.n === 0 && !short) return { text: 'n/a', title: `does not apply to ${any.policy} (absent from its records)`, short: false };
        const whole = Object.hasOwn(OUT_OF, m) ? cells.get(OUT_OF[m]) : undefined;
        const pair = Object.hasOwn(PAIRED, m) ? cells.get(PAIRED[m].with) : undefined;
        const text = r.n === 0 && short ? `not ${goal}` : whole !== undefined && r.n > 0 ? `${formatValue(m, r.mean)} of ${formatValue(whole.metric, whole.mean)}` : pair !== undefined ? `${formatValue(m, r.mean)} / ${formatValue(pair.metric, pair.mean)}` : formatValue(m, r.mean);
        const spread = spreadOf(m, r);
        return { text, title: spread === undefined ? title : `${title}; p5-p95 ${spread[0]} to ${spread[1]}`, short: short && r.n < r.runs, ...(spread === undefined ? {} : { spread }) };
      }),
    });
  }
  // Rows of one point together (in the order points first appear), variants in their order within.
  const pointOrder = new Map<string, number>();
  for (const r of rows) if (!pointOrder.has(JSON.stringify(r.params))) pointOrder.set(JSON.stringify(r.params), pointOrder.size);
  rows.sort((a, b) => pointOrder.get(JSON.stringify(a.params))! - pointOrder.get(JSON.stringify(b.params))!);
  return { params, metrics: ordered, head: [...params.map(label), 'variant', ...ordered.map((m) => heading(m))], rows, ...(agg.drawn === undefined ? {} : { drawn: agg.drawn }) };
}
