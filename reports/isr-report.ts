// report.html of an ISR reproduction: both of the paper's tables with the published value beside
// every simulated one and the misses marked, the charts (misses ringed, published ranges as bands),
// the list of cells outside their tolerance, and, for a what-if (any --set), the inputs that differ
// from the 2005 testbed and why the comparison is then informative only. Self-contained like the
// sweep report: no script, nothing loaded from elsewhere, every user text escaped.
import type { Cell } from './isr-tables.js';
import type { Comparison } from './isr-compare.js';
import { escapeHtml as e, scopeSvgIds } from './html.js';
import { formatBitRate } from './charts.js';
import { formatNumber } from './units.js';

export interface ReproductionReport {
  title: string;
  description: string;
  command: string;
  trials: number;
  resume: readonly Cell[];
  slowdown: readonly Cell[];
  comparison: readonly Comparison[];
  /** --set overrides as given: a what-if when non-empty. */
  overrides: readonly string[];
  charts: Array<{ title: string; svg: string; href: string }>;
  files: string[];
}

/** What a what-if says about the comparison (empty when the inputs are the testbed's). */
export function whatIfNote(overrides: readonly string[]): string {
  if (overrides.length === 0) return '';
  return `What-if: these inputs differ from the 2005 testbed (${overrides.map((o) => `--set ${o}`).join(', ')}). The published values were measured with the testbed's inputs, so the comparison is informative only where the inputs equal it; here a difference from the paper is the effect of the change, and a ✗ is not a model error.`;
}

function table(title: string, unit: string, cs: readonly Cell[], cmp: readonly Comparison[], which: Comparison['table']): string {
  const policies = [...new Set(cs.map((c) => c.policy))];
  const bws = [...new Set(cs.map((c) => c.bandwidth_bps))];
  const head = `<tr><th rowspan="2">policy</th>${bws.map((b) => `<th colspan="2">${e(formatBitRate(b))}</th>`).join('')}</tr><tr>${bws.map(() => '<th>simulated</th><th>published</th>').join('')}</tr>`;
  const rows = policies.map((p) => {
    const cells = bws.map((b) => {
      const c = cs.find((x) => x.policy === p && x.bandwidth_bps === b);
      if (c === undefined) return '<td></td><td></td>';
      const k = cmp.find((x) => x.table === which && x.policy === p && x.bandwidth_bps === b);
      const range = k?.constraint.match(/^published (\d+(?:\.\d+)?-\d+(?:\.\d+)?) s/)?.[1];
      const pub = k?.published !== null && k?.published !== undefined ? formatNumber(k.published) : range !== undefined ? `${range}` : '';
      const miss = k?.holds === false;
      const tip = `mean ± sd over ${c.n} trial${c.n === 1 ? '' : 's'}${k ? `; ${k.constraint}${k.holds === null ? '' : k.holds ? ': holds' : ': missed'}` : ''}`;
      return `<td class="${miss ? 'miss' : ''}" title="${e(tip)}">${e(`${formatNumber(c.mean)} ± ${formatNumber(c.sd)}`)}${miss ? ' ✗' : ''}</td><td class="pub">${e(pub)}</td>`;
    });
    return `<tr><td>${e(p)}</td>${cells.join('')}</tr>`;
  });
  return `<h3>${e(title)} (${e(unit)})</h3>\n<table data-table="${which}"><thead>${head}</thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}h3{font-size:1rem;margin:1.2rem 0 .4rem}
.lead{color:#555;margin-top:0}.warning{background:#fff4e5;border-left:5px solid #e67e22;padding:.7rem 1rem;margin:1.2rem 0}
table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums;margin:.4rem 0}th,td{border:1px solid #ddd;padding:.2rem .45rem;text-align:right;white-space:nowrap}
th{background:#f3f3f3;text-align:center}td:first-child{text-align:left}td.pub{color:#555}td.miss{background:#fdecea}
figure{margin:1.5rem 0;overflow-x:auto}figcaption{font-size:13px;color:#555}figure svg{max-width:100%;height:auto}
pre{background:#f6f6f6;padding:.8rem;overflow:auto;border-radius:4px;font-size:13px;white-space:pre-wrap}
`;

type Results = Omit<ReproductionReport, 'charts' | 'files'>;

/** The what-if note (for --set) and how many published cells hold. */
export function reproductionVerdict(r: Results): string {
  const judged = r.comparison.filter((c) => c.holds !== null);
  const missed = judged.filter((c) => c.holds === false);
  const note = whatIfNote(r.overrides);
  return `${note ? `<div class="warning" id="what-if" role="note">${e(note)}</div>\n` : ''}<p id="verdict"><strong>${judged.length - missed.length} of ${judged.length}</strong> published cells within tolerance${note ? ' (informative only: the inputs differ from the testbed)' : ''}; ✗ and a shaded cell mark the others. Simulated: mean ± sample standard deviation over ${r.trials} trial${r.trials === 1 ? '' : 's'}; hover a cell for its tolerance.</p>`;
}

/** Both tables with the published value beside every simulated one, the dirty state, the misses. */
export function reproductionTables(r: Results): string {
  const missed = r.comparison.filter((c) => c.holds === false);
  const shown = (table: Comparison['table'], v: number): string => (table === 'resume_latency' ? `${formatNumber(v)} s` : table === 'slowdown' ? `${formatNumber(v)}%` : `${formatNumber(v / 1e6)} MB`);
  const misses = missed.map((m) => `<li>${e(`${m.table.replace(/_/g, ' ').replace(' bytes', '')}${m.bandwidth_bps === null ? '' : ` of ${m.policy} at ${formatBitRate(m.bandwidth_bps)}`}: simulated ${shown(m.table, m.simulated)}${m.published !== null ? `, published ${shown(m.table, m.published)}` : ''} (${m.constraint})`)}</li>`);
  const state = r.comparison.find((c) => c.table === 'suspend_state_bytes');
  return `${table('Resume latency', 's', r.resume, r.comparison, 'resume_latency')}
${table('Slowdown over T_noisr', '%', r.slowdown, r.comparison, 'slowdown')}
${state ? `<p>Suspend-time dirty state (memory image and dirty chunks written back at suspend): ${e(formatNumber(state.simulated / 1e6))} MB simulated, ${e(state.published === null ? '' : formatNumber(state.published / 1e6))} MB published${state.holds === false ? ' ✗' : ''}.</p>` : ''}
${misses.length > 0 ? `<h3>Outside tolerance</h3>\n<ul id="misses">\n${misses.join('\n')}\n</ul>` : ''}`;
}

/** How to read the reproduction's charts (the report and the explorer page show the same words). */
export const REPRODUCTION_CHARTS_KEY =
  'Dots: simulated means (±1 sd). Black diamonds: published values; grey bands, labelled with their range: published ranges. Red rings: outside tolerance.';

export function reproductionHtml(r: ReproductionReport): string {
  const charts = r.charts.map((c, i) => `<figure class="chart" id="chart-${i + 1}">\n${scopeSvgIds(c.svg, `c${i + 1}`)}\n<figcaption>${e(c.title)} — <a href="${e(c.href)}">Vega-Lite spec</a></figcaption>\n</figure>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(r.title)} — vmsim reproduce</title>
<style>${STYLE}</style>
</head>
<body>
<h1 id="title">${e(r.title)}: simulated against published</h1>
<p class="lead">${e(r.description)}</p>
${reproductionVerdict(r)}
<h2>Tables</h2>
${reproductionTables(r)}
<h2>Charts</h2>
<p>${e(REPRODUCTION_CHARTS_KEY)}</p>
${charts.join('\n')}
<h2>Command</h2>
<pre id="command">${e(r.command)}</pre>
<h2>Files</h2>
<ul>
${r.files.map((f) => `<li><a href="${e(f)}">${e(f)}</a></li>`).join('\n')}
</ul>
</body>
</html>
`;
}
