// vmsim outside its clone: `npm pack`, install the tarball into an empty folder (from the local npm
// cache where it can), then use it there as a user would: import the API (both entries), run a
// shipped scenario, run `npx vmsim` with a policy file of the user's, run a shipped example by name,
// and type-check a TypeScript policy (and the examples) against the shipped declarations, then run it
// compiled.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, requireDist } from '../helpers/cli.js';
import { STOP_AND_COPY_BODY, policyModule } from '../helpers/policies.js';

/** npm install may fetch what the cache lacks on a fresh machine: generous. */
const PACK_TIMEOUT = 600_000;
const TMP = mkdtempSync(join(tmpdir(), 'vmsim-pack-'));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

function sh(cmd: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  const env = { ...process.env };
  delete env.VMSIM_DEBUG;
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: PACK_TIMEOUT });
  if (r.error) throw r.error;
  return r;
}
const ok = (r: SpawnSyncReturns<string>, what: string): string => {
  expect(r.status, `${what}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
};

const SMALL = ['--set', 'vm.memory=8MiB', '--set', 'vm.working_set=[]'];

const USE = `
import { loadScenarioFile, run, runFiles, listPolicies, scenarioKinds, sweep } from 'vmsim';
import * as core from 'vmsim/core';
const s = await loadScenarioFile('stop-and-copy', { set: { 'vm.memory': '8MiB', 'vm.working_set': [] } });
const records = run(s);
const swept = await sweep(s, { set: { 'link.bandwidth': '100Mbit/s,1Gbit/s' }, workers: 2 });
console.log(JSON.stringify({
  policy: records[0].policy,
  csv: runFiles(records)[0].content,
  swept: swept.records.map((r) => r.params['link.bandwidth_bps']),
  kinds: scenarioKinds,
  policies: listPolicies().length,
  coreRuns: typeof core.run,
  coreHasFiles: 'loadScenarioFile' in core,
}));
`;

const TYPED = `import { definePolicy, z, duration } from 'vmsim';

export default definePolicy({
  name: 'typed',
  summary: 'stop-and-copy after a pause, written in TypeScript',
  kind: 'migration',
  options: z.strictObject({ pause: duration('time before the VM stops').prefault('1s') }),
  *plan(ctx, opts) {
    const pause: number = opts.pause;
    yield pause;
    ctx.suspend();
    yield ctx.sendPages(ctx.vm.memory.all(), { tag: 'memory' }).done;
    ctx.resume();
  },
});
`;

const TSCONFIG = JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: [] }, files: ['typed.ts'] });

describe('the packed package, installed into an empty folder', () => {
  it(
    'packs, installs, imports, runs a shipped scenario, and runs npx vmsim with policy files (JavaScript, and TypeScript compiled with the shipped types)',
    () => {
      requireDist();
      const t0 = performance.now();
      const packed = JSON.parse(ok(sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', TMP], ROOT), 'npm pack')) as Array<{ filename: string; files: Array<{ path: string }> }>;
      const files = packed[0].files.map((f) => f.path);
      // The built code with its declarations, the shipped scenarios, examples and reference data; no tests, no sources.
      expect(files).toEqual(expect.arrayContaining(['dist/vmsim/main.js', 'dist/vmsim/worker.js', 'dist/sim/cli/node-api.d.ts', 'dist/sim/api.d.ts', 'dist/sim/policy.d.ts', 'scenarios/migration/stop-and-copy.yaml', 'scenarios/examples/precopy-max-rounds.js', 'scenarios/reference/isr-2005.json', 'scenarios/scenario.schema.json']));
      expect(files.filter((f) => f.startsWith('dist/test/') || f.endsWith('.map') || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
      const t1 = performance.now();

      const app = join(TMP, 'app');
      mkdirSync(app);
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
      ok(sh('npm', ['install', join(TMP, packed[0].filename), '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app), 'npm install');
      const t2 = performance.now();

      // The API, from the installed copy: the same bytes as this clone gives.
      writeFileSync(join(app, 'use.mjs'), USE);
      const used = JSON.parse(ok(sh(process.execPath, ['use.mjs'], app), 'node use.mjs'));
      expect(used.policy).toBe('stop-and-copy');
      expect(used.swept).toEqual([1e8, 1e9]);
      expect(used.kinds).toEqual(['migration', 'isr', 'synthesis', 'vdi', 'fork', 'cluster']);
      expect(used.policies).toBe(20);
      expect(used.coreRuns).toBe('function');
      expect(used.coreHasFiles).toBe(false);
      ok(sh(process.execPath, [join(ROOT, 'dist', 'vmsim', 'main.js'), 'run', 'stop-and-copy', ...SMALL, '--out', join(TMP, 'clone'), '--quiet'], TMP), 'vmsim run in the clone');
      expect(used.csv).toBe(readFileSync(join(TMP, 'clone', 'runs.csv'), 'utf8'));

      // npx vmsim with the user's own policy file, importing from the installed vmsim.
      writeFileSync(join(app, 'mine.js'), policyModule('mine', 'migration', STOP_AND_COPY_BODY));
      const version = ok(sh('npx', ['vmsim', '--version'], app), 'npx vmsim --version');
      expect(version.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
      ok(sh('npx', ['vmsim', 'run', 'stop-and-copy', ...SMALL, '--set', 'options={}', '--policy-file', './mine.js', '--out', 'out/mine', '--quiet'], app), 'npx vmsim run --policy-file');
      expect(readFileSync(join(app, 'out', 'mine', 'runs.csv'), 'utf8').split('\n')[1]).toMatch(/^stop-and-copy,mine,mine,/);
      // A shipped example by name: its policy file imports vmsim from inside the installed package.
      ok(sh('npx', ['vmsim', 'run', 'precopy-max-rounds', '--set', 'options.max_rounds=2', '--out', 'out/example', '--quiet'], app), 'npx vmsim run precopy-max-rounds');
      expect(readFileSync(join(app, 'out', 'example', 'runs.csv'), 'utf8').split('\n')[1]).toMatch(/^precopy-max-rounds,precopy-max-rounds,precopy-max-rounds,/);

      // The explorer, bundled from the installed package (esbuild comes along as a dependency).
      ok(sh('npx', ['vmsim', 'explore', '--out', 'out/explorer.html'], app), 'npx vmsim explore');
      expect(readFileSync(join(app, 'out', 'explorer.html'), 'utf8')).toContain('"name":"isr-2005"');

      // TypeScript: checked against the shipped declarations (a wrong verb is an error), compiled, run.
      const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      writeFileSync(join(app, 'tsconfig.json'), TSCONFIG);
      writeFileSync(join(app, 'typed.ts'), TYPED.replace('ctx.sendPages(', 'ctx.sendPage('));
      const wrong = sh(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit'], app);
      expect(wrong.status).toBe(2);
      expect(wrong.stdout).toContain("Property 'sendPage' does not exist on type 'MigrationContext'");
      writeFileSync(join(app, 'typed.ts'), TYPED);
      ok(sh(process.execPath, [tsc, '-p', 'tsconfig.json'], app), 'tsc');
      // The shipped examples are // @ts-check JavaScript: they check against the same declarations.
      const examples = ['precopy-max-rounds.js', 'hoard-recent.js'].map((f) => `node_modules/vmsim/scenarios/examples/${f}`);
      writeFileSync(join(app, 'tsconfig.examples.json'), JSON.stringify({ compilerOptions: { ...JSON.parse(TSCONFIG).compilerOptions, allowJs: true, checkJs: true, noEmit: true }, files: examples }));
      ok(sh(process.execPath, [tsc, '-p', 'tsconfig.examples.json'], app), 'tsc --checkJs on the examples');
      ok(sh('npx', ['vmsim', 'run', 'stop-and-copy', ...SMALL, '--set', 'options={}', '--policy-file', 'typed.js', '--out', 'out/typed', '--quiet'], app), 'npx vmsim run --policy-file typed.js');
      expect(readFileSync(join(app, 'out', 'typed', 'runs.csv'), 'utf8').split('\n')[1]).toMatch(/^stop-and-copy,typed,typed,/);
      const t3 = performance.now();
      console.info(`pack ${((t1 - t0) / 1e3).toFixed(1)} s, install ${((t2 - t1) / 1e3).toFixed(1)} s, use ${((t3 - t2) / 1e3).toFixed(1)} s`);
    },
    PACK_TIMEOUT,
  );
});
