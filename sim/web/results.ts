// The results part of the page, from the same functions the CLI's outputs use: runs.csv and
// aggregate.csv (sweepData), the warning, findings and headline table of report.html, the
// reproduction's tables with the published values beside them, and the same Vega-Lite specs, drawn
// by vega in the page (SVG renderer). Downloads are Blob URLs: nothing leaves the page.
import { compile, type TopLevelSpec } from 'vega-lite';
import { parse, View, type LoggerInterface } from 'vega';
import type { ParamValue, RunRecord } from '../results/record.js';
import { findings } from '../../reports/findings.js';
import { escapeHtml as e, goalWarning, headlineHtml } from '../../reports/html.js';
import { REPRODUCTION_CHARTS_KEY, reproductionTables, reproductionVerdict } from '../../reports/isr-report.js';
import { partialFiles, sweepData, type SweepChart } from '../experiment/sweep-outputs.js';
import type { OutputFile } from '../pipeline/index.js';
import type { SweepDefinition } from '../experiment/sweep-plan.js';
import type { ReproductionResult } from './protocol.js';
import { fitFacets, isFaceted } from './fit.js';
import { detailChoices, ranWithHtml, type RanWith } from './variants-shown.js';
import { guestCostHtml } from './guest-cost.js';

/** Blob URLs of the results shown; revoked when the next results replace them. */
let urls: string[] = [];

function link(name: string, content: string | Uint8Array, label = name): string {
  const type = name.endsWith('.csv') ? 'text/csv' : name.endsWith('.json') ? 'application/json' : name.endsWith('.yaml') ? 'application/yaml' : 'text/plain';
  const url = URL.createObjectURL(new Blob([content as BlobPart], { type: `${type};charset=utf-8` }));
  urls.push(url);
  const download = name.replace(/\//g, '-');
  return `<a href="${e(url)}" download="${e(download)}" data-file="${e(name)}">${e(label)}</a>`;
}

function clear(body: HTMLElement): void {
  for (const u of urls) URL.revokeObjectURL(u);
  urls = [];
  body.replaceChildren();
}

const plural = (n: number, what: string): string => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`;

/** Vega's warnings are the chart's business (the CLI collects them); errors surface as exceptions. */
function quietLogger(): LoggerInterface {
  const logger: LoggerInterface = {
    level: ((_?: number) => logger) as LoggerInterface['level'],
    error: (...args: readonly unknown[]) => {
      throw new Error(`chart: ${args.map(String).join(' ')}`);
    },
    warn: () => logger,
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** Draw a Vega-Lite spec into `el` as SVG. */
async function draw(el: HTMLElement, spec: TopLevelSpec): Promise<View> {
  const logger = quietLogger();
  const view = new View(parse(compile(spec, { logger }).spec), { renderer: 'svg', container: el, hover: true, logger });
  await view.runAsync();
  return view;
}

/** Figures for charts, each drawn as it is added; `first` numbers them on the page. */
async function figures(parent: HTMLElement, charts: ReadonlyArray<{ name: string; title: string; spec: TopLevelSpec; note?: string }>, first: number): Promise<void> {
  const into = document.createElement('div');
  into.className = 'charts';
  parent.append(into);
  for (const [i, c] of charts.entries()) {
    const fig = document.createElement('figure');
    fig.className = isFaceted(c.spec) ? 'chart faceted' : 'chart';
    fig.id = `chart-${first + i}`;
    const holder = document.createElement('div');
    const caption = document.createElement('figcaption');
    caption.innerHTML = `${e(c.title)} — ${link(`${c.name}.vl.json`, JSON.stringify(c.spec, null, 2) + '\n', 'Vega-Lite spec')}${c.note ? `<br><span class="note">${e(c.note)}</span>` : ''}`;
    fig.append(holder, caption);
    into.append(fig);
    // A faceted chart gets the row's width, its cells as many columns as fit (fit.ts).
    await draw(holder, isFaceted(c.spec) ? fitFacets(c.spec, into.clientWidth || parent.clientWidth || 360) : c.spec);
  }
}

function section(body: HTMLElement, html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  body.append(div);
  return div;
}

function downloads(files: readonly OutputFile[], scenario: { file: string; text: string }): string {
  return `<p class="downloads" id="downloads"><strong>Download:</strong> ${files.map((f) => link(f.name, f.content)).join(' ')} ${link(scenario.file, scenario.text)}</p>`;
}

export interface SweepShown {
  definition: SweepDefinition;
  records: RunRecord[];
  wall_s: number;
  scenario: { file: string; text: string };
  /** Each variant's policy and the options it ran with. */
  ranWith: RanWith[];
  /** The detail point (parameter column -> value), as --detail-point gives it; undefined: the default rule's. */
  detail?: Record<string, ParamValue>;
  /** Another detail point was picked: its --detail-point texts. */
  onDetail: (texts: string[]) => void;
}

/** A finished sweep: downloads, what ran, the warning, findings, headline table and charts. */
export async function showSweep(body: HTMLElement, s: SweepShown): Promise<void> {
  clear(body);
  const def = s.definition;
  const data = sweepData(s.records, def, s.detail);
  const agg = data.aggregate;
  const warning = goalWarning(agg);
  const found = findings(agg, def.kind);
  const points = def.runs / def.trials;
  section(
    body,
    `${downloads(data.files, s.scenario)}
<p id="ran" data-wall-s="${s.wall_s}"><strong>${e(def.scenario)}</strong>: ${plural(def.runs, 'run')} (${plural(points, 'point')} × ${plural(def.trials, 'trial')}) in ${s.wall_s.toFixed(2)} s of simulation in this page.</p>
${warning ? `<div class="warning" id="warning" role="alert"><strong>Not every run reached its goal.</strong> ${e(warning)}</div>` : ''}
${found.length > 0 ? `<ul class="findings" id="findings">\n${found.map((f) => `<li>${e(f)}</li>`).join('\n')}\n</ul>` : ''}
<p class="hint">Mean over ${plural(def.trials, 'trial')} per point (hover a cell for the spread and the 95% interval).</p>
<div class="wide">${headlineHtml(agg, def.kind)}</div>
${guestCostHtml(agg)}
${ranWithHtml(s.ranWith)}`,
  );
  const by = (sec: SweepChart['section']) => data.charts.filter((c) => c.section === sec);
  const headline = section(body, by('headline').length > 0 ? '<h3>Charts</h3>' : '');
  await figures(headline, by('headline'), 1);
  const detail = by('detail');
  if (detail.length > 0) {
    const picker = detailChoices(s.records, def, data.point.params);
    const why = data.point.why.replace('with --detail-point', 'with the picker');
    const d = section(body, `<h3 id="detail">One point up close: ${e(data.point.text)}</h3>${pickerHtml(picker)}<p class="hint">Every variant at ${e(data.point.text)}, trial 0: ${e(why)}.</p>`);
    d.querySelector('#detail-picker')?.addEventListener('change', () => {
      const texts = [...d.querySelectorAll<HTMLSelectElement>('#detail-picker select')].map((x) => `${x.dataset.path}=${x.value}`);
      s.onDetail(texts);
    });
    await figures(d, detail, 1 + by('headline').length);
  }
  const more = by('more');
  if (more.length > 0) {
    // Drawn when opened: a sweep of many metrics has many charts.
    const box = section(body, `<details id="more"><summary>More metrics (${more.length} chart${more.length === 1 ? '' : 's'})</summary></details>`);
    const details = box.querySelector('details')!;
    let drawn = false;
    details.addEventListener('toggle', () => {
      if (drawn || !details.open) return;
      drawn = true;
      void figures(details, more, 1 + by('headline').length + detail.length);
    });
  }
}

/** One select per swept parameter: the values swept, the detail point's chosen. */
function pickerHtml(picker: ReturnType<typeof detailChoices>): string {
  if (picker.length === 0) return '';
  const selects = picker.map(
    (a) =>
      `<label>${e(a.label)} <select data-path="${e(a.path)}" aria-label="detail point: ${e(a.label)}">${a.values.map((v) => `<option value="${e(v.text)}"${v.chosen ? ' selected' : ''}>${e(v.label)}</option>`).join('')}</select></label>`,
  );
  return `<div id="detail-picker" class="row picker"><span class="hint">Look at another point:</span>${selects.join('')}</div>`;
}

/** A cancelled sweep: its completed runs, as the CLI keeps them after Ctrl-C. */
export function showPartial(body: HTMLElement, def: SweepDefinition, records: RunRecord[], why: string): void {
  clear(body);
  const files = partialFiles(records, def, why);
  section(body, `<p id="partial">${e(why)}. ${records.length > 0 ? `The ${plural(records.length, 'completed run')} (in grid order) are kept, marked partial: ${files.map((f) => link(f.name, f.content)).join(' ')}` : 'No run had finished.'}</p>`);
}

/** A finished ISR reproduction: the paper's tables with the published values, its charts, its files. */
export async function showReproduction(body: HTMLElement, r: ReproductionResult, scenario: { file: string; text: string }): Promise<void> {
  clear(body);
  section(
    body,
    `${downloads(r.files, scenario)}
<p id="ran" data-wall-s="${r.wall_s}"><strong>${e(r.report.title)}</strong>: ${plural(r.runs, 'run')}, ${r.events.toLocaleString('en-US')} events, ${r.wall_s.toFixed(2)} s of simulation in this page.</p>
${reproductionVerdict(r.report)}
<div class="wide" id="reproduction">${reproductionTables(r.report)}</div>
<h3>Charts</h3>
<p class="hint">${e(REPRODUCTION_CHARTS_KEY)}</p>`,
  );
  await figures(section(body, ''), r.charts, 1);
}

/** An error in place of results: the message as the CLI prints it (after "vmsim: "). */
export function showNothing(body: HTMLElement, text: string): void {
  clear(body);
  section(body, `<p class="empty">${e(text)}</p>`);
}
