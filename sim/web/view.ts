// The explorer page's layout and style: three steps a student follows top to bottom (a scenario, an
// experiment, the results). Built by the script so explore's HTML file is only data and code.
// Element ids are what the page's code and the browser tests use.

export const STYLE = `
:root{--accent:#1f5fa8;--muted:#5a5a5a;--line:#d9d9d9;--bad:#b3261e;--ok:#1e6b34}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#222;background:#fafafa}
header{background:#fff;border-bottom:1px solid var(--line);padding:.8rem 1.5rem}
header h1{font-size:1.35rem;margin:0}header p{margin:.2rem 0 0;color:var(--muted)}
main{max-width:1400px;margin:0 auto;padding:1rem 1.5rem 3rem}
.panes{display:grid;grid-template-columns:minmax(0,1.1fr) minmax(0,1fr);gap:1rem}
@media (max-width:900px){.panes{grid-template-columns:1fr}}
section.pane,#results{background:#fff;border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem}
#results{margin-top:1rem}
h2{font-size:1.1rem;margin:.1rem 0 .6rem}h3{font-size:1rem;margin:1.2rem 0 .4rem}
label{display:block;margin:.5rem 0 .15rem;font-weight:600;font-size:14px}
label .hint,.hint{font-weight:400;color:var(--muted);font-size:13px}
select,input[type=text],textarea{font:inherit;width:100%;padding:.3rem .45rem;border:1px solid #bbb;border-radius:4px;background:#fff}
textarea{font:13px/1.4 ui-monospace,"DejaVu Sans Mono",Menlo,monospace;resize:vertical}
#editor{height:26rem;tab-size:2;white-space:pre}
#more-sets{height:4.2rem}#variant-options{height:3.2rem}
#add-variant{border:1px solid var(--line);border-radius:4px;padding:.2rem .6rem;margin:.3rem 0}#add-variant summary{margin:.3rem 0;font-size:14px}
#variant-check{font-size:13px;margin:.3rem 0;white-space:pre-wrap;overflow-wrap:anywhere}#variant-check.ok{color:var(--ok)}#variant-check.bad{color:var(--bad)}
#link-status:not(:empty){background:#fff4e5;border-left:4px solid #e67e22;padding:.4rem .6rem;font-size:14px;overflow-wrap:anywhere}
.picker{align-items:center;margin:.2rem 0 .4rem}.picker label{display:flex;gap:.4rem;align-items:center;margin:0;flex:0 1 auto}.picker select{width:auto}
.ran-with{font-size:14px;padding-left:1.2rem}.ran-with li{margin:.2rem 0}.ran-with code{font-size:12px;overflow-wrap:anywhere}
.row{display:flex;gap:.8rem;align-items:flex-end;flex-wrap:wrap}.row>div{flex:1 1 8rem}
#check{margin:.4rem 0;padding:.4rem .6rem;border-radius:4px;font-size:14px;white-space:pre-wrap;overflow-wrap:anywhere}
#check.ok{background:#eaf5ec;color:var(--ok)}#check.bad{background:#fdecea;color:var(--bad)}
#compare{border:1px solid var(--line);border-radius:4px;padding:.3rem .6rem;margin:.3rem 0;max-height:13rem;overflow:auto}
#compare legend{font-weight:600;font-size:14px;padding:0 .3rem}
#compare label{display:flex;gap:.4rem;align-items:baseline;font-weight:400;margin:.15rem 0}
#compare .group{color:var(--muted);font-size:12px;margin:.35rem 0 .1rem;text-transform:uppercase;letter-spacing:.04em}
.actions{display:flex;gap:.5rem;flex-wrap:wrap;margin:.9rem 0 .5rem}
button{font:inherit;padding:.35rem .9rem;border-radius:4px;border:1px solid #999;background:#f4f4f4;cursor:pointer}
button.primary{background:var(--accent);border-color:var(--accent);color:#fff}
button:disabled{opacity:.45;cursor:default}
progress{width:100%;height:.9rem}
#status{font-size:14px;min-height:1.3em;white-space:pre-wrap;overflow-wrap:anywhere}#status.bad{color:var(--bad)}
pre,code{font:13px/1.4 ui-monospace,"DejaVu Sans Mono",Menlo,monospace}
pre{background:#f3f3f3;padding:.5rem .7rem;border-radius:4px;white-space:pre-wrap;overflow-wrap:anywhere;margin:.3rem 0}
.downloads a{display:inline-block;margin:.15rem .6rem .15rem 0}
.warning{background:#fff4e5;border-left:5px solid #e67e22;padding:.6rem 1rem;margin:1rem 0}
table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums;margin:.4rem 0}
th,td{border:1px solid #ddd;padding:.2rem .45rem;text-align:right;white-space:nowrap}
th{background:#f3f3f3}td.key,th.key,td:first-child,th:first-child{text-align:left}tr.first td{border-top:2px solid #bbb}
td.short,.short-key{background:#fdecea}td.pub{color:#555}td.miss{background:#fdecea}table[data-table] th{text-align:center}
.wide{overflow-x:auto}
figure{margin:1rem 0;overflow-x:auto}figcaption{font-size:13px;color:var(--muted)}figure .note{color:#a04000}
.charts{display:flex;flex-wrap:wrap;gap:0 2rem;align-items:flex-start}.charts figure{flex:1 1 28rem;max-width:42rem}figure svg{max-width:100%;height:auto}
.charts figure.faceted{flex:1 1 100%;max-width:none}
@media (max-width:600px){main{padding:.6rem .5rem 2rem}section.pane,#results{padding:.6rem .5rem}.charts figure{flex-basis:100%}header{padding:.6rem .8rem}}
details summary{cursor:pointer;font-weight:600;margin:1rem 0 .3rem}
.empty{color:var(--muted)}
`;

export const LAYOUT = `
<header>
<h1>vmsim explorer <span class="hint" id="version"></span></h1>
<p>The VM state-transfer simulator, running in this page: pick a scenario, change what you like, compare policies. Nothing is installed or sent anywhere; results are the same bytes <code>vmsim</code> writes.</p>
</header>
<main>
<div class="panes">
<section class="pane" id="scenario-pane">
<h2>1 · Scenario</h2>
<label for="scenario-select">Shipped scenario <span class="hint">(or edit it, or paste your own below)</span></label>
<select id="scenario-select"></select>
<p id="scenario-description" class="hint"></p>
<label for="editor">Scenario file (YAML) <span class="hint" id="editor-file"></span></label>
<textarea id="editor" spellcheck="false" autocomplete="off" autocapitalize="off"></textarea>
<div id="check" role="status" aria-live="polite"></div>
<div class="actions"><button id="reset" type="button">Reset to the shipped file</button><a id="download-yaml" href="#" download>Download this scenario (.yaml)</a></div>
</section>
<section class="pane" id="experiment-pane">
<h2>2 · Experiment</h2>
<fieldset id="compare"><legend>Compare</legend><div id="compare-list"></div></fieldset>
<p class="hint" id="compare-hint">Tick two or more to compare them; none runs the scenario's own policy. A ticked policy runs with its own defaults unless it is the scenario's own.</p>
<details id="add-variant"><summary>Add a variant <span class="hint">(a policy with options of your choosing)</span></summary>
<div class="row">
<div><label for="variant-name">Name</label><input type="text" id="variant-name" spellcheck="false" placeholder="precopy-2s"></div>
<div><label for="variant-policy">Policy</label><select id="variant-policy"></select></div>
</div>
<label for="variant-options">Options <span class="hint">(YAML: <code>{downtime_limit: 2s, auto_converge: true}</code> or one <code>option: value</code> a line; empty: the policy's defaults; docs/policies.md lists each policy's options)</span></label>
<textarea id="variant-options" spellcheck="false"></textarea>
<div id="variant-check" role="status" aria-live="polite"></div>
<div class="actions"><button id="variant-add" type="button" disabled>Add to the scenario and tick it</button></div>
</details>
<div class="row">
<div><label for="axis-path">Swept parameter</label><input type="text" id="axis-path" spellcheck="false"></div>
<div style="flex:2 1 14rem"><label for="axis-values">Values</label><input type="text" id="axis-values" spellcheck="false"></div>
</div>
<p class="hint">A value, a list (<code>10Mbit/s,100Mbit/s</code>) or a range with units: <code>LOW..HIGH:N</code> evenly or <code>LOW..HIGH:log:N</code> log-spaced. Leave the values empty to sweep nothing.</p>
<label for="more-sets">More settings <span class="hint">(one <code>PATH=VALUE</code> or <code>PATH=AXIS</code> a line, as <code>vmsim sweep --set</code>; e.g. <code>vm.memory=512MiB</code>)</span></label>
<textarea id="more-sets" spellcheck="false"></textarea>
<div class="row">
<div><label for="trials">Trials <span class="hint">per point</span></label><input type="text" id="trials" inputmode="numeric"></div>
<div><label for="seed">Base seed</label><input type="text" id="seed" inputmode="numeric"></div>
</div>
<div class="actions">
<button id="run" class="primary" type="button" disabled>Run sweep</button>
<button id="reproduce" type="button" hidden>Reproduce the paper's tables</button>
<button id="cancel" type="button" disabled>Cancel</button>
</div>
<progress id="progress" max="1" value="0"></progress>
<div id="status" role="status" aria-live="polite"></div>
<label>The same with the command line</label>
<pre id="command"></pre>
<p class="hint">This page's address holds the whole experiment: <a id="share" href="#">link to this experiment</a> (copy it to share; it reopens the scenario, edits, axes, trials, seed, what is compared and the detail point).</p>
<div id="link-status" role="status" aria-live="polite"></div>
</section>
</div>
<section id="results">
<h2>3 · Results</h2>
<div id="results-body"><p class="empty">Run a sweep to see its results here.</p></div>
</section>
</main>
`;
