// A few plain sentences the data support, for the top of a report: where runs did not reach their
// goal, and which variant has the lowest mean of each headline metric where (among the runs that
// have a value). Only comparisons are stated, never causes; ties within 2% are said to be ties.
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

/** The sentences, in order: goal first, then one per headline metric (at most three metrics). */
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
    for (const metric of headlineMetrics(kind, agg.metrics).filter((m) => m !== goal).slice(0, 3)) {
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
          return [v, span(x, line.xs, idx), `(${values}${tie})`].filter((t) => t !== '').join(' ');
        });
      out.push(`Lowest ${label(metric).toLowerCase()}${line.where}${goal === undefined ? '' : ` among runs that ${goal}`}: ${parts.join('; ')}.`.replace(/,( \(|\.)/g, '$1'));
    }
  }
  return out;
}
