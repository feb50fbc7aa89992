// Policies from the user's own files (`--policy-file`, `policy: ./mine.js`, `--set policy=./mine.js`):
// they run like built-in ones and are named in every output; every way a file can be wrong is exit 2
// naming the file (and field), a policy that fails while running is exit 3 naming the file and line,
// and nothing is written either way.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CLI_TIMEOUT, vmsim, vmsimProcess, type CliResult } from '../helpers/cli.js';
import { STOP_AND_COPY_BODY, policyDir, policyModule, removePolicyDirs } from '../helpers/policies.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT });
afterAll(removePolicyDirs);

const SMALL = ['--set', 'vm.memory=4MiB', '--set', 'vm.working_set=[]', '--set', 'options={}'];
const MINE = policyModule('mine', 'migration', STOP_AND_COPY_BODY);

/** Exit code, one "vmsim: " paragraph with every detail, and nothing written in `dir` but `keep`. */
function refused(r: CliResult, code: 2 | 3, dir: string, keep: readonly string[], ...details: string[]): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.startsWith('vmsim: ')).toBe(true);
  expect(r.stderr.trim()).not.toMatch(/\n/);
  expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
  for (const d of details) expect(r.stderr).toContain(d);
  expect(readdirSync(dir).filter((f) => f !== 'node_modules' && !keep.includes(f)).sort()).toEqual([]);
}

/** runs.csv without its variant and policy columns (the only ones that name the policy). */
const withoutPolicy = (csv: string): string =>
  csv
    .trim()
    .split('\n')
    .map((l) => l.split(',').filter((_, i) => i !== 1 && i !== 2).join(','))
    .join('\n');

describe('a policy file runs like a built-in policy', () => {
  it('--policy-file: named in the outputs, the same numbers as the built-in policy it reimplements', async () => {
    const d = policyDir({ 'mine.js': MINE });
    const r = await vmsim(['run', 'stop-and-copy', ...SMALL, '--policy-file', './mine.js', '--out', 'a', '--quiet'], d);
    expect(r.code, r.stderr).toBe(0);
    const b = await vmsim(['run', 'stop-and-copy', ...SMALL, '--out', 'b', '--quiet'], d);
    expect(b.code, b.stderr).toBe(0);
    const mine = readFileSync(join(d, 'a', 'runs.csv'), 'utf8');
    const builtIn = readFileSync(join(d, 'b', 'runs.csv'), 'utf8');
    expect(mine.split('\n')[1]).toMatch(/^stop-and-copy,mine,mine,/);
    expect(withoutPolicy(mine)).toBe(withoutPolicy(builtIn));
    expect(readFileSync(join(d, 'a', 'rounds.csv'), 'utf8').split('\n')[1]).toMatch(/^stop-and-copy,mine,mine,/);
  });

  it('a scenario names it relative to its own folder, also in a variant; --policy takes a path too', async () => {
    const d = policyDir();
    mkdirSync(join(d, 'exp', 'policies'), { recursive: true });
    writeFileSync(join(d, 'exp', 'policies', 'mine.js'), MINE);
    writeFileSync(join(d, 'exp', 's.yaml'), `kind: migration\nname: s\npolicy: ./policies/mine.js\nlink: { bandwidth: 1Gbit/s }\nvm: { memory: 4MiB }\nvariants:\n  a: { policy: policies/mine.js }\n  b: { policy: stop-and-copy }\n`);
    const r = await vmsim(['run', 'exp/s.yaml', '--out', 'o1', '--quiet'], d);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(d, 'o1', 'runs.csv'), 'utf8').split('\n')[1]).toMatch(/^s,mine,mine,/);
    const v = await vmsim(['run', 'exp/s.yaml', '--set', 'variant=a', '--out', 'o2', '--quiet'], d);
    expect(v.code, v.stderr).toBe(0);
    expect(readFileSync(join(d, 'o2', 'runs.csv'), 'utf8').split('\n')[1]).toMatch(/^s,a,mine,/);
    const p = await vmsim(['run', 'stop-and-copy', ...SMALL, '--policy', 'exp/policies/mine.js', '--out', 'o3', '--quiet'], d);
    expect(p.code, p.stderr).toBe(0);
    expect(readFileSync(join(d, 'o3', 'runs.csv'), 'utf8').split('\n')[1]).toMatch(/^stop-and-copy,mine,mine,/);
    const ok = await vmsim(['validate', 'exp/s.yaml'], d);
    expect(ok.code, ok.stderr).toBe(0);
    // validate runs no code: the file is checked as a path, not loaded (docs/security.md).
    expect(ok.stdout).toContain('policies/mine.js was not loaded: validate runs no code');
  });

  it('a sweep over built-in and file policies: worker threads load the files; 1 or 2 workers give the same bytes', async () => {
    const d = policyDir({ 'mine.js': MINE, 'other.js': MINE.replace("name: 'mine'", "name: 'other'") });
    const args = ['sweep', 'stop-and-copy', ...SMALL, '--set', 'policy=./mine.js,stop-and-copy,other', '--policy-file', 'other.js', '--set', 'link.bandwidth=100Mbit/s,1Gbit/s', '--quiet'];
    const one = await vmsim([...args, '--workers', '1', '--out', 'w1'], d);
    expect(one.code, one.stderr).toBe(0);
    const two = await vmsim([...args, '--workers', '2', '--out', 'w2'], d);
    expect(two.code, two.stderr).toBe(0);
    const csv = readFileSync(join(d, 'w2', 'runs.csv'), 'utf8');
    expect(csv).toBe(readFileSync(join(d, 'w1', 'runs.csv'), 'utf8'));
    expect(csv.trim().split('\n').slice(1).map((l) => l.split(',')[2])).toEqual(['mine', 'mine', 'stop-and-copy', 'stop-and-copy', 'other', 'other']);
    // The report's command line reproduces the sweep: it names the policy file.
    expect(readFileSync(join(d, 'w2', 'report.html'), 'utf8')).toContain('--policy-file other.js');
  });

  it('one --policy-file and no policy axis: the sweep runs that policy', async () => {
    const d = policyDir({ 'mine.js': MINE });
    const r = await vmsim(['sweep', 'stop-and-copy', ...SMALL, '--policy-file', 'mine.js', '--set', 'link.bandwidth=100Mbit/s,1Gbit/s', '--quiet', '--workers', '1', '--out', 'o'], d);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(d, 'o', 'runs.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[2])).toEqual(['mine', 'mine']);
  });

  it('vmsim policies --policy-file lists it with its kind, summary and file', async () => {
    const d = policyDir({ 'mine.js': MINE });
    const r = await vmsim(['policies', '--policy-file', 'mine.js'], d);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^mine +migration +a test policy \(mine\.js\)$/m);
    expect(r.stdout).toMatch(/^precopy +migration/m);
  });
});

describe('a bad policy file: exit 2 naming the file, nothing written', () => {
  const run = (d: string, file: string, ...more: string[]) => vmsim(['run', 'stop-and-copy', ...SMALL, '--policy-file', file, '--out', 'o', ...more], d);

  it('does not exist, or is a folder', async () => {
    const d = policyDir();
    refused(await run(d, 'nope.js'), 2, d, [], `cannot read ${join(d, 'nope.js')}: no such policy file`);
    mkdirSync(join(d, 'dir.js'));
    refused(await run(d, 'dir.js'), 2, d, ['dir.js'], `${join(d, 'dir.js')}: it is a folder, not a policy file`);
  });

  it('is not an ES module: a YAML file, a syntax error, CommonJS', async () => {
    const d = policyDir({ 'p.yaml': 'name: x\n', 'bad.js': "export default {\n  name: 'x',,\n};\n", 'cjs.mjs': "module.exports = { name: 'x' };\n" });
    refused(await run(d, 'p.yaml'), 2, d, ['p.yaml', 'bad.js', 'cjs.mjs'], `${join(d, 'p.yaml')}: a policy file is a JavaScript ES module (.js or .mjs)`);
    // Real processes for these two: under vitest, vite would parse and shim the modules its own way.
    refused(vmsimProcess(['run', 'stop-and-copy', ...SMALL, '--policy-file', 'bad.js', '--out', 'o'], d), 2, d, ['p.yaml', 'bad.js', 'cjs.mjs'], `${join(d, 'bad.js')}: cannot load it as an ES module: SyntaxError: Unexpected token ','`);
    refused(vmsimProcess(['run', 'stop-and-copy', ...SMALL, '--policy-file', 'cjs.mjs', '--out', 'o'], d), 2, d, ['p.yaml', 'bad.js', 'cjs.mjs'], `${join(d, 'cjs.mjs')}: cannot load it as an ES module: module is not defined`, 'CommonJS?');
  });

  it('throws while it is loaded', async () => {
    const d = policyDir({ 'p.js': "throw new RangeError('no config here');\n" });
    refused(await run(d, 'p.js'), 2, d, ['p.js'], `${join(d, 'p.js')}: cannot load it as an ES module: it threw while loading: RangeError: no config here`);
  });

  it('exports no policy: only named exports, or a default that is not a policy', async () => {
    const d = policyDir({ 'named.js': 'export const policy = {};\nexport const other = 1;\n', 'fn.js': 'export default function () {}\n' });
    refused(await run(d, 'named.js'), 2, d, ['named.js', 'fn.js'], `${join(d, 'named.js')}: exports no policy: its default export must be the policy`, 'it exports only "policy", "other"');
    refused(await run(d, 'fn.js'), 2, d, ['named.js', 'fn.js'], `${join(d, 'fn.js')}: its default export is a function, not a policy`);
  });

  it('has a kind that is none of the five, or not the scenario\'s', async () => {
    const d = policyDir({ 'k.js': policyModule('k', 'migrate', 'yield 0;'), 'isr.js': policyModule('for-isr', 'isr', 'yield 0;') });
    refused(await run(d, 'k.js'), 2, d, ['k.js', 'isr.js'], `${join(d, 'k.js')}, field kind: expected one of "migration", "isr", "synthesis", "vdi", "fork", "cluster" (did you mean "migration"?), got the string "migrate"`);
    refused(await run(d, 'isr.js'), 2, d, ['k.js', 'isr.js'], '--policy-file: policy "for-isr" is an isr policy and cannot run a migration scenario; policies of kind migration: stop-and-copy, precopy');
  });

  it('has a name that clashes with a built-in policy, or with another file\'s', async () => {
    const d = policyDir({ 'p.js': policyModule('precopy', 'migration', STOP_AND_COPY_BODY), 'a.js': MINE, 'b.js': MINE });
    refused(await run(d, 'p.js'), 2, d, ['p.js', 'a.js', 'b.js'], `${join(d, 'p.js')}, field name: the policy is named "precopy", as a built-in policy is; give it a name of its own`);
    const r = await vmsim(['sweep', 'stop-and-copy', ...SMALL, '--set', 'policy=./a.js,./b.js', '--out', 'o'], d);
    refused(r, 2, d, ['p.js', 'a.js', 'b.js'], `${join(d, 'b.js')}, field name: the policy is named "mine", as the policy of ${join(d, 'a.js')} is`);
  });

  it('has an invalid options schema: plain fields, a zod 3 schema, a schema of something other than a mapping', async () => {
    const d = policyDir({
      'plain.js': policyModule('plain', 'migration', 'yield 0;', "{ limit: duration('a limit') }"),
      'zod3.js': policyModule('zod3', 'migration', 'yield 0;', '{ safeParse: () => ({ success: true, data: {} }), _def: {} }'),
      'str.js': policyModule('str', 'migration', 'yield 0;', 'z.string()'),
    });
    const keep = ['plain.js', 'zod3.js', 'str.js'];
    refused(await run(d, 'plain.js'), 2, d, keep, `${join(d, 'plain.js')}, field options: expected a zod schema, got a plain object with fields limit; wrap the fields in z.strictObject`);
    refused(await run(d, 'zod3.js'), 2, d, keep, `${join(d, 'zod3.js')}, field options: expected a zod 4 schema (this one looks like zod 3)`);
    refused(await run(d, 'str.js'), 2, d, keep, `${join(d, 'str.js')}, field options: expected a schema of a mapping`);
  });

  it('misses what the contract asks: a kebab-case name, a summary, a generator plan; no unknown fields', async () => {
    const base = "import { z } from 'vmsim';\nexport default { name: 'ok-name', summary: 's', kind: 'migration', options: z.strictObject({}), *plan() {}, ...X };\n";
    const d = policyDir({
      'name.js': base.replace('X', "{ name: 'My Policy' }"),
      'summary.js': base.replace('X', "{ summary: '' }"),
      'plan.js': base.replace('X', '{ plan: () => [] }'),
      'async.js': base.replace('X', '{ async *plan() {} }'),
      'typo.js': base.replace('X', "{ sumary: 'x' }"),
    });
    const keep = ['name.js', 'summary.js', 'plan.js', 'async.js', 'typo.js'];
    refused(await run(d, 'name.js'), 2, d, keep, `${join(d, 'name.js')}, field name: expected a kebab-case name`, 'got the string "My Policy"');
    refused(await run(d, 'summary.js'), 2, d, keep, `${join(d, 'summary.js')}, field summary: expected one line of text`);
    refused(await run(d, 'plan.js'), 2, d, keep, `${join(d, 'plan.js')}, field plan: expected a generator function, *plan(ctx, opts) { ... }, got a function`);
    refused(await run(d, 'async.js'), 2, d, keep, `${join(d, 'async.js')}, field plan: expected a generator function`, 'an async generator');
    refused(await run(d, 'typo.js'), 2, d, keep, `${join(d, 'typo.js')}, field sumary: unknown field "sumary" (did you mean "summary"?)`);
  });

  it('TypeScript: loaded where Node strips types, else refused with how to compile it', async () => {
    const d = policyDir({ 'mine.ts': MINE.replace('*plan(ctx, opts)', '*plan(ctx: any, opts: unknown)') });
    // A real process: under vitest every .ts file would be compiled for us.
    const r = vmsimProcess(['run', 'stop-and-copy', ...SMALL, '--policy-file', 'mine.ts', '--out', 'o', '--quiet'], d);
    const [major, minor] = process.versions.node.split('.').map(Number);
    if (major > 22 || (major === 22 && minor >= 18)) expect(r.code, r.stderr).toBe(0);
    else refused(r, 2, d, ['mine.ts'], `${join(d, 'mine.ts')}: Node ${process.versions.node} cannot load TypeScript itself; compile it (npx tsc`);
  });

  it('--policy and --policy-file together', async () => {
    const d = policyDir({ 'mine.js': MINE });
    refused(await run(d, 'mine.js', '--policy', 'precopy'), 2, d, ['mine.js'], '--policy and --policy-file both choose the policy; give one');
  });

  it('options the policy rejects name the policy and the field', async () => {
    const d = policyDir({ 'lim.js': policyModule('lim', 'migration', STOP_AND_COPY_BODY, "z.strictObject({ limit: duration('a limit').prefault('1s') })") });
    const r = await vmsim(['run', 'stop-and-copy', ...SMALL, '--policy-file', 'lim.js', '--set', 'options.limit=5', '--out', 'o'], d);
    refused(r, 2, d, ['lim.js'], '(options of policy lim): field options.limit: expected a quantity with a unit');
  });
});

describe('a policy that fails while running: exit 3 naming it, its file and line; nothing written', () => {
  const THROWS = policyModule('boom', 'migration', "    yield 0.5;\n    throw new TypeError('no such page');");

  it('vmsim run', async () => {
    const d = policyDir({ 'boom.js': THROWS });
    const r = await vmsim(['run', 'stop-and-copy', ...SMALL, '--policy-file', 'boom.js', '--out', 'o', '--trace', 't.jsonl'], d);
    refused(r, 3, d, ['boom.js'], `policy "boom" (${join(d, 'boom.js')}) failed at simulated time 0.5 s: TypeError: no such page (boom.js line 9)`);
  });

  it('asking the model for something impossible is the policy\'s failure too', async () => {
    const d = policyDir({ 'twice.js': policyModule('twice', 'migration', `${STOP_AND_COPY_BODY}\n    ctx.resume();`) });
    const r = await vmsim(['run', 'stop-and-copy', ...SMALL, '--policy-file', 'twice.js', '--out', 'o'], d);
    refused(r, 3, d, ['twice.js'], `policy "twice" (${join(d, 'twice.js')}) failed at simulated time`, 'cannot resume while running', '(twice.js line 12)');
  });

  it('vmsim sweep on worker threads: no partial output either', async () => {
    const d = policyDir({ 'boom.js': THROWS });
    const r = await vmsim(['sweep', 'stop-and-copy', ...SMALL, '--set', 'policy=stop-and-copy,./boom.js', '--set', 'link.bandwidth=10Mbit/s,100Mbit/s,1Gbit/s', '--workers', '2', '--quiet', '--out', 'o'], d);
    refused(r, 3, d, ['boom.js'], 'policy=boom', `policy "boom" (${join(d, 'boom.js')}) failed at simulated time 0.5 s: TypeError: no such page (boom.js line 9)`);
    expect(existsSync(join(d, 'o'))).toBe(false);
  });
});
