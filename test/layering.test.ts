// Import directions between the layers. The engine knows nothing of the world, the world nothing of
// results, policies nothing of scenarios or reports, reports only run records; only the composition
// roots bring everything together: the CLI (sim/cli, Node) and the explorer page (sim/web, a
// browser), and nothing imports either. Only the CLI touches Node (node: modules), so the core runs
// unchanged in a browser: the last tests bundle it for one and run it where Node's globals are not.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SCANNED = ['sim', 'policies', 'scenarios', 'reports'];

/** An import edge: `from` is a repo-relative .ts path; `to` is a repo-relative .ts path or `npm:NAME`. */
interface Edge {
  from: string;
  to: string;
}

// `from '...'` (import/export ... from) and `import('...')` (dynamic imports and import types).
const SPECIFIER = /\bfrom\s*(['"])([^'"]+)\1|\bimport\s*\(\s*(['"])([^'"]+)\3\s*\)/g;
// Side-effect imports: `import './x.js';`
const BARE_IMPORT = /^\s*import\s*(['"])([^'"]+)\1/gm;

function specifiers(source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(SPECIFIER)) out.push(m[2] ?? m[4]);
  for (const m of source.matchAll(BARE_IMPORT)) out.push(m[2]);
  return out;
}

/** Resolve a specifier written in `from` to a repo-relative .ts path, or npm:NAME / node:NAME. */
function resolveSpecifier(from: string, spec: string): string {
  if (!spec.startsWith('.') && !spec.startsWith('/')) return spec.startsWith('node:') ? spec : `npm:${spec}`;
  const joined = posix.normalize(posix.join(posix.dirname(from), spec));
  return joined.replace(/\.js$/, '.ts');
}

const under = (path: string, dir: string) => path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
const isPackage = (to: string) => to.startsWith('npm:') || to.startsWith('node:');
const QUANTITY = ['sim/quantity.ts', 'sim/fields.ts'];
/** The files that declare what a policy sees of a scenario kind. */
const isContract = (p: string) => /^sim\/kinds\/[^/]+\/contract\.ts$/.test(p) || p === 'sim/kinds/shared/context.ts';

/** Why an edge is forbidden, or null when it is allowed. */
function violation({ from, to }: Edge): string | null {
  if (to.startsWith('node:') && !under(from, 'sim/cli')) {
    return under(from, 'sim/web') ? 'the explorer page (sim/web) runs in a browser: no node: modules' : 'only the CLI (sim/cli) imports node: modules; the core stays platform-neutral';
  }
  if (isPackage(to)) return null;
  if (under(to, 'test')) return 'nothing shipped imports test/ (dev tooling: build scripts, bench, fuzz)';

  if (under(to, 'sim/cli') && !under(from, 'sim/cli')) return 'nothing imports the CLI';
  // `vmsim explore` embeds data of the shape the page reads (sim/web/data.ts): the one way in.
  if (under(to, 'sim/web') && !under(from, 'sim/web') && !(from === 'sim/cli/commands/explore.ts' && to === 'sim/web/data.ts')) return 'nothing imports the explorer page (but explore.ts its data shape)';

  if (QUANTITY.includes(to) && !QUANTITY.includes(from)) {
    // sim/choice.ts reads option schemas (units of overridden options); sim/api.ts hands the field
    // builders to policy authors.
    // sim/experiment reads range ends of sweep axes in their field's unit.
    const ok = ['policies', 'scenarios', 'sim/cli', 'sim/kinds', 'sim/experiment'].some((d) => under(from, d)) || ['sim/choice.ts', 'sim/api.ts'].includes(from);
    if (!ok) return 'quantity parsing (sim/quantity.ts, sim/fields.ts) is for policies, scenarios, sim/cli, sim/kinds, sim/experiment, the policy choice and the API';
  }

  if (under(from, 'sim/engine')) {
    if (!(under(to, 'sim/engine') || to === 'sim/errors.ts')) return 'sim/engine may import only sim/engine and sim/errors.ts';
    // The simulator builds events and processes: they see it only through its Scheduler interface.
    if ((from === 'sim/engine/event.ts' || from === 'sim/engine/process.ts') && to === 'sim/engine/simulator.ts') {
      return 'events and processes depend on the Scheduler interface (sim/engine/scheduler.ts), not on the simulator (an import circle)';
    }
  }
  if (under(from, 'sim/world')) {
    if (!(under(to, 'sim/engine') || under(to, 'sim/world') || to === 'sim/errors.ts')) {
      return 'sim/world may import only sim/engine, sim/world and sim/errors.ts';
    }
  }
  if (under(from, 'sim/results')) {
    if (!(under(to, 'sim/world') || under(to, 'sim/results') || to === 'sim/errors.ts')) {
      return 'sim/results may import only sim/world, sim/results and sim/errors.ts';
    }
  }

  if (under(from, 'policies')) {
    if (under(to, 'scenarios') || under(to, 'reports') || under(to, 'sim/cli')) return 'policies never import scenarios, reports or the CLI';
    // A kind's folder holds its part of the scenario language too: a policy sees only the contexts.
    if (under(to, 'sim/kinds') && !isContract(to)) return 'policies import a scenario kind only through its contract (sim/kinds/<kind>/contract.ts, sim/kinds/shared/context.ts)';
    const isPolicy = (p: string) => under(p, 'policies') && !under(p, 'policies/shared') && p !== 'policies/index.ts';
    if (isPolicy(from) && isPolicy(to)) return 'a policy never imports another policy (share code through policies/shared)';
    if (isPolicy(from) && to === 'policies/index.ts') return 'a policy never imports the registry';
  }

  // The pipeline's stages are what the front doors and the experiments build on, never the reverse.
  if (under(from, 'sim/pipeline') && (to === 'sim/api.ts' || under(to, 'sim/experiment'))) return 'the pipeline (sim/pipeline) never imports the API or sim/experiment, which build on it';

  if (under(from, 'scenarios')) {
    if (under(to, 'policies') || under(to, 'reports') || under(to, 'sim/cli')) return 'scenarios never import policies, reports or the CLI';
  }

  if (under(from, 'sim/kinds')) {
    if (under(to, 'policies') || under(to, 'reports') || under(to, 'sim/cli')) return 'scenario kinds never import policies, reports or the CLI';
    if (to === 'sim/kinds/index.ts') return 'a kind never imports the registry (sim/kinds/index.ts)';
    const folder = (p: string) => (under(p, 'sim/kinds') && p.split('/').length > 3 ? p.split('/')[2] : undefined);
    const [a, b] = [folder(from), folder(to)];
    if (a === 'shared' && b !== undefined && b !== 'shared') return 'the shared parts of the kinds import no kind';
    // One kind may act through another's context (vdi migrates its VM), never reach into the rest.
    if (a !== undefined && b !== undefined && a !== b && b !== 'shared' && !/\/(contract|context)\.ts$/.test(to)) {
      return 'a kind imports another kind only through its contract.ts or context.ts; shared parts go to sim/kinds/shared';
    }
  }

  // A prediction builds a scenario from measurements and plans it; running is the executors', rendering the reports'.
  if (under(from, 'sim/predict') && (under(to, 'reports') || under(to, 'policies') || under(to, 'sim/kinds'))) {
    return 'sim/predict builds a scenario and its plan from measurements: it imports no reports, policies or kinds';
  }

  if (under(from, 'reports')) {
    if (!(under(to, 'reports') || to === 'sim/results/record.ts' || to === 'sim/errors.ts')) {
      return 'reports may import only reports, sim/results/record.ts and sim/errors.ts';
    }
  }
  return null;
}

function violations(edges: readonly Edge[]): string[] {
  return edges.filter((e) => violation(e) !== null).map((e) => `${e.from} -> ${e.to}`);
}

/** The import circles among `edges` (each as its files, in the order they import each other), by depth-first search. */
function circles(edges: readonly Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const done = new Set<string>();
  const out: string[][] = [];
  const path: string[] = [];
  const visit = (f: string): void => {
    const at = path.indexOf(f);
    if (at >= 0) return void out.push(path.slice(at));
    if (done.has(f)) return;
    path.push(f);
    for (const t of next.get(f) ?? []) visit(t);
    path.pop();
    done.add(f);
  };
  for (const f of [...next.keys()].sort()) visit(f);
  return out;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const ent of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${ent.name}`;
    if (ent.isDirectory()) out.push(...tsFiles(rel));
    else if (ent.name.endsWith('.ts') && !ent.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

function repoEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of SCANNED.flatMap(tsFiles)) {
    const source = readFileSync(join(ROOT, file), 'utf8');
    for (const spec of specifiers(source)) edges.push({ from: file, to: resolveSpecifier(file, spec) });
  }
  return edges;
}

describe('layering of the repository', () => {
  const edges = repoEdges();

  it('scans every layer and finds the imports', () => {
    const files = new Set(edges.map((e) => e.from));
    for (const f of ['sim/engine/simulator.ts', 'sim/world/world.ts', 'sim/results/recorder.ts', 'policies/index.ts', 'scenarios/load.ts', 'reports/csv.ts', 'sim/cli/main.ts', 'sim/experiment/sweep-plan.ts', 'sim/pipeline/index.ts', 'sim/web/page.ts']) {
      expect(files).toContain(f);
    }
    // Relative imports resolve to files that exist.
    const local = edges.filter((e) => !isPackage(e.to));
    expect(local.length).toBeGreaterThan(50);
    const missing = local.filter((e) => !existsSync(join(ROOT, e.to)));
    expect(missing.map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('has no forbidden import direction', () => {
    const bad = violations(edges);
    if (bad.length > 0) console.error(`forbidden imports:\n${bad.map((b) => `  ${b}`).join('\n')}`);
    expect(bad).toEqual([]);
  });
  // Command modules are loaded by the command table (cli.ts) and import their helpers, never it.
  it('has no import circle in the CLI', () => {
    const cli = edges.filter((e) => under(e.from, 'sim/cli') && under(e.to, 'sim/cli'));
    expect(cli.length).toBeGreaterThan(30);
    expect(circles(cli).map((c) => c.join(' -> '))).toEqual([]);
  });
});

describe('the layering checker', () => {
  it('extracts static, type, re-export, dynamic and side-effect specifiers', () => {
    const src = [
      "import { a } from './a.js';",
      "import type { B } from \"../b.js\";",
      "export * from './c.js';",
      'import {',
      '  d,',
      "} from 'zod';",
      "const e = await import('./e.js');",
      "type F = import('../f.js').F;",
      "import './g.js';",
      "const s = 'this from is not an import';",
    ].join('\n');
    expect(specifiers(src).sort()).toEqual(['../b.js', '../f.js', './a.js', './c.js', './e.js', './g.js', 'zod'].sort());
  });

  it('resolves specifiers relative to the importing file', () => {
    expect(resolveSpecifier('policies/migration/x.ts', '../../sim/fields.js')).toBe('sim/fields.ts');
    expect(resolveSpecifier('sim/world/world.ts', './vm.js')).toBe('sim/world/vm.ts');
    expect(resolveSpecifier('sim/engine/queue.ts', 'fastpriorityqueue')).toBe('npm:fastpriorityqueue');
    expect(resolveSpecifier('reports/csv.ts', 'csv-stringify/sync')).toBe('npm:csv-stringify/sync');
    expect(resolveSpecifier('scenarios/load.ts', 'node:fs')).toBe('node:fs');
  });

  it('flags each forbidden direction and prints it as "file -> import"', () => {
    const bad: Edge[] = [
      { from: 'sim/engine/simulator.ts', to: 'sim/world/world.ts' },
      { from: 'sim/engine/event.ts', to: 'sim/quantity.ts' },
      { from: 'sim/world/link.ts', to: 'sim/results/record.ts' },
      { from: 'sim/world/vm.ts', to: 'sim/policy.ts' },
      { from: 'sim/results/recorder.ts', to: 'sim/run.ts' },
      { from: 'policies/migration/stop-and-copy.ts', to: 'scenarios/schema.ts' },
      { from: 'policies/migration/stop-and-copy.ts', to: 'reports/csv.ts' },
      { from: 'policies/migration/pre-copy.ts', to: 'policies/migration/stop-and-copy.ts' },
      { from: 'policies/migration/pre-copy.ts', to: 'policies/index.ts' },
      { from: 'policies/shared/rounds.ts', to: 'sim/cli/io/output.ts' },
      { from: 'scenarios/build.ts', to: 'policies/index.ts' },
      { from: 'scenarios/load.ts', to: 'reports/csv.ts' },
      { from: 'reports/csv.ts', to: 'sim/results/recorder.ts' },
      { from: 'reports/plot.ts', to: 'sim/world/units.ts' },
      { from: 'reports/plot.ts', to: 'scenarios/schema.ts' },
      { from: 'sim/run.ts', to: 'sim/cli/io/output.ts' },
      { from: 'sim/run.ts', to: 'sim/fields.ts' },
      { from: 'sim/policy.ts', to: 'sim/quantity.ts' },
      { from: 'scenarios/load.ts', to: 'node:fs' },
      { from: 'sim/world/world.ts', to: 'node:crypto' },
      { from: 'reports/csv.ts', to: 'node:path' },
      { from: 'sim/run.ts', to: 'node:worker_threads' },
      { from: 'sim/api.ts', to: 'node:fs' },
      { from: 'sim/api.ts', to: 'sim/cli/io/output.ts' },
      { from: 'sim/pipeline/trial.ts', to: 'sim/fields.ts' },
      { from: 'sim/web/page.ts', to: 'node:fs' },
      { from: 'sim/experiment/sweep-plan.ts', to: 'node:crypto' },
      { from: 'sim/pipeline/plan.ts', to: 'sim/experiment/sweep-plan.ts' },
      { from: 'sim/pipeline/execute.ts', to: 'sim/api.ts' },
      { from: 'sim/pipeline/load.ts', to: 'node:fs' },
      { from: 'sim/web/page.ts', to: 'sim/cli/io/files.ts' },
      { from: 'sim/cli/sweep.ts', to: 'sim/web/worker.ts' },
      { from: 'sim/api.ts', to: 'sim/web/page.ts' },
      { from: 'policies/migration/precopy.ts', to: 'sim/kinds/migration/schema.ts' },
      { from: 'policies/shared/lookaside.ts', to: 'sim/kinds/isr/driver.ts' },
      { from: 'sim/kinds/fork/driver.ts', to: 'policies/index.ts' },
      { from: 'sim/kinds/isr/build.ts', to: 'sim/kinds/index.ts' },
      { from: 'sim/kinds/shared/vm.ts', to: 'sim/kinds/migration/build.ts' },
      { from: 'sim/kinds/vdi/build.ts', to: 'sim/kinds/migration/build.ts' },
      { from: 'reports/html.ts', to: 'sim/experiment/sweep-outputs.ts' },
      { from: 'sim/cli/explore.ts', to: 'test/build/bundle.ts' },
    ];
    expect(violations(bad)).toEqual(bad.map((e) => `${e.from} -> ${e.to}`));
    for (const e of bad) expect(violation(e)).toMatch(/\S/);
  });

  it('catches a forbidden import end to end, from source text to the printed line', () => {
    const file = 'sim/engine/bad.ts';
    const src = "import { World } from '../world/index.js';\nimport { InputError } from '../errors.js';\n";
    const edges = specifiers(src).map((spec) => ({ from: file, to: resolveSpecifier(file, spec) }));
    expect(violations(edges)).toEqual(['sim/engine/bad.ts -> sim/world/index.ts']);
  });

  it('finds import circles, and none in a tree', () => {
    const e = (from: string, to: string): Edge => ({ from, to });
    const loop = [e('sim/cli/cli.ts', 'sim/cli/commands/run.ts'), e('sim/cli/commands/run.ts', 'sim/cli/args.ts'), e('sim/cli/args.ts', 'sim/cli/cli.ts'), e('sim/cli/main.ts', 'sim/cli/cli.ts')];
    expect(circles(loop)).toEqual([['sim/cli/args.ts', 'sim/cli/cli.ts', 'sim/cli/commands/run.ts']]);
    expect(circles(loop.slice(0, 2).concat(loop[3]))).toEqual([]);
    expect(circles([e('a.ts', 'b.ts'), e('b.ts', 'a.ts'), e('c.ts', 'c.ts')])).toEqual([['a.ts', 'b.ts'], ['c.ts']]);
  });

  it('allows the permitted directions', () => {
    const good: Edge[] = [
      { from: 'sim/engine/queue.ts', to: 'npm:fastpriorityqueue' },
      { from: 'sim/engine/event.ts', to: 'sim/errors.ts' },
      { from: 'sim/world/world.ts', to: 'sim/engine/index.ts' },
      { from: 'sim/results/recorder.ts', to: 'sim/world/observe.ts' },
      { from: 'policies/index.ts', to: 'policies/migration/stop-and-copy.ts' },
      { from: 'policies/migration/pre-copy.ts', to: 'policies/shared/rounds.ts' },
      { from: 'policies/migration/stop-and-copy.ts', to: 'sim/fields.ts' },
      { from: 'scenarios/netem.ts', to: 'sim/quantity.ts' },
      { from: 'sim/cli/args.ts', to: 'sim/fields.ts' },
      { from: 'sim/kinds/migration/driver.ts', to: 'sim/quantity.ts' },
      { from: 'policies/shared/rounds.ts', to: 'sim/kinds/migration/contract.ts' },
      { from: 'sim/kinds/vdi/context.ts', to: 'sim/kinds/migration/context.ts' },
      { from: 'sim/kinds/isr/index.ts', to: 'sim/kinds/shared/cost.ts' },
      { from: 'sim/kinds/index.ts', to: 'sim/kinds/fork/index.ts' },
      { from: 'scenarios/schema.ts', to: 'sim/kinds/index.ts' },
      { from: 'sim/fields.ts', to: 'sim/quantity.ts' },
      { from: 'sim/cli/main.ts', to: 'sim/cli/io/output.ts' },
      { from: 'sim/cli/main.ts', to: 'reports/csv.ts' },
      { from: 'reports/csv.ts', to: 'sim/results/record.ts' },
      { from: 'reports/csv.ts', to: 'npm:csv-stringify/sync' },
      { from: 'reports/svg.ts', to: 'sim/errors.ts' },
      { from: 'sim/cli/io/files.ts', to: 'node:fs' },
      { from: 'sim/web/main.ts', to: 'sim/run.ts' },
      { from: 'sim/web/main.ts', to: 'sim/api.ts' },
      { from: 'sim/api.ts', to: 'sim/fields.ts' },
      { from: 'sim/cli/node-api.ts', to: 'sim/api.ts' },
      { from: 'sim/web/worker.ts', to: 'sim/experiment/sweep-plan.ts' },
      { from: 'sim/web/results.ts', to: 'npm:vega' },
      { from: 'sim/cli/commands/explore.ts', to: 'sim/web/data.ts' },
      { from: 'sim/cli/sweep.ts', to: 'sim/experiment/sweep-plan.ts' },
      { from: 'sim/experiment/grid.ts', to: 'sim/quantity.ts' },
      { from: 'sim/experiment/sweep-plan.ts', to: 'sim/pipeline/index.ts' },
      { from: 'sim/api.ts', to: 'sim/pipeline/index.ts' },
      { from: 'sim/pipeline/resolve.ts', to: 'scenarios/budget.ts' },
    ];
    expect(violations(good)).toEqual([]);
  });
});

// The same rule, checked on what a browser gets: the core (vmsim/core) and the explorer's script
// bundled from the sources by esbuild for the browser platform, where a node: module or a Node-only package
// (a native addon, fs) cannot resolve. Then the core runs in a context that has JavaScript's own
// globals and a few Web APIs but none of Node's (no Buffer, no process, no require).
describe('the core and the explorer page in a browser', () => {
  const bundle = async (entry: string, globalName?: string) => {
    const r = await build({ entryPoints: [join(ROOT, entry)], bundle: true, platform: 'browser', format: 'iife', globalName, write: false, metafile: true, logLevel: 'silent' });
    return { text: r.outputFiles[0].text, inputs: Object.keys(r.metafile.inputs) };
  };
  const browserGlobals = () => ({ console, performance, TextEncoder, TextDecoder, URL, setTimeout, clearTimeout, queueMicrotask, structuredClone });

  it('bundles the core and the page with no node: module and no Node-only package', async () => {
    for (const entry of ['sim/api.ts', 'sim/web/main.ts']) {
      const { inputs } = await bundle(entry);
      expect(inputs.filter((i) => /^node:|@resvg|worker_threads|sim\/cli\//.test(i)), entry).toEqual([]);
      expect(inputs.some((i) => i.startsWith('sim/engine/')), entry).toBe(true);
    }
  }, 60_000);

  it('runs a scenario with the bundled core where Node\'s globals are not, with the bytes Node gives', async () => {
    const { text } = await bundle('sim/api.ts', 'vmsim');
    const context = createContext(browserGlobals());
    runInContext(text, context);
    expect(runInContext('typeof Buffer + typeof process + typeof require', context)).toBe('undefinedundefinedundefined');
    const scenario = readFileSync(join(ROOT, 'scenarios', 'migration', 'stop-and-copy.yaml'), 'utf8');
    const inBrowser = runInContext(`(text) => { const s = vmsim.loadScenario(text, { set: { 'vm.memory': '256MiB', 'vm.working_set': '[]' } }); return vmsim.runsCsv(vmsim.run(s, { trials: 2 })); }`, context)(scenario);
    const core = (await import('../sim/api.js')) as typeof import('../sim/api.js');
    const s = core.loadScenario(scenario, { set: { 'vm.memory': '256MiB', 'vm.working_set': '[]' } });
    expect(inBrowser).toBe(core.runsCsv(core.run(s, { trials: 2 })));
    expect(inBrowser.split('\n').length).toBe(4);
  }, 60_000);
});
