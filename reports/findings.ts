// A few plain sentences the data support, for the top of a report: where runs did not reach their
// goal, and which variant has the lowest mean of each headline metric where (among the runs that
// have a value). Only comparisons are stated, never causes; ties within 2% are said to be ties. A
// winner on one axis is never named without what it costs on the others (total time, downtime,
// bytes and the guest's lost work, where the records have them): post-copy's lowest downtime comes
// with the seconds its guest stalled on faults. A cluster operation's winner (makespan, worst
// downtime, bytes, background loss) comes with its cost on the others.
import type { ParamValue } from '../sim/results/record.js';
import type { Aggregate, AggregateRow } from './aggregate.js';
import { headlineMetrics } from './headline.js';
import { sweptAxes, variantsOf } from './sweep-charts.js';
import { formatParam, formatValue, label } from './units.js';

const TIE = 1.02;

const VERB: Record<string, string> = { converged: 'converge', completed: 'complete' };

/** Consecutive runs of equal items: [[a, [0, 1]], [b, [2]], ...]. */
function runsOf<T>(items: readonly T[]): Array<[T, number[]]> {
  const out: Array<[T, number[]]> = [];
  items.forEach((it, i) => {
    const last = out[out.length - 1];
    if (last !== undefined && last[0] === it) last[1].push(i);
    else out.push([it, [i]]);
  });
  return out;
}

/** Groups of rows that share every swept parameter but x (one line of a chart each). */
function lines(agg: Aggregate, x: string | undefined): Array<{ where: string; xs: ParamValue[]; at: (v: ParamValue, variant: string, metric: string) => AggregateRow | undefined }> {
  const { swept } = sweptAxes(agg);
  const others = swept.filter((p) => p !== x);
  const groups = new Map<string, AggregateRow[]>();
  for (const r of agg.rows) {
    const k = others.map((p) => `${label(p).toLowerCase()} ${formatParam(p, r.params[p])}`).join(', ');
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  return [...groups.entries()].map(([where, rows]) => {
    const xs = x === undefined ? [''] : [...new Set(rows.map((r) => r.params[x]))];
    const index = new Map(rows.map((r) => [JSON.stringify([x === undefined ? '' : r.params[x], r.variant, r.metric]), r]));
    return { where: where === '' ? '' : ` (${where})`, xs, at: (v, variant, metric) => index.get(JSON.stringify([v, variant, metric])) };
  });
}

function span(x: string | undefined, xs: readonly ParamValue[], idx: readonly number[]): string {
  if (x === undefined) return '';
  if (idx.length === xs.length && xs.length > 1) return `at every ${label(x).toLowerCase()}, ${formatParam(x, xs[0])} to ${formatParam(x, xs[xs.length - 1])},`;
  const a = formatParam(x, xs[idx[0]]);
  const b = formatParam(x, xs[idx[idx.length - 1]]);
  return idx.length === 1 ? `at ${a}` : `from ${a} to ${b}`;
}

/** The axes a migration is judged on (Clark et al. 2005): a winner on one is given with the others. */
export const COST_AXES = ['total_time_ms', 'downtime_ms', 'wire_bytes', 'guest_lost_s'] as const;
/** The guest's cost is said first: it is the one a reader of time and downtime alone misses. */
const COST_ORDER = ['guest_lost_s', 'total_time_ms', 'downtime_ms', 'wire_bytes'];

/**
 * Per kind, when not its first four headline metrics: the metrics a finding names a winner of, and
 * the costs said with it. A cluster operation is judged on how long it takes, its worst pause, its
 * bytes, its guests' lost work and what the traffic sharing the network lost.
 */
const JUDGED: Readonly<Record<string, { winners: readonly string[]; costs: readonly string[] }>> = {
  cluster: {
    winners: ['makespan_s', 'worst_downtime_ms', 'transferred_bytes', 'background_lost_pct'],
    costs: ['guest_lost_s', 'makespan_s', 'worst_downtime_ms', 'transferred_bytes', 'background_lost_pct'],
  },
};

type Line = ReturnType<typeof lines>[number];

/** "its costs there: guest work lost 250 s at 10 Mbit/s, 22 s at 100 Mbit/s; total migration time ..." */
function costs(agg: Aggregate, kind: string, x: string | undefined, line: Line, v: string, idx: readonly number[], metric: string): string {
  const parts: string[] = [];
  for (const m of ((Object.hasOwn(JUDGED, kind) ? JUDGED[kind].costs : undefined) ?? COST_ORDER).filter((c) => c !== metric && agg.metrics.includes(c))) {
    const at = idx.map((i) => ({ i, r: line.at(line.xs[i], v, m) })).filter((e) => e.r !== undefined && Number.isFinite(e.r.mean));
    // A metric that does not apply to the variant (absent from its records) is no cost of it.
    if (at.length === 0) continue;
    const means = at.map((e) => e.r!.mean);
    const lo = Math.min(...means);
    const hi = Math.max(...means);
    let text: string;
    if (lo === hi || Math.max(...means) <= TIE * Math.min(...means)) text = formatValue(m, means[0]);
    else if (m === 'guest_lost_s' && x !== undefined && at.length <= 4) text = at.map((e) => `${formatValue(m, e.r!.mean)} at ${formatParam(x, line.xs[e.i])}`).join(', ');
    else text = `${formatValue(m, lo)} to ${formatValue(m, hi)}`;
    const slow = m === 'guest_lost_s' ? slowdown(line, v, idx) : '';
    parts.push(`${label(m).toLowerCase()} ${text}${slow}`);
  }
  return parts.length === 0 ? '' : ` — its costs there: ${parts.join('; ')}`;
}

/** " (a 12% to 31% slowdown)": the guest's slowdown over the migration, where the records have it. */
function slowdown(line: Line, v: string, idx: readonly number[]): string {
  const means = idx.map((i) => line.at(line.xs[i], v, 'guest_slowdown_pct')?.mean ?? NaN).filter((m) => Number.isFinite(m));
  if (means.length === 0) return '';
  const lo = Math.min(...means);
  const hi = Math.max(...means);
  return ` (a ${hi <= TIE * lo ? formatValue('guest_slowdown_pct', lo) : `${formatValue('guest_slowdown_pct', lo)} to ${formatValue('guest_slowdown_pct', hi)}`} slowdown)`;
}

/** The sentences, in order: goal first, then one per headline metric (at most four), each with its costs. */
export function findings(agg: Aggregate, kind: string): string[] {
  const { xs } = sweptAxes(agg);
  const x = xs[0];
  const variants = variantsOf(agg.rows);
  const out: string[] = [];
  const goal = agg.goal;
  for (const line of lines(agg, x)) {
    if (goal !== undefined) {
      const pending: Array<{ variants: string[]; text: string }> = [];
      for (const v of variants) {
        const rows = line.xs.map((xv) => line.at(xv, v, goal));
        const state = rows.map((r) => (r === undefined ? 'none' : r.reached === r.runs ? 'all' : r.reached === 0 ? 'no' : 'some'));
        if (!state.some((s) => s === 'no' || s === 'some')) continue;
        const verb = VERB[goal] ?? `reach ${goal}`;
        const parts = runsOf(state)
          .filter(([s]) => s === 'no' || s === 'some')
          .map(([s, idx]) => {
            if (s === 'no') return `did not ${verb} ${span(x, line.xs, idx)}`.trim();
            const counts = idx.map((i) => `${rows[i]!.reached} of ${rows[i]!.runs}`);
            return `${goal} in only ${[...new Set(counts)].join(' or ')} runs ${span(x, line.xs, idx)}`.trim();
          });
        const fine = state.map((s, i) => (s === 'all' ? i : -1)).filter((i) => i >= 0);
        const tail = fine.length > 0 && x !== undefined ? `; it did ${span(x, line.xs, fine).replace(/^at every .*/, 'elsewhere')}` : '';
        const text = `${parts.join(' and ')}${line.where}${tail}.`;
        const same = pending.find((p) => p.text === text);
        if (same) same.variants.push(v);
        else pending.push({ variants: [v], text });
      }
      for (const p of pending) {
        const who = p.variants.length === 1 ? p.variants[0] : `${p.variants.slice(0, -1).join(', ')} and ${p.variants[p.variants.length - 1]}`;
        const it = p.variants.length === 1 ? 'it' : 'they';
        out.push(`${who} ${p.text.replace('; it did', `; ${it} did`)} Where a run did not ${VERB[goal] ?? `reach ${goal}`}, its times have no value: they are left out of the statistics and marked ✕ in the charts.`);
      }
    }
    const judged = Object.hasOwn(JUDGED, kind) ? JUDGED[kind].winners.filter((m) => agg.metrics.includes(m)) : undefined;
    for (const metric of judged ?? headlineMetrics(kind, agg.metrics).filter((m) => m !== goal && m !== 'guest_slowdown_pct').slice(0, 4)) {
      const winners = line.xs.map((xv) => {
        // Only runs that reached their goal compare: a migration that gave up sent fewer bytes.
        const vals = variants
          .map((v) => ({ v, r: line.at(xv, v, metric) }))
          .filter((e) => e.r !== undefined && e.r.reached === e.r.runs && Number.isFinite(e.r.mean))
          .sort((a, b) => a.r!.mean - b.r!.mean);
        if (vals.length < 2) return undefined;
        const [first, second] = vals;
        return { v: first.v, mean: first.r!.mean, second: second.v, ratio: first.r!.mean > 0 ? second.r!.mean / first.r!.mean : Infinity };
      });
      if (winners.every((w) => w === undefined)) continue;
      const parts = runsOf(winners.map((w) => w?.v ?? ''))
        .filter(([v]) => v !== '')
        .map(([v, idx]) => {
          const ws = idx.map((i) => winners[i]!);
          const lo = Math.min(...ws.map((w) => w.mean));
          const hi = Math.max(...ws.map((w) => w.mean));
          const values = lo === hi ? formatValue(metric, lo) : `${formatValue(metric, lo)} to ${formatValue(metric, hi)}`;
          const ties = [...new Set(ws.filter((w) => w.ratio < TIE).map((w) => w.second))];
          const tie = ties.length > 0 ? `; ${ties.join(', ')} within ${Math.round((TIE - 1) * 100)}% of it ${ws.filter((w) => w.ratio < TIE).length === ws.length ? 'there' : `at ${ws.filter((w) => w.ratio < TIE).length} of those points`}` : '';
          return { v, where: span(x, line.xs, idx), text: `(${values}${tie})${costs(agg, kind, x, line, v, idx, metric)}` };
        })
        // One variant: "postcopy at every ... (10 ms) — its costs there: ...". Several, each its own
        // sentence led by where ("From 1 Gbit/s to 10 Gbit/s, precopy (...)"), since costs hold ';'.
        .map((p, i, all) => (all.length === 1 || p.where === '' ? [p.v, p.where, p.text] : [`${i === 0 ? p.where : p.where.charAt(0).toUpperCase() + p.where.slice(1)},`, p.v, p.text]).filter((t) => t !== '').join(' '));
      const lowest = label(metric).toLowerCase().replace(/^guest work lost$/, "guest work lost (the guest's cost)");
      out.push(`Lowest ${lowest}${line.where}${goal === undefined ? '' : ` among runs that ${goal}`}: ${parts.join('. ')}.`.replace(/,( \(|\.)/g, '$1'));
    }
  }
  // One variant over many points (a cluster's concurrency, order or bandwidth): no variant to
  // compare, so the point that does best on each axis, with its costs on the others.
  if (variants.length === 1 && Object.hasOwn(JUDGED, kind)) out.push(...bestPoints(agg, kind, variants[0]));
  return out;
}

/** "Lowest makespan: concurrent at options max per host 4 (3.53 s) — its costs there: ...", per judged metric. */
function bestPoints(agg: Aggregate, kind: string, variant: string): string[] {
  const { swept } = sweptAxes(agg);
  if (swept.length === 0) return [];
  const where = (r: AggregateRow): string => swept.map((p) => `${label(p).toLowerCase()} ${formatParam(p, r.params[p])}`).join(', ');
  const at = new Map(agg.rows.map((r) => [JSON.stringify([r.metric, agg.params.map((p) => r.params[p])]), r]));
  const out: string[] = [];
  for (const metric of JUDGED[kind].winners.filter((m) => agg.metrics.includes(m))) {
    // Only points where every run reached its goal compare, as between variants.
    const rows = agg.rows.filter((r) => r.metric === metric && r.reached === r.runs && Number.isFinite(r.mean)).sort((a, b) => a.mean - b.mean);
    if (rows.length < 2) continue;
    const [best, second] = rows;
    const tie = second.mean <= TIE * best.mean ? `; ${where(second)} within ${Math.round((TIE - 1) * 100)}% of it` : '';
    const costs = JUDGED[kind].costs
      .filter((m) => m !== metric)
      .map((m) => at.get(JSON.stringify([m, agg.params.map((p) => best.params[p])])))
      .filter((r): r is AggregateRow => r !== undefined && Number.isFinite(r.mean))
      .map((r) => `${label(r.metric).toLowerCase()} ${formatValue(r.metric, r.mean)}`);
    out.push(`Lowest ${label(metric).toLowerCase()}: ${variant} at ${where(best)} (${formatValue(metric, best.mean)}${tie})${costs.length > 0 ? ` — its costs there: ${costs.join('; ')}` : ''}.`);
  }
  return out;
}
