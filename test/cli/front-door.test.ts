// The front door under careless and hostile input: one regression test per class of defect found
// when the CLI was tried that way (the example that was found, and at least one other variant).
// Every failure must be exit 2 (bad input) or 4 (a limit), one paragraph naming the file or --set
// and the field, and nothing written anywhere.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CLI_TIMEOUT, MAIN, ROOT, requireDist, vmsim, vmsimChild, vmsimProcess, type CliResult } from '../helpers/cli.js';
import { deriveSeed } from '../../sim/run.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT });

let TMP: string;
let n = 0;
/** A fresh empty working folder: what a command leaves there is what it wrote. */
const cwd = (): string => {
  const d = join(TMP, `${++n}`);
  mkdirSync(d);
  return d;
};
const SHIPPED = (rel: string): string => join(ROOT, 'scenarios', rel);
const SMALL = ['--set', 'vm.memory=2MiB', '--set', 'vm.working_set=[]'];

/** Exit code, one "vmsim: " paragraph naming what was asked, and nothing written in `dir`. */
function refused(r: CliResult, code: 2 | 4, dir: string, ...details: Array<string | RegExp>): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.startsWith('vmsim: ')).toBe(true);
  expect(r.stderr.trim()).not.toMatch(/\n/);
  expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
  for (const d of details) typeof d === 'string' ? expect(r.stderr).toContain(d) : expect(r.stderr).toMatch(d);
  expect(readdirSync(dir)).toEqual([]);
}

beforeAll(() => {
  requireDist();
  TMP = mkdtempSync(join(tmpdir(), 'vmsim-door-'));
});
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

describe('1. outputs stay inside the output folder', () => {
  it.each([
    ['name: ../../../../tmp/x in the file', 'file'],
    ['--set name=..', 'set-dotdot'],
    ['--set name=../../x in a sweep', 'sweep'],
  ])('%s: exit 2 naming the field name', async (_t, how) => {
    const d = cwd();
    let args: string[];
    if (how === 'file') {
      writeFileSync(join(d, 's.yaml'), readFileSync(SHIPPED('migration/stop-and-copy.yaml'), 'utf8').replace(/^name: .*$/m, 'name: ../../../../tmp/x'));
      args = ['run', 's.yaml'];
    } else if (how === 'set-dotdot') args = ['run', 'stop-and-copy', '--set', 'name=..'];
    else args = ['sweep', 'stop-and-copy', ...SMALL, '--set', 'name=../../x', '--set', 'link.bandwidth=1Mbit/s,2Mbit/s'];
    const r = await vmsim(args, d);
    expect(r.code, r.stderr).toBe(2);
    // In a sweep "a..b" is a range: the axis is refused before the name is even read.
    expect(r.stderr).toContain(how === 'sweep' ? '--set name=../../x' : 'field name: expected a short name');
    expect(readdirSync(d).filter((f) => f !== 's.yaml')).toEqual([]);
    expect(existsSync(join(d, '..', 'x'))).toBe(false);
  });

  it.each([[''], ['.'], ['..']])('--out %j (the current folder or one above it) is refused', async (out) => {
    const d = cwd();
    refused(await vmsim(['run', 'stop-and-copy', ...SMALL, '--out', out], d), 2, d, out === '' ? '--out is empty' : 'the current folder or one above it');
  });
});

describe('2. option typos run nothing and suggest the option', () => {
  it.each([
    [['sweep', 'stop-and-copy', '--trails', '3'], '--trails; did you mean --trials?'],
    [['sweep', 'stop-and-copy', '--shrad', '1/2'], '--shrad; did you mean --shard?'],
    [['run', 'stop-and-copy', '--quite'], '--quite; did you mean --quiet?'],
    [['reproduce', 'isr-2005', '--trails', '1'], '--trails; did you mean --trials?'],
    [['merge', 'x', '--qiet'], '--qiet; did you mean --quiet?'],
    [['run', 'stop-and-copy', '--seeds', '3'], '--seeds; did you mean --seed?'],
    [['validate', 'stop-and-copy', '--out', 'x'], 'unknown option --out'],
  ])('%j', async (args, detail) => {
    const d = cwd();
    refused(await vmsim(args, d), 2, d, detail, 'nothing was run');
  });

  it('an unknown command and a misspelt scenario name are suggested too', async () => {
    const d = cwd();
    refused(await vmsim(['sweeep', 'stop-and-copy'], d), 2, d, 'did you mean "sweep"?');
    refused(await vmsim(['run', 'precopy-qenu'], d), 2, d, 'did you mean "precopy-qemu"?');
  });
});

describe('3. sizes the model cannot hold are refused at validation', () => {
  it.each([
    ['stop-and-copy', 'vm.memory=1e18B', 'field vm.memory: 1000000000000000000 bytes would be 244140625000000 pages', 'at most 4398046507008 bytes'],
    ['handoff', 'vm.disk.size=1e18B', 'field vm.disk.size: 1000000000000000000 bytes would be', 'blocks'],
    ['fork', 'vm.memory=1e18B', 'field vm.memory', 'pages'],
    ['isr-2005', 'vm.disk=1e18B', 'field vm.disk', 'chunks'],
    ['stop-and-copy', 'vm.page_size=1B', 'field vm.memory: 1073741824 bytes would be 1073741824 pages of 1 bytes', 'at most 1073741823 bytes at this page size'],
    // Found by the long fuzz run: a count the model allocates per unit of (1.6 G empty lists).
    ['isr-2005', 'workload.applications=1644749230', 'field workload.applications: at most 10000 applications'],
    ['handoff', 'source.cores=1e9', 'field source.cores: at most 1024 cores'],
  ])('%s --set %s: exit 2 with the largest value accepted', async (scenario, set, ...details) => {
    const d = cwd();
    refused(await vmsim(['run', scenario, '--set', set], d), 2, d, ...details);
  });

  it('one such point in a sweep stops it before any run: no runs.partial.csv', async () => {
    const d = cwd();
    refused(await vmsim(['sweep', 'stop-and-copy', '--set', 'vm.working_set=[]', '--set', 'vm.memory=1MiB,1e18B', '--out', 'o'], d), 2, d, 'field vm.memory');
  });
});

describe('4. runs too big to hold or too long to wait for stop at once (exit 4)', () => {
  it.each([
    [['run', 'stop-and-copy', '--set', 'vm.page_size=8B'], 'vm.memory / vm.page_size'],
    [['run', 'stop-and-copy', '--set', 'vm.memory=1TiB'], 'vm.memory / vm.page_size'],
    [['run', 'fork', '--set', 'clones=1000000', '--set', 'workload.shared_share=100%'], 'clones'],
  ])('%j: refused before it starts, naming the fields and limits.max_memory', async (args, fields) => {
    const d = cwd();
    const t0 = performance.now();
    refused(await vmsim(args, d), 4, d, `mostly for ${fields}`, 'limits.max_memory');
    expect(performance.now() - t0).toBeLessThan(60_000);
  });

  it('a run longer than limits.max_wall stops with exit 4 naming it', async () => {
    const d = cwd();
    refused(await vmsim(['run', 'precopy-nonconvergent', '--set', 'options.deadline=1e6s', '--set', 'limits.max_wall=1s'], d), 4, d, 'limits.max_wall');
  });
});

describe('5. impossible inputs are refused, or reported as results', () => {
  it('a 100% loss is refused at its field (mapping and netem string)', async () => {
    const d = cwd();
    refused(await vmsim(['run', 'stop-and-copy', '--set', 'link.loss=100%'], d), 2, d, 'field link.loss: a loss of 100% delivers nothing');
    refused(await vmsim(['run', 'stop-and-copy', '--set', 'link=rate 1gbit loss 100%'], d), 2, d, 'loss must be below 100%');
  });

  it('an XBZRLE cache smaller than a page is refused at options.xbzrle_cache_size', async () => {
    const d = cwd();
    refused(await vmsim(['run', 'precopy-qemu', '--set', 'options.xbzrle=true', '--set', 'options.xbzrle_cache_size=1B'], d), 2, d, 'field options.xbzrle_cache_size: an XBZRLE cache of 1 bytes holds no page of 4096 bytes');
  });

  it('a VDI session on a link too slow for one interaction is a result: zero interactions, empty latencies', async () => {
    const d = cwd();
    const r = await vmsim(['run', 'vdi', '--set', 'link.bandwidth=1e-9bit/s', '--quiet', '--out', 'o'], d);
    expect(r.code, r.stderr).toBe(0);
    const [head, row] = readFileSync(join(d, 'o', 'runs.csv'), 'utf8').trimEnd().split('\n').map((l) => l.split(','));
    const at = (c: string): string => row[head.indexOf(c)];
    expect(at('interactions')).toBe('0');
    expect(at('mean_interaction_ms')).toBe('');
    expect(at('p95_interaction_ms')).toBe('');
  });
});

describe('6. output destinations are checked before any work', () => {
  it.each<[string, () => string, string]>([
    ['an existing file', () => { const d = join(TMP, `f${++n}`); writeFileSync(d, 'x'); return d; }, 'it exists and is not a folder'],
    ['/dev/null', () => '/dev/null', 'it exists and is not a folder'],
    ['a folder that cannot be written', () => '/proc/vmsim-out', 'cannot write in /proc'],
    ['a name with NUL', () => 'out\u0000x', 'NUL'],
    ['a 5000-character name', () => 'x'.repeat(5000), 'longer than'],
    ['a folder holding other things', () => ROOT, 'which is not a vmsim output'],
    ['a folder with subfolders of its own', () => join(ROOT, 'scenarios'), 'which is not a vmsim output'],
  ])('--out %s: exit 2', async (_t, out, detail) => {
    for (const cmd of [['run', 'stop-and-copy', ...SMALL], ['sweep', 'stop-and-copy', ...SMALL, '--set', 'link.bandwidth=1Mbit/s,2Mbit/s'], ['reproduce', 'isr-2005', '--trials', '1']]) {
      const d = cwd();
      refused(await vmsim([...cmd, '--out', out()], d), 2, d, detail, 'nothing was run');
    }
  });

  it('a sweep into the folder of another scenario\'s sweep writes its set there (exit 0, not an internal error)', async () => {
    const d = cwd();
    const first = await vmsim(['sweep', 'synthesis', '--set', 'overlay.size=20MB,40MB', '--quiet', '--out', 'out/y'], d);
    expect(first.code, first.stderr).toBe(0);
    const second = await vmsim(['sweep', 'vdi', '--set', 'policy=vdi-launch,vdi-remote', '--quiet', '--out', 'out/y'], d);
    expect(second.code, second.stderr).toBe(0);
    expect(readFileSync(join(d, 'out/y/runs.csv'), 'utf8')).toMatch(/^scenario,.*\nvdi,/);
    expect(readdirSync(join(d, 'out')).filter((n) => n.includes('.vmsim-'))).toEqual([]);
  });

  it('schema --out naming a folder is exit 2', async () => {
    const d = cwd();
    mkdirSync(join(d, 'dir'));
    const r = await vmsim(['schema', '--out', 'dir'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out dir: it is a folder; name a file');
    expect(readdirSync(join(d, 'dir'))).toEqual([]);
  });
});

describe('7. --trace', () => {
  it.each([
    ['a folder', (d: string) => (mkdirSync(join(d, 'tdir')), 'tdir'), 'it is a folder; name a file'],
    ['an unwritable place', () => '/proc/trace.jsonl', 'cannot write in /proc'],
  ])('--trace %s: exit 2 before anything is written', async (_t, path, detail) => {
    const d = cwd();
    const p = path(d);
    const r = await vmsim(['run', 'stop-and-copy', ...SMALL, '--out', 'o', '--trace', p], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(detail);
    expect(readdirSync(d).filter((f) => f !== 'tdir')).toEqual([]);
  });

  it('with TMPDIR pointing nowhere the trace is written beside its name, no stack trace', () => {
    const d = cwd();
    const r = vmsimProcess(['run', 'stop-and-copy', ...SMALL, '--quiet', '--out', 'o', '--trace', 't.jsonl'], d, 120_000, { TMPDIR: '/nonexistent/nowhere' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(readdirSync(d).sort()).toEqual(['o', 't.jsonl']);
  });
});

describe('8. merge trusts nothing it reads', () => {
  it('an edited metric in a shard is exit 2 naming the shard and line; a folder with a partial shard says so', async () => {
    const d = cwd();
    const sweep = ['sweep', 'stop-and-copy', ...SMALL, '--set', 'link.bandwidth=1Mbit/s,2Mbit/s', '--trials', '2', '--quiet', '--out', 's'];
    expect((await vmsim([...sweep, '--shard', '1/2'], d)).code).toBe(0);
    expect((await vmsim([...sweep, '--shard', '2/2'], d)).code).toBe(0);
    const file = join(d, 's', 'shard-2-of-2.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n');
    lines[2] = lines[2].replace(/"total_time_ms":[0-9.e+-]+/, '"total_time_ms":1');
    writeFileSync(file, lines.join('\n'));
    const r = await vmsim(['merge', 's', '--out', 'm'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}, line 3: not a complete vmsim shard file: this run does not match its checksum`);
    expect(existsSync(join(d, 'm'))).toBe(false);

    const p = cwd();
    mkdirSync(join(p, 's'));
    writeFileSync(join(p, 's', 'shard-2-of-4.partial.jsonl'), '{}\n');
    const q = await vmsim(['merge', 's'], p);
    expect(q.code).toBe(2);
    expect(q.stderr).toContain('is a partial shard');
  });
});

describe('9. references resolve only beside the scenario or in the shipped folder', () => {
  it.each([
    ['../../../../etc/passwd', 'a relative path without ".."'],
    ['/etc/passwd', 'a relative path without ".."'],
    ['nope.json', 'no such file'],
  ])('--set reproduce.reference=%s: exit 2, nothing of the file echoed', async (ref, detail) => {
    const d = cwd();
    const r = await vmsim(['reproduce', 'isr-2005', '--set', `reproduce.reference=${ref}`], d);
    refused(r, 2, d, 'field reproduce.reference', detail);
    expect(r.stderr).not.toContain('root:');
  });

  it('a reference beside the scenario that is not JSON is named without its content', async () => {
    const d = cwd();
    writeFileSync(join(d, 'isr.yaml'), readFileSync(SHIPPED('isr/isr-2005.yaml'), 'utf8').replace(/reference: .*$/m, 'reference: secret.txt'));
    writeFileSync(join(d, 'secret.txt'), 'root:x:0:0:secret\n');
    const r = await vmsim(['reproduce', 'isr.yaml', '--trials', '1'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not valid JSON');
    expect(r.stderr).not.toContain('root:x');
  });
});

describe('10. prototype keys are unknown fields everywhere', () => {
  it.each([
    [['--set', '__proto__.x=1'], 'no field "__proto__.x"'],
    [['--set', 'vm.constructor=1'], 'no field "vm.constructor"'],
    [['--set', 'options={__proto__: {polluted: 1}}'], 'unknown field "__proto__"'],
  ])('--set %j', async (set, detail) => {
    const d = cwd();
    refused(await vmsim(['run', 'stop-and-copy', ...set], d), 2, d, detail);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('in a file', async () => {
    const d = cwd();
    writeFileSync(join(d, 's.yaml'), readFileSync(SHIPPED('migration/stop-and-copy.yaml'), 'utf8') + '__proto__:\n  polluted: 1\n');
    const r = await vmsim(['run', 's.yaml'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown field "__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('11. nothing reaches a terminal or a spreadsheet as a command', () => {
  it('escape sequences in input are printed as \\xNN, never raw', async () => {
    const d = cwd();
    const r = await vmsim(['run', 'stop-and-copy', '--set', 'name=\u001b]0;pwned\u0007x', '--set', 'link.bandwidth=\u001b[2J1Mbit/s'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(r.stderr).toContain('\\x1b');
  });

  it('a text cell starting with = is neutralised in runs.csv; a name cannot start with it', async () => {
    const d = cwd();
    refused(await vmsim(['run', 'stop-and-copy', '--set', 'name==HYPERLINK("http://x")'], d), 2, d, 'field name');
    const r = await vmsim(['run', 'stop-and-copy', ...SMALL, '--set', 'description==HYPERLINK("http://x")', '--quiet', '--out', 'o'], d);
    expect(r.code, r.stderr).toBe(0);
    const csv = readFileSync(join(d, 'o', 'runs.csv'), 'utf8');
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
  });
});

describe('12. every message names the file (or flag) and the field', () => {
  it.each<[string, string[], string[]]>([
    ['unknown policy by --set', ['--set', 'policy=nope'], ['--set policy: unknown policy "nope"', 'policies of kind migration: ']],
    ['unknown policy by flag, closest first', ['--policy', 'precopyy'], ['--policy: unknown policy "precopyy" (did you mean "precopy"?); policies of kind migration: precopy,']],
    ['a policy of another kind', ['--policy', 'baseline'], ['--policy: policy "baseline" is an isr policy and cannot run a migration scenario; policies of kind migration: ']],
  ])('%s', async (_t, args, details) => {
    const d = cwd();
    refused(await vmsim(['run', 'stop-and-copy', ...args], d), 2, d, ...details);
  });

  it('an unknown policy in a file names the file and field', async () => {
    const d = cwd();
    writeFileSync(join(d, 's.yaml'), readFileSync(SHIPPED('migration/stop-and-copy.yaml'), 'utf8').replace(/^policy: .*$/m, 'policy: postcopyy'));
    const r = await vmsim(['run', 's.yaml'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(d, 's.yaml')}, field policy: unknown policy "postcopyy" (did you mean "postcopy"?); policies of kind migration: postcopy,`);
  });

  it('ISR cross-field checks name the file and field', async () => {
    const d = cwd();
    const file = SHIPPED('isr/isr-2005.yaml');
    refused(await vmsim(['run', 'isr-2005', '--set', 'workload.footprint=5GB'], d), 2, d, `${file}: field workload.footprint: the benchmark reads`, 'but the disk (vm.disk) has only');
    refused(await vmsim(['run', 'isr-2005', '--set', 'client.cache=1GB'], d), 2, d, `${file}: field client.cache: the client cache`);
    refused(await vmsim(['run', 'isr-2005', '--set', 'workload.local_duration=100s'], d), 2, d, `${file}: field workload.local_duration:`);
  });
});

describe('13. a killed run leaves the old outputs or the new ones, never a mix or debris', () => {
  it('SIGKILL at any moment of a sweep, then a rerun: no *.vmsim-* debris, a complete set', async () => {
    const d = cwd();
    const args = ['sweep', 'stop-and-copy', ...SMALL, '--set', 'link.bandwidth=1Mbit/s..1Gbit/s:log:8', '--trials', '2', '--png', '--quiet', '--workers', '1', '--out', 'o'];
    const first = await vmsim(args, d);
    expect(first.code, first.stderr).toBe(0);
    const before = readFileSync(join(d, 'o', 'report.html'), 'utf8');
    const runsBefore = readFileSync(join(d, 'o', 'runs.csv'), 'utf8');
    // The first trial's seed column says which sweep a runs.csv came from (seeds come from --seed).
    const firstSeed = (csv: string): string => csv.split('\n')[1].split(',')[3];
    for (const delay of [400, 900, 1400]) {
      const child = spawn(process.execPath, [MAIN, ...args, '--seed', String(delay)], { cwd: d, stdio: 'ignore' });
      const closed = new Promise((res) => child.on('close', res));
      await new Promise((res) => setTimeout(res, delay));
      child.kill('SIGKILL');
      await closed;
      // Whatever the moment, the folder holds one complete set: the old one, or the new one whole.
      // (Killed between the swap's two renames, it is missing until the next write finishes it.)
      if (existsSync(join(d, 'o'))) {
        const report = readFileSync(join(d, 'o', 'report.html'), 'utf8');
        const runs = readFileSync(join(d, 'o', 'runs.csv'), 'utf8');
        if (report === before) expect(runs).toBe(runsBefore);
        else {
          expect(report).toContain(`--seed ${delay}`);
          expect(firstSeed(runs)).toBe(String(deriveSeed(delay, 'trial:0')));
        }
        for (const f of ['aggregate.csv', 'charts', 'tables']) expect(readdirSync(join(d, 'o'))).toContain(f);
      }
    }
    const again = await vmsim(args, d);
    expect(again.code, again.stderr).toBe(0);
    expect(readdirSync(d).sort()).toEqual(['o']);
    expect(readFileSync(join(d, 'o', 'report.html'), 'utf8')).toBe(before);
  });

  it('debris of a writer killed between its two renames is finished by the next write', async () => {
    const d = cwd();
    const args = ['run', 'stop-and-copy', ...SMALL, '--quiet', '--out', 'o'];
    expect((await vmsim(args, d)).code).toBe(0);
    // As if pid 2^22+1 (not running) had renamed o away and died before renaming its new set in.
    const { renameSync, cpSync } = await import('node:fs');
    cpSync(join(d, 'o'), join(d, 'o.vmsim-new-4194305'), { recursive: true });
    writeFileSync(join(d, 'o.vmsim-new-4194305', 'runs.csv'), 'new set\n');
    renameSync(join(d, 'o'), join(d, 'o.vmsim-old-4194305'));
    writeFileSync(join(d, 'stale.vmsim-tmp-4194305'), 'x');
    expect((await vmsim(['run', 'stop-and-copy', ...SMALL, '--quiet', '--out', 'p'], d)).code).toBe(0);
    // Writing p does not touch o's debris; the next write into o finishes o's swap first.
    expect(existsSync(join(d, 'o'))).toBe(false);
    expect((await vmsim(args, d)).code).toBe(0);
    expect(readdirSync(d).sort()).toEqual(['o', 'p', 'stale.vmsim-tmp-4194305']);
  });
});

describe('14. names resolve predictably', () => {
  it('a folder named like a shipped scenario does not shadow it; the note says which was meant', async () => {
    const d = cwd();
    mkdirSync(join(d, 'stop-and-copy'));
    const r = await vmsim(['validate', 'stop-and-copy'], d);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('"stop-and-copy" here is a folder, not a scenario file; using the shipped scenario stop-and-copy');
    expect(r.stdout).toContain(`${SHIPPED('migration/stop-and-copy.yaml')}: ok`);
  });

  it('an existing file comes before a shipped name', async () => {
    const d = cwd();
    writeFileSync(join(d, 'stop-and-copy'), readFileSync(SHIPPED('migration/stop-and-copy.yaml'), 'utf8').replace(/^name: .*$/m, 'name: mine'));
    const r = await vmsim(['validate', 'stop-and-copy'], d);
    expect(r.stdout).toBe(`${join(d, 'stop-and-copy')}: ok (migration scenario "mine", policy stop-and-copy)\n`);
  });
});

describe('15. unknown YAML tags are bad input, with no warning leaked', () => {
  it.each([['name: !evil x'], ['seed: !!python/object 1']])('%s', (line) => {
    const d = cwd();
    const key = line.split(':')[0];
    writeFileSync(join(d, 's.yaml'), readFileSync(SHIPPED('migration/stop-and-copy.yaml'), 'utf8').replace(new RegExp(`^${key}: .*$`, 'm'), line));
    const r = vmsimProcess(['run', 's.yaml', '--out', 'o'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not valid YAML or JSON: .*tag/i);
    expect(r.stderr).not.toContain('YAMLWarning');
    expect(readdirSync(d)).toEqual(['s.yaml']);
  });
});

// trust-io (issue 19 items 4, 5, 7, 8, 9).

describe('16. a symbolic link named as an output is followed, never replaced', () => {
  /** A working folder with `o -> ../<name>-target` (the target missing until written). */
  const linked = (): { d: string; target: string } => {
    const d = cwd();
    const target = `${d}-target`;
    symlinkSync(`../${n}-target`, join(d, 'o'));
    return { d, target };
  };

  it.each<[string, string[]]>([
    ['run', ['run', 'stop-and-copy', ...SMALL, '--quiet', '--out', 'o']],
    ['sweep', ['sweep', 'stop-and-copy', ...SMALL, '--set', 'link.bandwidth=1Mbit/s,2Mbit/s', '--quiet', '--out', 'o']],
    ['reproduce', ['reproduce', 'isr-2005', '--trials', '1', '--quiet', '--out', 'o']],
  ])('%s --out LINK writes into the link\'s target, twice, and the link stays a link', async (_c, args) => {
    const { d, target } = linked();
    for (let i = 0; i < 2; i++) {
      const r = await vmsim(args, d);
      expect(r.code, r.stderr).toBe(0);
      expect(lstatSync(join(d, 'o')).isSymbolicLink()).toBe(true);
      expect(readFileSync(join(target, 'runs.csv'), 'utf8')).toMatch(/^scenario,/);
    }
    expect(readdirSync(d)).toEqual(['o']);
    expect(readdirSync(dirname(target)).filter((f) => f.includes('.vmsim-'))).toEqual([]);
  });

  it('merge --out LINK and a shard written through a linked sweep folder', async () => {
    const { d, target } = linked();
    symlinkSync(target, join(d, 's'));
    expect((await vmsim(['sweep', 'stop-and-copy', ...SMALL, '--set', 'link.bandwidth=1Mbit/s,2Mbit/s', '--shard', '1/1', '--quiet', '--out', 's'], d)).code).toBe(0);
    expect(readdirSync(target)).toEqual(['shard-1-of-1.jsonl']);
    mkdirSync(join(d, 'm-target'));
    symlinkSync('m-target', join(d, 'm'));
    const r = await vmsim(['merge', 's', '--out', 'm', '--quiet'], d);
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(join(d, 'm')).isSymbolicLink()).toBe(true);
    expect(readdirSync(join(d, 'm-target'))).toContain('runs.csv');
  });

  it('--trace LINK and schema --out LINK write the link\'s target file', async () => {
    const d = cwd();
    writeFileSync(join(d, 'real.jsonl'), 'old');
    symlinkSync('real.jsonl', join(d, 't.jsonl'));
    expect((await vmsim(['run', 'stop-and-copy', ...SMALL, '--quiet', '--out', 'o', '--trace', 't.jsonl'], d)).code).toBe(0);
    expect(lstatSync(join(d, 't.jsonl')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, 'real.jsonl'), 'utf8')).toMatch(/^\{/);
    symlinkSync('schema-real.json', join(d, 'schema.json'));
    expect((await vmsim(['schema', '--out', 'schema.json'], d)).code).toBe(0);
    expect(lstatSync(join(d, 'schema.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(d, 'schema-real.json'), 'utf8'))).toHaveProperty('$schema');
  });

  it.each<[string, string, string]>([
    ['the current folder', '.', 'it is the current folder or one above it'],
    ['the folder above', '..', 'it is the current folder or one above it'],
    ['itself (a loop)', 'o', 'a symbolic link that never reaches a file or folder'],
  ])('a link to %s is exit 2 and the link stays', async (_t, to, detail) => {
    const d = cwd();
    symlinkSync(to, join(d, 'o'));
    const r = await vmsim(['run', 'stop-and-copy', ...SMALL, '--out', 'o'], d);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(detail);
    expect(readdirSync(d)).toEqual(['o']);
    expect(lstatSync(join(d, 'o')).isSymbolicLink()).toBe(true);
  });
});

describe('17. every file read is a regular file, read with a size cap', () => {
  /** A folder holding a FIFO, links to /dev/zero and /dev/urandom, and sparse oversized files. */
  const specials = (): string => {
    const d = cwd();
    spawnSync('mkfifo', [join(d, 'fifo')]);
    symlinkSync('/dev/zero', join(d, 'zero'));
    symlinkSync('/dev/urandom', join(d, 'random'));
    for (const [name, size] of [['big.jsonl', 300 * 2 ** 20], ['big.yaml', 2 * 2 ** 20]] as const) {
      writeFileSync(join(d, name), '');
      truncateSync(join(d, name), size);
    }
    return d;
  };
  const FIFO = 'it is a FIFO (named pipe), not a regular file';
  const DEVICE = 'it is a character device, not a regular file';

  it.each<[string, (d: string) => string[], string]>([
    ['merge of a FIFO shard', () => ['merge', 'fifo'], FIFO],
    ['merge of a link to /dev/zero', () => ['merge', 'zero'], `zero (a link to /dev/zero): ${DEVICE}`],
    ['merge of a link to /dev/urandom', () => ['merge', 'random'], `random (a link to /dev/urandom): ${DEVICE}`],
    ['merge of a 300 MiB shard', () => ['merge', 'big.jsonl'], 'it is 300 MiB, more than the 256 MiB a shard file may be'],
    ['sweep --sweep FIFO', () => ['sweep', '--sweep', 'fifo'], FIFO],
    ['sweep --sweep /dev/zero', () => ['sweep', '--sweep', 'zero'], DEVICE],
    ['validate of a FIFO scenario', () => ['validate', 'fifo'], FIFO],
    ['run of a link to /dev/urandom', () => ['run', 'random'], DEVICE],
    ['validate of a 2 MiB scenario', () => ['validate', 'big.yaml'], 'it is 2 MiB, more than the 1 MiB a scenario file may be'],
    ['a FIFO policy file', () => ['run', 'stop-and-copy', '--policy-file', 'fifo.mjs'], FIFO],
  ])('%s: exit 2 at once, saying what the file is', (_t, args, detail) => {
    const d = specials();
    spawnSync('mkfifo', [join(d, 'fifo.mjs')]);
    const r = vmsimProcess(args(d), d, 60_000);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(detail);
    expect(r.stderr).not.toMatch(/internal error|bad_alloc|no scenario file/);
    expect(readdirSync(d).sort()).toEqual(['big.jsonl', 'big.yaml', 'fifo', 'fifo.mjs', 'random', 'zero']);
  });
});

describe('18. what a scenario or sweep file may hold is bounded, and parsing stays linear', () => {
  const variants = (count: number, json = false): string => {
    const v = Object.fromEntries(Array.from({ length: count }, (_, i) => [`v${i}`, { policy: 'stop-and-copy' }]));
    const doc = { kind: 'migration', name: 'many', policy: 'stop-and-copy', link: 'rate 10mbit delay 20ms', vm: { memory: '1MiB' }, variants: v };
    return json ? JSON.stringify(doc) : YAML.stringify(doc);
  };

  it('10,000 variants validate; 10,001 are refused naming the limit', async () => {
    const d = cwd();
    writeFileSync(join(d, 'ok.yaml'), variants(10_000));
    writeFileSync(join(d, 'over.json'), variants(10_001, true));
    const ok = await vmsim(['validate', 'ok.yaml'], d);
    expect(ok.code, ok.stderr).toBe(0);
    const over = await vmsim(['validate', 'over.json'], d);
    expect(over.code).toBe(2);
    expect(over.stderr).toContain('over.json: it has 10,001 variants; a scenario or sweep file may hold at most 10,000 variants');
  });

  it.each<[string, string, string]>([
    ['a JSON object of 30,000 keys', JSON.stringify({ kind: 'migration', x: Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, i])) }), 'the mapping at line 1 has 30,000 keys; a scenario or sweep file may hold at most 10,000 keys per mapping'],
    ['5,000 levels of flow nesting', `kind: migration\nx: ${'['.repeat(5000)}${']'.repeat(5000)}\n`, 'it nests deeper than 64 levels'],
    ['a key twice (YAML)', 'kind: migration\nname: a\nname: b\n', 'is not valid YAML or JSON: the key "name" appears twice in one mapping (line 3, column 1)'],
    ['a key twice (JSON, nested)', '{"kind":"migration","vm":{"memory":"1MiB","memory":"2MiB"}}', 'the key "memory" appears twice in one mapping (line 1, column 43)'],
  ])('%s: exit 2 naming what is wrong', async (_t, text, detail) => {
    const d = cwd();
    writeFileSync(join(d, 's.yaml'), text);
    const r = await vmsim(['validate', 's.yaml'], d);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(detail);
  });

  it('a sweep file is bounded too', async () => {
    const d = cwd();
    writeFileSync(join(d, 'sw.yaml'), `scenario: stop-and-copy\nset:\n${Array.from({ length: 10_001 }, (_, i) => `  k${i}: 1`).join('\n')}\n`);
    const r = await vmsim(['sweep', '--sweep', 'sw.yaml'], d);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('has 10,001 keys; a scenario or sweep file may hold at most 10,000 keys per mapping');
  });
});

describe('19. failures of the machine (a full disk, a file-size limit) are exit 5, naming the path; the old outputs stand', () => {
  it('a file-size limit (ulimit -f, EFBIG) while a run writes over an earlier set', () => {
    const d = cwd();
    const first = vmsimProcess(['run', 'stop-and-copy', ...SMALL, '--quiet', '--out', 'o'], d);
    expect(first.code, first.stderr).toBe(0);
    const before = readdirSync(join(d, 'o')).map((f) => [f, readFileSync(join(d, 'o', f), 'utf8')]);
    const env = { ...process.env };
    delete env.VMSIM_DEBUG;
    const r = spawnSync('bash', ['-c', `ulimit -f 1; exec "${process.execPath}" "${MAIN}" run stop-and-copy --set vm.memory=2MiB --set vm.working_set=[] --trials 200 --quiet --out o`], { cwd: d, env, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(5);
    expect(r.stderr).toBe(`vmsim: cannot write ${join(d, 'o')}: the file would exceed the largest file this process may write (EFBIG; see \`ulimit -f\`); the previous outputs there are unchanged\n`);
    expect(readdirSync(join(d, 'o')).map((f) => [f, readFileSync(join(d, 'o', f), 'utf8')])).toEqual(before);
    expect(readdirSync(d)).toEqual(['o']);
  });
});

describe('20. explore --serve stopped by Ctrl-C exits 130', () => {
  it('SIGINT: exit 130, the page stays written', async () => {
    const d = cwd();
    const child = vmsimChild(['explore', '--serve', '--port', '0', '--out', 'e.html'], d);
    let out = '';
    let err = '';
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        if (/\(Ctrl-C stops\)/.test(out)) resolve();
      });
      child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(err).toBe('vmsim: stopped serving by SIGINT; e.html stays written\n');
    expect(readFileSync(join(d, 'e.html'), 'utf8')).toMatch(/^<!doctype html>/);
  });
});
