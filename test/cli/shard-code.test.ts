// Merged results never mix two versions of the code (issue 19, item 2): a shard records vmsim's
// version and the sha256 of every policy file its sweep loaded, and merge refuses shards that differ,
// naming both and what differs (exit 2, nothing written).
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CLI_TIMEOUT, ROOT, vmsim } from '../helpers/cli.js';
import { policyDir, removePolicyDirs } from '../helpers/policies.js';
import { codeDifference } from '../../sim/cli/commands/merge.js';

vi.setConfig({ testTimeout: CLI_TIMEOUT });
afterAll(removePolicyDirs);

// Small enough to be quick: 64 MiB, one variant per policy (2 runs, 1 per shard).
const SWEEP = ['--set', 'vm.memory=64MiB', '--set', 'vm.working_set=[{name: hot, size: 32MiB, rate: 60000 pages/s}]', '--set', 'variant=qemu,rounds-2', '--workers', '1', '--quiet'];

describe('merge refuses shards run with different code', () => {
  it("the issue's example: shard 1, the policy file edited, shard 2, merge: exit 2 naming both shards and the file", async () => {
    const d = policyDir();
    for (const f of ['precopy-max-rounds.yaml', 'precopy-max-rounds.js']) cpSync(join(ROOT, 'scenarios', 'examples', f), join(d, f));
    const s1 = await vmsim(['sweep', 'precopy-max-rounds.yaml', ...SWEEP, '--shard', '1/2', '--out', 'o'], d);
    expect(s1.code, s1.stderr).toBe(0);
    const header = JSON.parse(readFileSync(join(d, 'o', 'shard-1-of-2.jsonl'), 'utf8').split('\n')[0]) as { format: string; code: { vmsim: string; policies: Array<{ file: string; sha256: string }> } };
    expect(header.format).toBe('vmsim-shard/4');
    expect(header.code.vmsim).toBe((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    expect(header.code.policies.map((p) => p.file)).toEqual([join(d, 'precopy-max-rounds.js')]);
    // The policy file edited between the shards (a comment is enough: content, not behaviour, counts).
    writeFileSync(join(d, 'precopy-max-rounds.js'), `${readFileSync(join(d, 'precopy-max-rounds.js'), 'utf8')}// edited\n`);
    const s2 = await vmsim(['sweep', 'precopy-max-rounds.yaml', ...SWEEP, '--shard', '2/2', '--out', 'o'], d);
    expect(s2.code, s2.stderr).toBe(0);
    const m = await vmsim(['merge', 'o', '--out', 'merged'], d);
    expect(m.code, m.stderr).toBe(2);
    for (const s of ['shard-1-of-2.jsonl', 'shard-2-of-2.jsonl', 'different code', 'precopy-max-rounds.js']) expect(m.stderr).toContain(s);
    expect(existsSync(join(d, 'merged'))).toBe(false);
    // With the file as it was, shard 2 again: they merge.
    writeFileSync(join(d, 'precopy-max-rounds.js'), readFileSync(join(ROOT, 'scenarios', 'examples', 'precopy-max-rounds.js')));
    expect((await vmsim(['sweep', 'precopy-max-rounds.yaml', ...SWEEP, '--shard', '2/2', '--out', 'o'], d)).code).toBe(0);
    const ok = await vmsim(['merge', 'o', '--out', 'merged', '--quiet'], d);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(d, 'merged', 'runs.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
  });

  it('names a version change and a changed file; the same content at another path is the same code', () => {
    const a = { vmsim: '0.1.0', policies: [{ file: '/a/p.js', sha256: 'a'.repeat(64) }] };
    expect(codeDifference(a, { ...a })).toBeUndefined();
    expect(codeDifference(a, { vmsim: '0.1.0', policies: [{ file: '/elsewhere/p.js', sha256: 'a'.repeat(64) }] })).toBeUndefined();
    expect(codeDifference(a, { ...a, vmsim: '0.2.0' })).toBe('vmsim 0.1.0 and vmsim 0.2.0');
    expect(codeDifference(a, { vmsim: '0.1.0', policies: [{ file: '/b/p.js', sha256: 'b'.repeat(64) }] })).toBe(`policy files /a/p.js (sha256 aaaaaaaaaaaa) and /b/p.js (sha256 bbbbbbbbbbbb)`);
  });
});
