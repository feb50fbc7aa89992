// The prediction table (vmsim predict): per (max-bandwidth, downtime limit, policy) the verdict (in how
// many trials the migration converged), then total time, downtime, bytes on the wire and the guest's
// cost, each as the mean with its p5-p95 spread over the trials that converged; and the two settings
// an operator asks for first: the one that converges fastest and the one that costs the guest least,
// each with what it costs on the other axes. Read from the records only (and the axis values).
import { stringify } from 'csv-stringify/sync';
import type { RunRecord } from '../sim/results/record.js';
import { escapeHtml as e } from './html.js';
import { formatValue, label } from './units.js';

/** The sweep's parameter columns a prediction's axes make. */
export const BANDWIDTH_COLUMN = 'options.max_bandwidth_bps';
export const DOWNTIME_COLUMN = 'options.downtime_limit_s';

/** Metrics of the table, in order; each shown where the policy's runs have it. */
export const PREDICT_METRICS = ['total_time_ms', 'downtime_ms', 'wire_bytes', 'guest_lost_s', 'guest_slowdown_pct', 'postcopy_blocktime_ms'] as const;
export type PredictMetric = (typeof PREDICT_METRICS)[number];

export interface Spread {
  n: number;
  mean: number;
  p5: number;
  p95: number;
}

export interface PredictRow {
  /** QEMU max-bandwidth, bit/s, and downtime-limit, s, of this row. */
  bandwidth_bps: number;
  downtime_limit_s: number;
  policy: string;
  /** The policy does not follow max-bandwidth and downtime-limit (post-copy): the same runs at every row. */
  unlimited: boolean;
  runs: number;
  converged: number;
  stats: Partial<Record<PredictMetric, Spread>>;
}

/** The q-quantile of sorted values, interpolated linearly between order statistics (R's type 7). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]) - sorted[lo]);
}

export function spread(values: readonly number[]): Spread | undefined {
  const xs = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (xs.length === 0) return undefined;
  return { n: xs.length, mean: xs.reduce((s, x) => s + x, 0) / xs.length, p5: quantile(xs, 0.05), p95: quantile(xs, 0.95) };
}

/** One row per (bandwidth, downtime limit, policy) of the axes, policies in the order given. */
export function predictRows(records: readonly RunRecord[], bandwidths: readonly number[], downtimes: readonly number[], policies: readonly string[]): PredictRow[] {
  const rows: PredictRow[] = [];
  const shown = new Set<string>();
  for (const bw of bandwidths) {
    for (const dt of downtimes) {
      for (const policy of policies) {
        const runs = records.filter((r) => r.variant === policy && Object.is(r.params[BANDWIDTH_COLUMN] ?? bw, bw) && Object.is(r.params[DOWNTIME_COLUMN] ?? dt, dt));
        // A policy without the axes (post-copy) ran once for all of them: one row, at the first setting.
        if (runs.length === 0 || (runs[0].params[BANDWIDTH_COLUMN] === undefined && shown.has(policy))) continue;
        shown.add(policy);
        const ok = runs.filter((r) => r.metrics.converged === 1);
        const stats: PredictRow['stats'] = {};
        for (const m of PREDICT_METRICS) {
          const s = spread(ok.map((r) => r.metrics[m] ?? NaN));
          if (s !== undefined) stats[m] = s;
        }
        rows.push({ bandwidth_bps: bw, downtime_limit_s: dt, policy, unlimited: runs[0].params[BANDWIDTH_COLUMN] === undefined, runs: runs.length, converged: ok.length, stats });
      }
    }
  }
  return rows;
}

/** QEMU's max-bandwidth in the unit every part of the report shows it in (MiB/s, as an operator sets it). */
export const bandwidthText = (bps: number): string => formatValue(BANDWIDTH_COLUMN, bps);
const limitText = (s: number): string => formatValue('downtime_limit_ms', s * 1e3);
export const verdictText = (r: PredictRow): string => `${r.converged === r.runs ? 'converges' : r.converged === 0 ? 'does not converge' : 'converges sometimes'} (${r.converged}/${r.runs})`;
const spreadText = (m: PredictMetric, s: Spread | undefined): string =>
  s === undefined ? '–' : s.n === 1 || s.p5 === s.p95 ? formatValue(m, s.mean) : `${formatValue(m, s.mean)} (${formatValue(m, s.p5)}–${formatValue(m, s.p95)})`;

/** The metrics any row has, in table order. */
const shownMetrics = (rows: readonly PredictRow[]): PredictMetric[] => PREDICT_METRICS.filter((m) => rows.some((r) => r.stats[m] !== undefined));

export function predictCsv(rows: readonly PredictRow[]): string {
  const metrics = shownMetrics(rows);
  const head = ['max_bandwidth_Bps', 'downtime_limit_ms', 'policy', 'rate_limited', 'trials', 'converged', ...metrics.flatMap((m) => [m, `${m}_p5`, `${m}_p95`])];
  const num = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '' : String(Number(v.toPrecision(10))));
  const body = rows.map((r) => [
    r.unlimited ? '' : num(r.bandwidth_bps / 8),
    r.unlimited ? '' : num(r.downtime_limit_s * 1e3),
    r.policy,
    r.unlimited ? 'false' : 'true',
    String(r.runs),
    String(r.converged),
    ...metrics.flatMap((m) => [num(r.stats[m]?.mean), num(r.stats[m]?.p5), num(r.stats[m]?.p95)]),
  ]);
  return stringify([head, ...body]);
}

export interface Picks {
  fastest?: PredictRow;
  gentlest?: PredictRow;
}

/** Among the settings that converged in every trial: the fastest, and the one with least guest work lost (then the faster). */
export function predictPicks(rows: readonly PredictRow[]): Picks {
  const ok = rows.filter((r) => r.converged === r.runs && r.stats.total_time_ms !== undefined);
  const by = (f: (r: PredictRow) => number, g: (r: PredictRow) => number) => [...ok].sort((a, b) => f(a) - f(b) || g(a) - g(b))[0];
  const time = (r: PredictRow): number => r.stats.total_time_ms!.mean;
  const lost = (r: PredictRow): number => r.stats.guest_lost_s?.mean ?? Infinity;
  return { fastest: by(time, lost), gentlest: by(lost, time) };
}

const settingText = (r: PredictRow): string => (r.unlimited ? `${r.policy} (max-bandwidth and downtime limit do not apply)` : `${r.policy} at max-bandwidth ${bandwidthText(r.bandwidth_bps)}, downtime limit ${limitText(r.downtime_limit_s)}`);

/** The two sentences at the top: what converges fastest and what costs the guest least, with their other costs. */
export function picksText(p: Picks): string[] {
  const cost = (r: PredictRow): string =>
    [`total time ${spreadText('total_time_ms', r.stats.total_time_ms)}`, `downtime ${spreadText('downtime_ms', r.stats.downtime_ms)}`, `${spreadText('wire_bytes', r.stats.wire_bytes)} on the wire`, `guest work lost ${spreadText('guest_lost_s', r.stats.guest_lost_s)}`].join(', ');
  if (p.fastest === undefined) return ['No setting converged in every trial: widen --bandwidth or --downtime-limit, or see which converge sometimes below.'];
  const out = [`Converges fastest: ${settingText(p.fastest)}: ${cost(p.fastest)}.`];
  if (p.gentlest !== undefined) out.push(p.gentlest === p.fastest ? 'It is also the setting with the least guest work lost.' : `Least guest cost: ${settingText(p.gentlest)}: ${cost(p.gentlest)}.`);
  return out;
}

const tableHead = (metrics: readonly PredictMetric[]): string[] => ['max-bandwidth', 'downtime limit', 'policy', 'verdict', ...metrics.map((m) => label(m))];
const tableCells = (r: PredictRow, metrics: readonly PredictMetric[]): string[] => [
  r.unlimited ? 'unlimited' : bandwidthText(r.bandwidth_bps),
  r.unlimited ? 'n/a' : limitText(r.downtime_limit_s),
  r.policy,
  verdictText(r),
  ...metrics.map((m) => spreadText(m, r.stats[m])),
];

/** The table as Markdown (predict.md and the terminal), after the lines given (the measurement, the ranges). */
export function predictMarkdown(rows: readonly PredictRow[], intro: readonly string[]): string {
  const metrics = shownMetrics(rows);
  const head = tableHead(metrics);
  const lines = [...intro, '', ...picksText(predictPicks(rows)), '', 'Mean over the trials that converged, p5–p95 in parentheses:', '', `| ${head.join(' | ')} |`, `|${head.map((_, k) => (k < 4 ? '---' : '---:')).join('|')}|`];
  for (const r of rows) lines.push(`| ${tableCells(r, metrics).join(' | ')} |`);
  return lines.join('\n') + '\n';
}

/** The same as an HTML section of the report, linking the prediction's own files (beside the report). */
export function predictHtml(rows: readonly PredictRow[], intro: readonly string[], files: readonly string[] = []): string {
  const metrics = shownMetrics(rows);
  const head = tableHead(metrics)
    .map((h, k) => `<th${k < 4 ? ' class="key"' : ''}>${e(h)}</th>`)
    .join('');
  let last = '';
  const body = rows.map((r) => {
    const point = `${r.bandwidth_bps}|${r.downtime_limit_s}`;
    const first = point !== last;
    last = point;
    // The report's style shades a cell of class short: every cell of a row that did not always converge.
    const short = r.converged < r.runs;
    const cells = tableCells(r, metrics).map((c, k) => {
      const cls = [...(k < 4 ? ['key'] : []), ...(short ? ['short'] : [])];
      // The spread under the mean, not beside it: the table then fits the page with its guest-cost columns.
      const m = k >= 4 ? /^(.*) \((.*)\)$/.exec(c) : null;
      const text = m === null ? e(c) : `${e(m[1])}<br><small>${e(m[2])}</small>`;
      return `<td${cls.length > 0 ? ` class="${cls.join(' ')}"` : ''}>${text}</td>`;
    });
    return `<tr${first ? ' class="first"' : ''}>${cells.join('')}</tr>`;
  });
  return [
    `<ul class="findings" id="predict-picks">${picksText(predictPicks(rows)).map((t) => `<li>${e(t)}</li>`).join('')}</ul>`,
    `<ul id="predict-input">${intro.map((t) => `<li>${e(t)}</li>`).join('')}</ul>`,
    '<p>Mean over the trials that converged, p5–p95 under it; shaded rows did not converge in every trial.</p>',
    `<div class="wide"><table id="predict"><thead><tr>${head}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table></div>`,
    ...(files.length > 0 ? [`<p>The table and its inputs: ${files.map((f) => `<a href="${e(f)}">${e(f)}</a>`).join(' · ')}.</p>`] : []),
  ].join('\n');
}
