// report.html: one self-contained page (no script, no stylesheet or font from anywhere else, so it
// opens offline from disk and in a mail attachment) that tells a sweep's story in the order a reader
// asks: what was run, a warning when runs did not reach their goal, a few findings the data support,
// the headline table in human units, the headline charts, progress at one point, then every other
// metric, every number per point, and how to reproduce it. Every piece of text that came from a user
// (scenario name, description, file, parameters, variant names) is escaped.
import type { ParamValue } from '../sim/results/record.js';
import { appliesTo, type Aggregate, type AggregateRow } from './aggregate.js';
import { findings } from './findings.js';
import { headlineTable } from './headline.js';
import { sweptAxes, variantsOf } from './sweep-charts.js';
import { formatParam, formatValue, label } from './units.js';

export interface ReportChart {
  title: string;
  /** Rendered SVG (from render.ts). */
  svg: string;
  /** Files beside the report (relative paths) offered as links: the .vl.json spec, the .svg. */
  links: Array<{ label: string; href: string }>;
  /** Where it goes: the headline charts, the detail point, or the later section (default). */
  section?: 'headline' | 'detail' | 'more';
  /** Said under the chart. */
  note?: string;
}

export interface ReportInput {
  title: string;
  description: string;
  kind: string;
  command: string;
  trials: number;
  baseSeed: number | string;
  seeds: Array<{ trial: number; seed: number }>;
  scenarioText: string;
  /** Variants declared outside the scenario file (a sweep file's), as YAML, shown beside it. */
  extraText?: string;
  axes: Array<{ path: string; spec: string; count: number }>;
  runs: number;
  aggregate: Aggregate;
  charts: ReportChart[];
  /** The point the detail charts show, in words, and why it was chosen. */
  detail?: { text: string; why: string };
  /** Output files beside the report, relative paths. */
  files: string[];
  /** Sections of a command's own (vmsim predict's table), shown before the results: HTML, escaped by their maker. */
  sections?: ReportSection[];
}

export interface ReportSection {
  id: string;
  title: string;
  html: string;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]);
const e = escapeHtml;
const plural = (n: number, what: string): string => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;

/** Make an SVG's ids unique within the page: every inline chart restarts its ids at clip1. */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(/\bhref="#([^"]+)"/g, (_m, id: string) => `href="#${prefix}-${id}"`);
}

/** The warning at the top when runs did not reach their goal (null when all did). */
export function goalWarning(agg: Aggregate): string | null {
  const goal = agg.goal;
  if (goal === undefined) return null;
  const points = agg.rows.filter((r) => r.metric === goal);
  const runs = points.reduce((s, r) => s + r.runs, 0);
  const missed = points.reduce((s, r) => s + r.runs - r.reached, 0);
  if (missed === 0) return null;
  const byVariant = variantsOf(points)
    .map((v) => {
      const ps = points.filter((r) => r.variant === v);
      const m = ps.reduce((s, r) => s + r.runs - r.reached, 0);
      return m === 0 ? '' : `${v} (${m} of ${ps.reduce((s, r) => s + r.runs, 0)} runs)`;
    })
    .filter(Boolean);
  // Metrics a run that missed its goal has no value for: some such point has fewer values than runs,
  // and the variant has the metric where it reached its goal (else it does not apply to its policy).
  const empty = agg.metrics.filter((m) => agg.rows.some((r) => r.metric === m && r.reached < r.runs && r.n < r.runs && appliesTo(agg.rows, r.variant, m)));
  const what = empty.length > 0 ? `Such a run has no ${empty.map((m) => label(m).toLowerCase()).join(' and no ')}: they are missing (empty cells in runs.csv), their statistics are over the runs that reached the goal (n in aggregate.csv), ` : 'Their ';
  return `${missed} of ${runs} runs did not reach their goal (${goal} = 0): ${byVariant.join(', ')}. ${what}${empty.length > 0 ? 'and' : ''} the charts mark those points with ✕. Read the times beside the ${goal} counts.`;
}

/** The headline table: a row per point and variant, the kind's headline metrics in human units. */
export function headlineHtml(agg: Aggregate, kind: string): string {
  const t = headlineTable(agg, kind);
  const head = t.head.map((h, i) => `<th${i < t.params.length + 1 ? ' class="key"' : ''}>${e(h)}</th>`).join('');
  let last = '';
  const rows = t.rows.map((r) => {
    const point = JSON.stringify(r.params);
    const first = point !== last;
    last = point;
    const keys = r.params.map((p) => `<td class="key">${first ? e(p) : ''}</td>`).join('');
    const spread = (c: (typeof r.cells)[number]): string => (c.spread === undefined ? '' : ` <span class="spread" style="color:#666">(${e(c.spread[0])} to ${e(c.spread[1])})</span>`);
    const cells = r.cells.map((c, i) => `<td data-metric="${e(t.metrics[i])}"${c.short ? ' class="short"' : ''}${c.title ? ` title="${e(c.title)}"` : ''}>${e(c.text)}${spread(c)}</td>`).join('');
    return `<tr${first ? ' class="first"' : ''}>${keys}<td class="key variant">${e(r.variant)}</td>${cells}</tr>`;
  });
  return `<table id="headline"><thead><tr>${head}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** Every metric per point: one table per variant (and combination of the other swept parameters), metrics down, points across, ten points a table. */
function allMetricsHtml(agg: Aggregate): string {
  const { swept, xs } = sweptAxes(agg);
  const x = xs[0];
  const others = swept.filter((p) => p !== x);
  const groups = new Map<string, AggregateRow[]>();
  for (const r of agg.rows) {
    const k = [r.variant, ...others.map((p) => `${label(p).toLowerCase()} ${formatParam(p, r.params[p])}`)].join(', ');
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(r);
  }
  const out: string[] = [];
  for (const [title, rows] of groups) {
    const points: ParamValue[] = x === undefined ? [''] : [...new Set(rows.map((r) => r.params[x]))];
    for (let c = 0; c < points.length; c += 10) {
      const cols = points.slice(c, c + 10);
      const head = `<th>${x === undefined ? 'metric' : e(label(x))}</th>${cols.map((p) => `<th>${x === undefined ? 'mean' : e(formatParam(x, p))}</th>`).join('')}`;
      const body = agg.metrics.map((m) => {
        const cells = cols.map((p) => {
          const r = rows.find((q) => q.metric === m && (x === undefined || q.params[x] === p));
          if (r === undefined) return '<td></td>';
          const spread = r.p5 !== undefined && Number.isFinite(r.p5) && r.n > 1 ? `, p5-p95 ${formatValue(m, r.p5)} to ${formatValue(m, r.p95!)}` : '';
          const tip = `n = ${r.n} of ${r.runs}${Number.isFinite(r.sd) ? `, sd ${formatValue(m, r.sd)}` : ''}${Number.isFinite(r.ci95_low) ? `, 95% interval ${formatValue(m, r.ci95_low)} to ${formatValue(m, r.ci95_high)}` : ''}${spread}`;
          return `<td title="${e(tip)}">${e(formatValue(m, r.mean))}</td>`;
        });
        return `<tr><td class="key" title="${e(m)}">${e(label(m))} <span class="col">${e(m)}</span></td>${cells.join('')}</tr>`;
      });
      out.push(`<h3>${e(title)}${points.length > 10 ? ` (${c + 1}-${c + cols.length} of ${points.length})` : ''}</h3>\n<table class="all"><thead><tr>${head}</tr></thead><tbody>\n${body.join('\n')}\n</tbody></table>`);
    }
  }
  return out.join('\n');
}

function figures(charts: ReadonlyArray<ReportChart & { index: number }>): string {
  return charts
    .map((c) => {
      const links = c.links.map((l) => `<a href="${e(l.href)}">${e(l.label)}</a>`).join(' · ');
      const note = c.note ? `<br><span class="note">${e(c.note)}</span>` : '';
      return `<figure id="chart-${c.index + 1}" class="chart">\n${scopeSvgIds(c.svg, `c${c.index + 1}`)}\n<figcaption>${e(c.title)}${links ? ` — ${links}` : ''}${note}</figcaption>\n</figure>`;
    })
    .join('\n');
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}h3{font-size:1rem;margin:1.4rem 0 .4rem}
.lead{color:#555;margin-top:0}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
.warning{background:#fff4e5;border-left:5px solid #e67e22;padding:.7rem 1rem;margin:1.2rem 0}
.findings li{margin:.25rem 0}
pre{background:#f6f6f6;padding:.8rem;overflow:auto;border-radius:4px;font-size:13px;white-space:pre-wrap;overflow-wrap:anywhere}
figure{margin:1.5rem 0;overflow-x:auto}figcaption{font-size:13px;color:#555}figure svg{max-width:100%;height:auto}.note{color:#a04000}
.wide{overflow-x:auto}
@media (max-width:700px){body{margin:1rem auto}figure svg{max-width:none}table{display:block;overflow-x:auto;max-width:100%}dd{overflow-wrap:anywhere}}
table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums;margin:.4rem 0}th,td{border:1px solid #ddd;padding:.2rem .45rem;text-align:right;white-space:nowrap}
th{background:#f3f3f3}td.key,th.key,td:first-child,th:first-child{text-align:left}tr.first td{border-top:2px solid #bbb}
td.short,.short-key{background:#fdecea}.col{color:#888;font-size:11px}.all td:first-child{white-space:normal;min-width:14rem}
#headline th{white-space:normal;vertical-align:bottom}
`;

export function reportHtml(r: ReportInput): string {
  const agg = r.aggregate;
  const charts = r.charts.map((c, index) => ({ ...c, index }));
  const section = (s: ReportChart['section']) => charts.filter((c) => (c.section ?? 'more') === s);
  const warning = goalWarning(agg);
  const found = findings(agg, r.kind);
  const { swept } = sweptAxes(agg);
  const fixed = r.axes.filter((a) => a.count === 1).map((a) => `${a.path} = ${a.spec}`);
  const axes = r.axes.map((a) => `<tr><td>${e(a.path)}</td><td>${e(a.spec)}</td><td>${a.count}</td></tr>`).join('\n');
  const seeds = r.seeds.map((s) => `<tr><td>${s.trial}</td><td>${s.seed}</td></tr>`).join('\n');
  const files = r.files.map((f) => `<li><a href="${e(f)}">${e(f)}</a></li>`).join('\n');
  const points = r.runs / r.trials;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(r.title)} — vmsim sweep</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1 id="title">${e(r.title)}</h1>
<p class="lead">${e(r.description)}</p>
<dl>
<dt>kind</dt><dd>${e(r.kind)}</dd>
<dt>runs</dt><dd>${r.runs.toLocaleString('en-US')} (${plural(points, 'point')} × ${plural(r.trials, 'trial')})</dd>
<dt>swept</dt><dd>${e(swept.map(label).join(', ') || 'nothing (one point)')}${variantsOf(agg.rows).length > 1 ? `; variants ${e(variantsOf(agg.rows).join(', '))}` : ''}</dd>
${fixed.length > 0 ? `<dt>set</dt><dd>${e(fixed.join(', '))}</dd>\n` : ''}<dt>base seed</dt><dd>${e(String(r.baseSeed))}</dd>
</dl>
</header>
${(r.sections ?? []).map((s) => `<h2 id="${e(s.id)}">${e(s.title)}</h2>\n${s.html}\n`).join('')}${warning ? `<div class="warning" id="warning" role="alert"><strong>Not every run reached its goal.</strong> ${e(warning)}</div>\n` : ''}<h2 id="results">Results</h2>
${found.length > 0 ? `<ul class="findings" id="findings">\n${found.map((f) => `<li>${e(f)}</li>`).join('\n')}\n</ul>` : ''}
<p>Mean over ${plural(r.trials, 'trial')} per point (hover a cell for the spread and the 95% interval); values in the unit their size calls for (MB and GB are 10<sup>6</sup> and 10<sup>9</sup> bytes).${agg.goal ? ` <span class="short-key">Shaded</span>: not every run reached the goal there.` : ''}</p>
${agg.drawn === undefined ? '' : `<p id="drawn">Each trial drew its own ${e(agg.drawn.join(', '))} from the distributions the scenario gives (every drawn value is a column of runs.csv); in brackets beside each mean, the 5th to 95th percentile of the point's runs.</p>\n`}<div class="wide">${headlineHtml(agg, r.kind)}</div>
${section('headline').length > 0 ? `<h2 id="charts">Charts</h2>\n${figures(section('headline'))}` : ''}
${section('detail').length > 0 ? `<h2 id="detail">One point up close: ${e(r.detail?.text ?? '')}</h2>\n<p>Every variant at ${e(r.detail?.text ?? 'one point')}, trial 0: ${e(r.detail?.why ?? '')}.</p>\n${figures(section('detail'))}` : ''}
<h2 id="more">More metrics</h2>
${section('more').length > 0 ? figures(section('more')) : '<p>No other metric varies over this sweep.</p>'}
<h2 id="all">All metrics per point</h2>
<p>Every metric's mean per point (hover for n, the spread and the 95% interval). Every run is in <a href="runs.csv">runs.csv</a>, these statistics in <a href="aggregate.csv">aggregate.csv</a>.</p>
${allMetricsHtml(agg)}
<h2>Sweep</h2>
<table><thead><tr><th>parameter</th><th>values as given</th><th>points</th></tr></thead><tbody>
${axes}
</tbody></table>
<h2>Seeds</h2>
<p>Trial <i>k</i> of every point runs with seed FNV-1a(base seed, "trial:<i>k</i>"): all policies and parameter values share the random numbers of a trial (common random numbers).</p>
<table><thead><tr><th>trial</th><th>seed</th></tr></thead><tbody>
${seeds}
</tbody></table>
<h2>Command</h2>
<p>Reproduces these results (workers, shards, output folder and progress display do not change them):</p>
<pre id="command">${e(r.command)}</pre>
<h2>Scenario</h2>
<pre id="scenario">${e(r.scenarioText)}</pre>
${r.extraText ? `<p>Variants from the sweep file, added to the scenario's:</p>\n<pre id="variants">${e(r.extraText)}</pre>\n` : ''}<h2>Files</h2>
<ul>
${files}
</ul>
</body>
</html>
`;
}
