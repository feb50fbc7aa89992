// Policy code runs only when asked (issue 19, item 1; docs/security.md). Every test writes a policy
// file that leaves a mark (a file named `ran`) when it is imported, then checks the mark is absent
// after each command that must not run it: `vmsim validate`, a scenario that fails validation, a
// path out of the scenario's folder (by .., absolutely, through a link), a variant never selected,
// a sweep whose axis is bad. The command line's --policy-file still runs code from anywhere.
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CLI_TIMEOUT, vmsim, type CliResult } from '../helpers/cli.js';
import { STOP_AND_COPY_BODY, policyDir, policyModule, removePolicyDirs } from '../helpers/policies.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT });
afterAll(removePolicyDirs);

/** A policy file that writes `ran` next to itself when imported, then is a valid stop-and-copy policy. */
const EVIL = `import { writeFileSync } from 'node:fs';\nwriteFileSync(new URL('./ran', import.meta.url), 'x');\n${policyModule('evil', 'migration', STOP_AND_COPY_BODY)}`;

const scenario = (policy: string, extra = ''): string =>
  `kind: migration\nname: s\nseed: 1\ntrials: 1\npolicy: ${policy}\noptions: {}\nlink: { bandwidth: 1Gbit/s, latency: 0.5ms }\nvm: { name: vm, memory: 4MiB, page_size: 4KiB, working_set: [] }\n${extra}`;

/** dl/ (the downloaded scenario's folder) and other/ (code elsewhere), in a folder that can import vmsim. */
function layout(scenarioText: string): { d: string; mark: string; inner: string } {
  const d = policyDir();
  mkdirSync(join(d, 'dl'));
  mkdirSync(join(d, 'other'));
  writeFileSync(join(d, 'other', 'evil.js'), EVIL);
  writeFileSync(join(d, 'dl', 'evil.js'), EVIL);
  writeFileSync(join(d, 'dl', 's.yaml'), scenarioText);
  return { d, mark: join(d, 'other', 'ran'), inner: join(d, 'dl', 'ran') };
}

function exit2(r: CliResult, ...details: string[]): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr).not.toMatch(/internal error|^\s+at /m);
  for (const s of details) expect(r.stderr).toContain(s);
}

describe('no policy code runs unasked', () => {
  it("the issue's example: a downloaded s.yaml naming ../other/evil.js with an unknown field: validate and run exit 2, evil.js never ran", async () => {
    const { d, mark } = layout(scenario('../other/evil.js', 'colour: red\n'));
    exit2(await vmsim(['validate', 'dl/s.yaml'], d), 'colour');
    exit2(await vmsim(['run', 'dl/s.yaml', '--out', 'o'], d), 'colour');
    expect(existsSync(mark)).toBe(false);
    expect(existsSync(join(d, 'o'))).toBe(false);
  });

  it('a valid scenario may not name code out of its folder: .., an absolute path, a link to a file or a folder outside', async () => {
    for (const [policy, why] of [
      ['../other/evil.js', 'climbs out of that folder'],
      ['ABS', 'absolute path'],
      ['./link.js', 'through a link'],
      ['./linked/evil.js', 'through a link'],
    ]) {
      const { d, mark } = layout('');
      symlinkSync(join(d, 'other', 'evil.js'), join(d, 'dl', 'link.js'));
      symlinkSync(join(d, 'other'), join(d, 'dl', 'linked'));
      writeFileSync(join(d, 'dl', 's.yaml'), scenario(policy === 'ABS' ? join(d, 'other', 'evil.js') : policy));
      exit2(await vmsim(['run', 'dl/s.yaml', '--out', 'o'], d), 'dl/s.yaml, field policy', why, '--policy-file');
      exit2(await vmsim(['validate', 'dl/s.yaml'], d), why);
      exit2(await vmsim(['sweep', 'dl/s.yaml', '--set', 'link.bandwidth=1Gbit/s,2Gbit/s', '--workers', '1', '--out', 'o', '--quiet'], d), why);
      expect(existsSync(mark), policy).toBe(false);
      expect(existsSync(join(d, 'o'))).toBe(false);
    }
  });

  it('the command line names code from anywhere: --policy-file ../other/evil.js runs it', async () => {
    const { d, mark } = layout(scenario('stop-and-copy'));
    const r = await vmsim(['run', 'dl/s.yaml', '--policy-file', 'other/evil.js', '--out', 'o', '--quiet'], d);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(mark)).toBe(true);
  });

  it('validate runs no code: it says the file was not loaded and that run would load it', async () => {
    const { d, inner } = layout(scenario('./evil.js'));
    const r = await vmsim(['validate', 'dl/s.yaml'], d);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('evil.js was not loaded: validate runs no code');
    expect(r.stdout).toContain('vmsim run` would load it');
    const flag = await vmsim(['validate', 'dl/s.yaml', '--policy-file', 'other/evil.js'], d);
    expect(flag.code, flag.stderr).toBe(0);
    expect(existsSync(inner)).toBe(false);
    expect(existsSync(join(d, 'other', 'ran'))).toBe(false);
    // run loads it (it is in the scenario's folder)
    expect((await vmsim(['run', 'dl/s.yaml', '--out', 'o', '--quiet'], d)).code).toBe(0);
    expect(existsSync(inner)).toBe(true);
  });

  it("a variant that is not run runs no code, in run and in sweep; selecting it runs it", async () => {
    const { d, inner } = layout(scenario('stop-and-copy', 'variants:\n  plain: { policy: stop-and-copy }\n  bad: { policy: ./evil.js }\n'));
    expect((await vmsim(['run', 'dl/s.yaml', '--out', 'o1', '--quiet'], d)).code).toBe(0);
    expect((await vmsim(['run', 'dl/s.yaml', '--set', 'variant=plain', '--out', 'o2', '--quiet'], d)).code).toBe(0);
    const sw = await vmsim(['sweep', 'dl/s.yaml', '--set', 'variant=plain', '--set', 'link.bandwidth=1Gbit/s,2Gbit/s', '--workers', '1', '--out', 'o3', '--quiet'], d);
    expect(sw.code, sw.stderr).toBe(0);
    expect(existsSync(inner)).toBe(false);
    // validate checks the unselected variant's path without loading it; an escaping one is refused.
    expect((await vmsim(['validate', 'dl/s.yaml'], d)).code).toBe(0);
    writeFileSync(join(d, 'dl', 't.yaml'), scenario('stop-and-copy', 'variants:\n  bad: { policy: ../other/evil.js }\n'));
    exit2(await vmsim(['validate', 'dl/t.yaml'], d), 'field variants.bad.policy', 'climbs out of that folder');
    expect(existsSync(inner)).toBe(false);
    expect((await vmsim(['run', 'dl/s.yaml', '--set', 'variant=bad', '--out', 'o4', '--quiet'], d)).code).toBe(0);
    expect(existsSync(inner)).toBe(true);
  });

  it('a sweep whose axis is bad, or whose scenario is bad, runs no code', async () => {
    const { d, inner } = layout(scenario('./evil.js'));
    for (const set of [['link.bandwidth=1Gbit/s,fast'], ['link.bandwidth=1Gbit/s..'], ['link.colour=1,2'], ['policy=./evil.js', 'vm.memory=4MiB,-1MiB']]) {
      exit2(await vmsim(['sweep', 'dl/s.yaml', ...set.flatMap((s) => ['--set', s]), '--workers', '1', '--out', 'o', '--quiet'], d));
    }
    const sweepFile = join(d, 'dl', 'sweep.yaml');
    writeFileSync(sweepFile, 'scenario: s.yaml\nset:\n  link.latency: [1ms, soon]\n');
    exit2(await vmsim(['sweep', '--sweep', 'dl/sweep.yaml', '--workers', '1', '--out', 'o', '--quiet'], d), 'soon');
    expect(existsSync(inner)).toBe(false);
    expect(existsSync(join(d, 'o'))).toBe(false);
  });

  it("a sweep file may name code only in its own folder tree", async () => {
    const { d, mark } = layout(scenario('stop-and-copy'));
    writeFileSync(join(d, 'dl', 'sweep.yaml'), 'scenario: s.yaml\nset:\n  policy: [stop-and-copy, ../other/evil.js]\n');
    exit2(await vmsim(['sweep', '--sweep', 'dl/sweep.yaml', '--workers', '1', '--out', 'o', '--quiet'], d), 'climbs out of that folder');
    writeFileSync(join(d, 'dl', 'sweep.yaml'), 'scenario: s.yaml\nvariants:\n  x: { policy: ../other/evil.js }\nset:\n  variant: [x]\n');
    exit2(await vmsim(['sweep', '--sweep', 'dl/sweep.yaml', '--workers', '1', '--out', 'o', '--quiet'], d), 'dl/sweep.yaml, field variants.x.policy');
    expect(existsSync(mark)).toBe(false);
  });
});
