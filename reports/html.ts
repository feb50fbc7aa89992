// report.html: one self-contained page (no script, no stylesheet or font from anywhere else, so it
// opens offline from disk and in a mail attachment) with the charts as inline SVG, the per-point
// table, the scenario file, the seeds and a command line that reproduces it. Every piece of text
// that came from a user (scenario name, description, file, parameters, policy names) is escaped.
import type { ParamValue } from '../sim/results/record.js';
import type { Aggregate } from './aggregate.js';

export interface ReportChart {
  title: string;
  /** Rendered SVG (from render.ts). */
  svg: string;
  /** Files beside the report (relative paths) offered as links: the .vl.json spec, the .svg. */
  links: Array<{ label: string; href: string }>;
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
  axes: Array<{ path: string; spec: string; count: number }>;
  runs: number;
  aggregate: Aggregate;
  charts: ReportChart[];
  /** Output files beside the report, relative paths. */
  files: string[];
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]);

const fmt = (v: number): string => {
  if (!Number.isFinite(v)) return '–';
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(3);
  return String(Number(v.toPrecision(5)));
};
const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
const fmtParam = (v: ParamValue | undefined): string => (typeof v === 'number' ? fmt(v) : String(v ?? ''));

/** Make an SVG's ids unique within the page: every inline chart restarts its ids at clip1. */
export function scopeSvgIds(svg: string, prefix: string): string {
  return svg
    .replace(/\bid="([^"]+)"/g, (_m, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${prefix}-${id})`)
    .replace(/\bhref="#([^"]+)"/g, (_m, id: string) => `href="#${prefix}-${id}"`);
}

function pointTable(agg: Aggregate): string {
  const metrics = agg.metrics;
  const groups: Array<{ head: string[]; cells: Map<string, string> }> = [];
  let current: { key: string; head: string[]; cells: Map<string, string> } | undefined;
  for (const r of agg.rows) {
    const key = JSON.stringify([r.scenario, r.variant, ...agg.params.map((p) => fmtParam(r.params[p]))]);
    if (current?.key !== key) {
      current = { key, head: [r.variant, ...agg.params.map((p) => fmtParam(r.params[p]))], cells: new Map() };
      groups.push(current);
    }
    const sd = Number.isFinite(r.sd) ? ` ± ${fmt(r.sd)}` : '';
    const ci = Number.isFinite(r.ci95_low) ? ` title="95% interval ${fmt(r.ci95_low)} to ${fmt(r.ci95_high)}, n = ${r.n}"` : ` title="n = ${r.n}"`;
    current.cells.set(r.metric, `<td${ci}>${escapeHtml(fmt(r.mean) + sd)}</td>`);
  }
  const th = ['variant', ...agg.params, ...metrics].map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const rows = groups.map((g) => `<tr>${g.head.map((h) => `<td>${escapeHtml(h)}</td>`).join('')}${metrics.map((m) => g.cells.get(m) ?? '<td></td>').join('')}</tr>`);
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
.lead{color:#555;margin-top:0}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
pre{background:#f6f6f6;padding:.8rem;overflow:auto;border-radius:4px;font-size:13px}
figure{margin:1.5rem 0;overflow-x:auto}figcaption{font-size:13px;color:#555}figure svg{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums}th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:right}
th{background:#f3f3f3;position:sticky;top:0}td:first-child,th:first-child{text-align:left}.wide{overflow:auto;max-height:70vh}
`;

export function reportHtml(r: ReportInput): string {
  const e = escapeHtml;
  const charts = r.charts
    .map((c, i) => {
      const links = c.links.map((l) => `<a href="${e(l.href)}">${e(l.label)}</a>`).join(' · ');
      return `<figure id="chart-${i + 1}" class="chart">\n${scopeSvgIds(c.svg, `c${i + 1}`)}\n<figcaption>${e(c.title)}${links ? ` — ${links}` : ''}</figcaption>\n</figure>`;
    })
    .join('\n');
  const axes = r.axes.map((a) => `<tr><td>${e(a.path)}</td><td>${e(a.spec)}</td><td>${a.count}</td></tr>`).join('\n');
  const seeds = r.seeds.map((s) => `<tr><td>${s.trial}</td><td>${s.seed}</td></tr>`).join('\n');
  const files = r.files.map((f) => `<li><a href="${e(f)}">${e(f)}</a></li>`).join('\n');
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
<dt>runs</dt><dd>${r.runs} (${plural(r.runs / r.trials, 'point')} × ${plural(r.trials, 'trial')})</dd>
<dt>base seed</dt><dd>${e(String(r.baseSeed))}</dd>
</dl>
</header>
<h2>Charts</h2>
${charts || '<p>No charts.</p>'}
<h2>Results per point</h2>
<p>Mean ± standard deviation over trials (hover a cell for the 95% interval of the mean). Every run is in <a href="runs.csv">runs.csv</a>, these statistics in <a href="aggregate.csv">aggregate.csv</a>.</p>
<div class="wide">${pointTable(r.aggregate)}</div>
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
<h2>Files</h2>
<ul>
${files}
</ul>
</body>
</html>
`;
}
