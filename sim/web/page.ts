// The explorer page: a scenario (shipped, edited or pasted; checked as it is typed with the CLI's
// messages), an experiment (what to compare, the swept parameter, more --set lines, trials, seed),
// and the results. The simulation runs in a Web Worker (runner.ts), so the page stays usable and a
// long sweep can be cancelled; the command under the form reruns the same experiment with the CLI.
import { loadScenario, listPolicies, type Loaded } from '../api.js';
import { VmsimError, messages } from '../errors.js';
import { planSweep, shellQuote, type SweepPlan } from '../experiment/sweep-plan.js';
import { execute, read, stopped } from '../pipeline/index.js';
import { DATA_ELEMENT, type ExplorerData, type ShippedText } from './data.js';
import { moreSetLines, reproduceCommandOf, runsOf, sweepAxes, sweepCommandOf, type Form } from './experiment.js';
import { Runner, WorkerExecutor } from './runner.js';
import { showNothing, showPartial, showReproduction, showSweep } from './results.js';
import { defaultTicks } from './compare.js';
import { decodeLink, encodeLink, type Experiment } from './link.js';
import { addVariant, type NewVariant } from './variant-form.js';
import { ranWithOf } from './variants-shown.js';
import { resolveDetailPoint } from '../experiment/detail-point.js';
import type { ParamValue } from '../results/record.js';
import { LAYOUT, STYLE } from './view.js';
import { escapeHtml } from '../../reports/html.js';
import { defaultBandwidthPath, defaultBandwidths, reproductionOf } from '../kinds/index.js';
import type { Reference } from '../../reports/isr-compare.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

/** The name a pasted scenario goes by in messages and downloads. */
const PASTED = 'scenario';

interface State {
  data: ExplorerData;
  runner: Runner;
  /** The shipped scenario chosen, or PASTED. */
  name: string;
  /** What the editor's text gives (undefined while it does not validate). */
  loaded: Loaded | undefined;
  /** The kind of the last text that validated: the form keeps its settings while the kind stays. */
  kind: string | undefined;
  /** Ticked compare items: "variant:NAME" or "policy:NAME". */
  ticked: Set<string>;
  /** The detail point as --detail-point texts (PATH=VALUE); empty: the report's rule. */
  detail: string[];
  /** The variants the last valid text declared (names, comma-separated). */
  variants: string;
}

const fileOf = (s: State): string => `${s.name}.yaml`;

function form(s: State): Form {
  const ticked = [...s.ticked];
  return {
    axisPath: $<HTMLInputElement>('axis-path').value,
    axisValues: $<HTMLInputElement>('axis-values').value,
    moreSets: $<HTMLTextAreaElement>('more-sets').value,
    trials: $<HTMLInputElement>('trials').value,
    seed: $<HTMLInputElement>('seed').value,
    variants: ticked.filter((t) => t.startsWith('variant:')).map((t) => t.slice('variant:'.length)),
    policies: ticked.filter((t) => t.startsWith('policy:')).map((t) => t.slice('policy:'.length)),
  };
}

function setStatus(text: string, bad = false): void {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('bad', bad);
}

const canReproduce = (l: Loaded | undefined): boolean => l !== undefined && reproductionOf(l.scenario) !== undefined;

/** The command that reruns the experiment with the CLI, or what is wrong with the form. */
function updateCommand(s: State): void {
  const d = { trials: s.loaded?.scenario.trials ?? 1, seed: s.loaded?.scenario.seed ?? 1 };
  try {
    const sweep = sweepCommandOf(fileOf(s), form(s), d) + detailFlags(s);
    $('command').textContent = canReproduce(s.loaded) ? `${sweep}\n${reproduceCommandOf(fileOf(s), form(s), d)}    # the paper's tables` : sweep;
  } catch (e) {
    $('command').textContent = e instanceof VmsimError ? `(${e.message})` : String(e);
  }
  syncLink(s);
}

const detailFlags = (s: State): string => s.detail.map((d) => ` --detail-point ${shellQuote(d)}`).join('');

/** The experiment as the page's form holds it, for its link. */
function experimentOf(s: State): Experiment {
  const text = $<HTMLTextAreaElement>('editor').value;
  const shipped = s.data.scenarios.find((x) => x.name === s.name);
  const f = form(s);
  return { scenario: s.name, text: shipped?.text === text ? undefined : text, compare: [...s.ticked], axisPath: f.axisPath, axisValues: f.axisValues, moreSets: f.moreSets, trials: f.trials, seed: f.seed, detail: s.detail };
}

/** Keep the page's address the experiment's link (replaceState: no history entry per keystroke). */
function syncLink(s: State): void {
  const hash = `#${encodeLink(experimentOf(s))}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
  $<HTMLAnchorElement>('share').href = hash;
}

/** The compare list: the scenario's variants, then the policies of its kind. */
function renderCompare(s: State): void {
  const list = $('compare-list');
  const l = s.loaded;
  if (l === undefined) return; // keep the last valid list while the text is being edited
  const variants = Object.entries(l.scenario.variants ?? {});
  const policies = listPolicies(l.scenario.kind);
  const items: string[] = [];
  const item = (key: string, label: string, title: string): string =>
    `<label title="${escapeHtml(title)}"><input type="checkbox" data-key="${escapeHtml(key)}"${s.ticked.has(key) ? ' checked' : ''}> ${label}</label>`;
  if (variants.length > 0) {
    items.push('<div class="group">variants of this scenario</div>');
    for (const [name, v] of variants) items.push(item(`variant:${name}`, `<b>${escapeHtml(name)}</b> <span class="hint">(${escapeHtml(v.policy)})</span>`, v.description ?? `policy ${v.policy}`));
  }
  items.push(`<div class="group">${escapeHtml(l.scenario.kind)} policies</div>`);
  for (const p of policies) items.push(item(`policy:${p.name}`, `${escapeHtml(p.name)}${p.name === l.scenario.policy ? ' <span class="hint">(the scenario\'s options)</span>' : ' <span class="hint">(its defaults)</span>'}`, p.summary));
  list.innerHTML = items.join('');
  const pick = $<HTMLSelectElement>('variant-policy');
  const was = pick.value;
  pick.innerHTML = policies.map((p) => `<option value="${escapeHtml(p.name)}">${escapeHtml(p.name)}</option>`).join('');
  pick.value = policies.some((p) => p.name === was) ? was : l.scenario.policy;
  // Forget ticks of items that are gone.
  for (const k of [...s.ticked]) if (!list.querySelector(`input[data-key="${CSS.escape(k)}"]`)) s.ticked.delete(k);
}


/** Validate the editor's text as `vmsim validate` would; show the verdict. */
function check(s: State): void {
  const el = $('check');
  try {
    const l = loadScenario($<HTMLTextAreaElement>('editor').value, { file: fileOf(s) });
    const kindChanged = s.kind !== l.scenario.kind;
    s.loaded = l;
    s.kind = l.scenario.kind;
    el.className = 'ok';
    el.textContent = `✓ a valid ${l.scenario.kind} scenario, "${l.scenario.name}"${l.scenario.variants ? ` with ${Object.keys(l.scenario.variants).length} variants` : ''}`;
    $('trials').setAttribute('placeholder', `${l.scenario.trials} (the scenario's)`);
    $('seed').setAttribute('placeholder', `${l.scenario.seed} (the scenario's)`);
    $('reproduce').hidden = !canReproduce(l);
    const variants = Object.keys(l.scenario.variants ?? {}).join(',');
    // A new kind, or variants declared where policies were ticked: tick the defaults again.
    if (kindChanged || (variants !== s.variants && [...s.ticked].some((t) => t.startsWith('policy:')) && variants !== '')) {
      s.ticked = new Set(defaultTicks(l, listPolicies(l.scenario.kind).map((p) => p.name)));
    }
    s.variants = variants;
    if (kindChanged) $<HTMLInputElement>('axis-values').value = defaultBandwidths(l.scenario.kind);
    if (kindChanged) $<HTMLInputElement>('axis-path').value = defaultBandwidthPath(l.scenario.kind);
    renderCompare(s);
  } catch (e) {
    s.loaded = undefined;
    el.className = 'bad';
    el.textContent = e instanceof VmsimError ? e.message : String(e);
  }
  updateCommand(s);
}

function choose(s: State, name: string): void {
  const shipped = s.data.scenarios.find((x) => x.name === name);
  s.name = shipped?.name ?? PASTED;
  $<HTMLSelectElement>('scenario-select').value = s.name;
  $<HTMLTextAreaElement>('editor').value = shipped?.text ?? '';
  $('scenario-description').textContent = shipped ? `${shipped.description} (${shipped.path})` : 'Paste a scenario file (YAML or JSON) into the editor.';
  $('editor-file').textContent = `— ${fileOf(s)}`;
  $('reset').hidden = shipped === undefined;
  s.loaded = undefined;
  s.kind = undefined;
  s.ticked.clear();
  s.detail = [];
  $<HTMLTextAreaElement>('more-sets').value = '';
  $<HTMLInputElement>('trials').value = '';
  $<HTMLInputElement>('seed').value = '';
  $<HTMLInputElement>('axis-path').value = 'link.bandwidth';
  $('compare-list').replaceChildren();
  check(s);
}

function busy(on: boolean): void {
  $<HTMLButtonElement>('run').disabled = on;
  $<HTMLButtonElement>('reproduce').disabled = on;
  $<HTMLButtonElement>('cancel').disabled = !on;
  document.documentElement.dataset.busy = on ? '1' : '';
}

function progress(done: number, total: number, t0: number): void {
  const bar = $<HTMLProgressElement>('progress');
  bar.max = Math.max(1, total);
  bar.value = done;
  const s = (performance.now() - t0) / 1000;
  const rate = s > 0 ? done / s : 0;
  const left = rate > 0 ? (total - done) / rate : 0;
  setStatus(`${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} runs${rate > 0 ? ` · ${rate.toFixed(1)} runs/s · about ${Math.ceil(left)} s left` : ''}`);
}

/** What every run needs from the form; a bad field is reported like the CLI reports a bad flag. */
function settings(s: State): { text: string; file: string; trials?: number; seed?: number } {
  return { text: $<HTMLTextAreaElement>('editor').value, file: fileOf(s), ...runsOf(form(s)) };
}

const capital = (t: string): string => `${t.charAt(0).toUpperCase()}${t.slice(1)}`;

function fail(e: unknown): void {
  setStatus(e instanceof VmsimError ? e.message : String(e), true);
  busy(false);
}

/** What the Cancel button does while something runs. */
let cancelHandler: (() => void) | undefined;

function runSweep(s: State): void {
  let base: ReturnType<typeof settings>;
  let plan: SweepPlan;
  try {
    base = settings(s);
    // Every point is validated before anything runs: bad input runs nothing, the results stay.
    plan = planSweep({ scenarioArg: base.file, scenario: read(base.file, base.text), axes: sweepAxes(form(s)), trials: base.trials, seed: base.seed });
  } catch (e) {
    return fail(e);
  }
  const scenario = { file: base.file, text: base.text };
  const def = plan.definition;
  const total = plan.jobs.length;
  const t0 = performance.now();
  let done = 0;
  busy(true);
  $<HTMLProgressElement>('progress').value = 0;
  progress(0, total, t0);
  const body = $('results-body');
  const stop = new AbortController();
  cancelHandler = () => stop.abort(capital(messages.cancelled(done, total)));
  void execute(plan, new WorkerExecutor(s.runner), { signal: stop.signal, onProgress: (n) => progress((done = n), total, t0) }).then((ex) => {
    cancelHandler = undefined;
    const records = ex.completed.map((c) => c.record);
    const end = stopped(ex);
    if (end === undefined) {
      setStatus(`Done: ${total.toLocaleString('en-US')} runs in ${ex.wall_s.toFixed(2)} s of simulation.`);
      busy(false);
      const declared = Object.keys(s.loaded?.scenario.variants ?? {});
      const own = String((read(base.file, base.text).doc as { policy?: unknown } | null)?.policy ?? '');
      const ranWith = ranWithOf(plan.points, declared, own);
      return showResults(s, { definition: def, records, wall_s: ex.wall_s, scenario, ranWith });
    }
    if (ex.outcome === 'cancelled') {
      setStatus(`${end.why}; the page is ready for the next run.`);
      busy(false);
    } else fail(ex.error);
    // As the CLI does, the runs that completed before it stopped are kept, marked partial.
    showPartial(body, def, end.keep ? records : [], end.why);
  });
}

type Finished = Omit<Parameters<typeof showSweep>[1], 'detail' | 'onDetail'>;

/** A finished sweep at the chosen detail point; picking another redraws it (nothing runs again). */
function showResults(s: State, r: Finished): Promise<void> {
  let detail: Record<string, ParamValue> | undefined;
  try {
    detail = s.detail.length > 0 ? resolveDetailPoint(s.detail, r.definition, Object.keys(r.records[0]?.params ?? {})) : undefined;
  } catch (e) {
    // A detail point the sweep does not have (a link from another sweep): said, and the rule's point shown.
    setStatus(`${$('status').textContent ?? ''} ${e instanceof VmsimError ? e.message : String(e)}`, true);
    s.detail = [];
  }
  $('command').textContent = r.definition.command + detailFlags(s);
  syncLink(s);
  const onDetail = (texts: string[]): void => {
    s.detail = texts;
    void showResults(s, r).then(() => document.getElementById('detail')?.scrollIntoView());
  };
  return showSweep($('results-body'), { ...r, detail, onDetail }).catch(fail);
}

function runReproduction(s: State): void {
  const l = s.loaded;
  let base: ReturnType<typeof settings>;
  try {
    base = settings(s);
    // The scenario being edited does not validate: say why, as the check under the editor does.
    if (l === undefined) throw new VmsimError($('check').textContent ?? '');
  } catch (e) {
    return fail(e);
  }
  const ref = reproductionOf(l.scenario)?.reference ?? '';
  const reference = s.data.references[ref] as Reference | undefined;
  if (reference === undefined) return fail(new VmsimError(messages.badReference(`${base.file}, field reproduce.reference`, ref, messages.notEmbedded(ref))));
  const t0 = performance.now();
  busy(true);
  setStatus('Reproducing…');
  cancelHandler = () => {
    s.runner.cancel();
    setStatus('Cancelled; the page is ready for the next run.');
    busy(false);
  };
  const set = moreSetLines(form(s).moreSets);
  s.runner.send({ type: 'reproduce', name: base.file, file: base.file, text: base.text, reference, set, trials: base.trials, seed: base.seed }, (m) => {
    if (m.type === 'progress') progress(m.done, m.total, t0);
    else if (m.type === 'reproduced') {
      cancelHandler = undefined;
      setStatus(`Done: ${m.result.runs} runs in ${m.result.wall_s.toFixed(2)} s of simulation.`);
      $('command').textContent = m.result.report.command;
      busy(false);
      showReproduction($('results-body'), m.result, { file: base.file, text: base.text }).catch(fail);
    } else if (m.type === 'error') {
      cancelHandler = undefined;
      fail(new VmsimError(m.message));
    }
  });
}

/** Open the experiment a link gives; say what it could not restore (never a blank page). */
function restore(s: State, hash: string): void {
  const { experiment: x, problems } = decodeLink(hash);
  const names = s.data.scenarios.map((d) => d.name);
  let name = x.scenario ?? names[0] ?? PASTED;
  if (name !== PASTED && !names.includes(name)) {
    problems.push(messages.linkNoScenario(name, names));
    name = names[0] ?? PASTED;
  }
  choose(s, name);
  if (x.text !== undefined) {
    $<HTMLTextAreaElement>('editor').value = x.text;
    check(s);
  }
  const fields: Array<[string, string | undefined]> = [['axis-path', x.axisPath], ['axis-values', x.axisValues], ['more-sets', x.moreSets], ['trials', x.trials], ['seed', x.seed]];
  for (const [id, v] of fields) if (v !== undefined) $<HTMLInputElement>(id).value = v;
  if (x.compare !== undefined) {
    const offered = new Set([...$('compare-list').querySelectorAll<HTMLInputElement>('input[data-key]')].map((b) => b.dataset.key!));
    const missing = x.compare.filter((k) => !offered.has(k));
    if (missing.length > 0) problems.push(messages.linkNoCompare(missing));
    s.ticked = new Set(x.compare.filter((k) => offered.has(k)));
    for (const b of $('compare-list').querySelectorAll<HTMLInputElement>('input[data-key]')) b.checked = s.ticked.has(b.dataset.key!);
  }
  s.detail = x.detail ?? [];
  $('link-status').textContent = problems.length > 0 ? messages.linkRestored(problems) : '';
  updateCommand(s);
}

/** The variant form: checked as it is typed (the CLI's messages); Add writes it into the scenario. */
function wireVariantForm(s: State): void {
  const fields = (): NewVariant => ({ name: $<HTMLInputElement>('variant-name').value, policy: $<HTMLSelectElement>('variant-policy').value, options: $<HTMLTextAreaElement>('variant-options').value });
  const policies = (): string[] => [...s.ticked].filter((t) => t.startsWith('policy:')).map((t) => t.slice('policy:'.length));
  const attempt = (): ReturnType<typeof addVariant> | undefined => {
    const el = $('variant-check');
    const v = fields();
    if (v.name.trim() === '') {
      el.className = '';
      el.textContent = 'Name the variant (e.g. precopy-2s).';
      return undefined;
    }
    try {
      const added = addVariant($<HTMLTextAreaElement>('editor').value, fileOf(s), v, policies());
      el.className = 'ok';
      el.textContent = `✓ adds variant "${v.name.trim()}" (policy ${v.policy})${added.ticked.length > 1 ? `, and the ticked policies as variants: ${added.ticked.slice(0, -1).map((t) => t.slice('variant:'.length)).join(', ')}` : ''}`;
      return added;
    } catch (e) {
      el.className = 'bad';
      el.textContent = e instanceof VmsimError ? e.message : String(e);
      return undefined;
    }
  };
  const button = $<HTMLButtonElement>('variant-add');
  for (const id of ['variant-name', 'variant-policy', 'variant-options']) $(id).addEventListener('input', () => (button.disabled = attempt() === undefined));
  button.addEventListener('click', () => {
    const added = attempt();
    if (added === undefined) return;
    const keep = [...s.ticked].filter((t) => t.startsWith('variant:'));
    $<HTMLTextAreaElement>('editor').value = added.text;
    s.ticked = new Set([...keep, ...added.ticked]);
    check(s);
    $<HTMLInputElement>('variant-name').value = '';
    $<HTMLTextAreaElement>('variant-options').value = '';
    button.disabled = true;
    $('variant-check').textContent = '';
  });
}

function options(scenarios: readonly ShippedText[]): string {
  const kinds = [...new Set(scenarios.map((x) => x.kind))];
  const groups = kinds.map((k) => `<optgroup label="${escapeHtml(k)}">${scenarios.filter((x) => x.kind === k).map((x) => `<option value="${escapeHtml(x.name)}">${escapeHtml(x.name)}</option>`).join('')}</optgroup>`);
  return `${groups.join('')}<option value="${PASTED}">(paste your own)</option>`;
}

/** Build the page from the embedded data and start the worker. `source` is this script, for the worker. */
export function startPage(source: string): void {
  const data = JSON.parse(document.getElementById(DATA_ELEMENT)?.textContent ?? 'null') as ExplorerData;
  const style = document.createElement('style');
  style.textContent = STYLE;
  document.head.append(style);
  document.body.innerHTML = LAYOUT;
  $('version').textContent = `vmsim ${data.version}`;
  const s: State = { data, runner: new Runner(source), name: '', loaded: undefined, kind: undefined, ticked: new Set(), detail: [], variants: '' };
  s.runner.warm();

  const select = $<HTMLSelectElement>('scenario-select');
  select.innerHTML = options(data.scenarios);
  select.addEventListener('change', () => choose(s, select.value));
  $('reset').addEventListener('click', () => choose(s, s.name));
  let timer: ReturnType<typeof setTimeout> | undefined;
  $('editor').addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => check(s), 250);
  });
  $('compare-list').addEventListener('change', (ev) => {
    const box = ev.target as HTMLInputElement;
    const key = box.dataset.key;
    if (key === undefined) return;
    if (box.checked) s.ticked.add(key);
    else s.ticked.delete(key);
    updateCommand(s);
  });
  wireVariantForm(s);
  for (const id of ['axis-path', 'axis-values', 'more-sets', 'trials', 'seed']) $(id).addEventListener('input', () => updateCommand(s));
  $('run').addEventListener('click', () => runSweep(s));
  $('reproduce').addEventListener('click', () => runReproduction(s));
  $('cancel').addEventListener('click', () => cancelHandler?.());
  $('download-yaml').addEventListener('click', (ev) => {
    const a = ev.currentTarget as HTMLAnchorElement;
    if (a.href.startsWith('blob:')) URL.revokeObjectURL(a.href);
    a.href = URL.createObjectURL(new Blob([$<HTMLTextAreaElement>('editor').value], { type: 'application/yaml;charset=utf-8' }));
    a.download = fileOf(s);
  });

  restore(s, location.hash);
  busy(false);
  showNothing($('results-body'), 'Run a sweep to see its results here.');
  // Open to interactive, for the tests and the benchmark: everything above ran, the form works.
  document.documentElement.dataset.ready = String(Math.round(performance.now()));
}
