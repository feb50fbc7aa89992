// The terminal's headline after `vmsim run`: the report's headline table (reports/headline.ts: the
// kind's first metrics, each mean in the unit its size calls for), as aligned text that fits 100
// columns. Every metric is in runs.csv; this says what a reader asks first.
import { aggregate } from '../../reports/aggregate.js';
import { headlineTable } from '../../reports/headline.js';
import type { RunRecord } from '../results/record.js';

/** The widest line summaryTable writes: a terminal of 100 columns shows it unwrapped. */
export const SUMMARY_WIDTH = 100;

/** Cut `s` to `n` characters, saying so with an ellipsis. */
const fit = (s: string, n: number): string => (s.length <= n ? s : `${s.slice(0, Math.max(0, n - 1))}…`);

export function summaryTable(records: readonly RunRecord[]): string {
  if (records.length === 0) return '(no runs)';
  const t = headlineTable(aggregate(records), records[0].kind);
  // Drawn inputs: under each row of means, its p5-p95 spread.
  const rows = t.rows.flatMap((r) => {
    const means = [...r.params, r.variant, ...r.cells.map((c) => c.text)];
    if (!r.cells.some((c) => c.spread !== undefined)) return [means];
    return [means, [...r.params.map(() => ''), '  p5-p95', ...r.cells.map((c) => (c.spread === undefined ? '' : `${c.spread[0]}–${c.spread[1]}`))]];
  });
  const ncol = t.head.length;
  // Numbers are at most ~12 characters; a heading may wrap onto a second line rather than widen it.
  const widths = t.head.map((_h, i) => Math.max(...rows.map((r) => r[i].length), 6));
  const gap = 2;
  let budget = SUMMARY_WIDTH - gap * (ncol - 1) - widths.reduce((s, w) => s + w, 0);
  // First room for each heading on two lines (a heading wraps at a space, never inside a word),
  // then what is left, the narrowest heading first, so most fit on one line.
  for (const i of widths.keys()) {
    const take = Math.max(0, Math.min(twoLineWidth(t.head[i]) - widths[i], budget));
    widths[i] += take;
    budget -= take;
  }
  for (const i of [...widths.keys()].sort((a, b) => t.head[a].length - t.head[b].length)) {
    const want = Math.min(t.head[i].length, 24) - widths[i];
    const take = Math.max(0, Math.min(want, budget));
    widths[i] += take;
    budget -= take;
  }
  const headLines = [0, 1].map((line) => t.head.map((h, i) => fit(wrap(h, widths[i])[line] ?? '', widths[i])));
  const numeric = (i: number): boolean => i > t.params.length;
  const pad = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (numeric(i) ? fit(c, widths[i]).padStart(widths[i]) : fit(c, widths[i]).padEnd(widths[i])))
      .join(' '.repeat(gap))
      .trimEnd();
  const lines = [pad(headLines[0]), ...(headLines[1].some((c) => c !== '') ? [pad(headLines[1])] : []), pad(widths.map((w) => '-'.repeat(w))), ...rows.map(pad)];
  const trials = new Set(records.map((r) => r.trial)).size;
  lines.push(`${trials > 1 ? `mean of ${trials} trials; ` : ''}every metric in base units is in runs.csv`);
  if (t.drawn !== undefined && trials > 1) lines.push(`p5-p95: the 5th to 95th percentile of the trials, each with its own ${t.drawn.join(', ')}`);
  return lines.join('\n');
}

/** A heading in lines of at most `width` characters, broken at spaces (two lines at most). */
function wrap(text: string, width: number): string[] {
  const words = text.split(' ');
  const out: string[] = [''];
  for (const w of words) {
    const cur = out[out.length - 1];
    if (cur === '' || cur.length + 1 + w.length <= width || out.length === 2) out[out.length - 1] = cur === '' ? w : `${cur} ${w}`;
    else out.push(w);
  }
  return out;
}

/** The narrowest width at which `text` fits on two lines broken at one space. */
function twoLineWidth(text: string): number {
  const words = text.split(' ');
  let best = text.length;
  for (let k = 1; k < words.length; k++) best = Math.min(best, Math.max(words.slice(0, k).join(' ').length, words.slice(k).join(' ').length));
  return best;
}
