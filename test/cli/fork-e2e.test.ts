// End to end for the fork scenario: the built CLI runs it byte-identically for the same seed, a
// sweep over the number of clones works unchanged (runs.csv with a clones column, charts, report),
// and bad input exits 2 naming the field, with no stack trace and nothing written.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { requireDist, vmsim, CLI_TIMEOUT } from '../helpers/cli.js';

// Every test here runs the CLI: a generous timeout for a loaded 2-core machine.
vi.setConfig({ testTimeout: CLI_TIMEOUT });


let TMP: string;
let n = 0;
const fresh = (name: string) => join(TMP, `${++n}-${name}`);


beforeAll(async () => {
  requireDist();
  TMP = mkdtempSync(join(tmpdir(), 'vmsim-fork-e2e-'));
}, 130_000);

afterAll(async () => {
  if (TMP) rmSync(TMP, { recursive: true, force: true });
});

describe('fork end to end', () => {
  it('runs twice byte-identical, with a row per clone', async () => {
    const [a, b] = [fresh('fork'), fresh('fork')];
    for (const out of [a, b]) {
      const r = await vmsim(['run', 'fork', '--set', 'clones=4', '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      expect(readdirSync(out).sort()).toEqual(['clones.csv', 'runs.csv']);
    }
    for (const f of ['runs.csv', 'clones.csv']) expect(readFileSync(join(a, f), 'utf8')).toBe(readFileSync(join(b, f), 'utf8'));
    expect(readFileSync(join(a, 'clones.csv'), 'utf8').trimEnd().split('\n')).toHaveLength(5);
  });

  it('sweeps the number of clones unchanged: a row per N with a clones column, charts and a report', async () => {
    const out = fresh('fork-sweep');
    const r = await vmsim(['sweep', 'fork', '--set', 'clones=1,4', '--workers', '1', '--quiet', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const runs = readFileSync(join(out, 'runs.csv'), 'utf8').trimEnd().split('\n');
    expect(runs).toHaveLength(3);
    const head = runs[0].split(',');
    const col = (name: string) => runs.slice(1).map((l) => l.split(',')[head.indexOf(name)]);
    expect(col('clones')).toEqual(['1', '4']);
    expect(col('clone_time_s')[0]).toBe(col('clone_time_s')[1]);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(readdirSync(out).some((f) => f === 'charts' || f.endsWith('.svg') || f.endsWith('.png'))).toBe(true);
  });

  it('lists the snowflock policy', async () => {
    expect((await vmsim(['policies'])).stdout).toMatch(/^snowflock +fork /m);
  });

  it.each([
    ['clones=0', /field clones: at least one clone is needed/],
    ['workload.working_set=2GB', /field workload\.working_set: the working set \(2000000000 bytes\) is larger than memory/],
    ['workload.overwrite_share=150%', /field workload\.overwrite_share/],
  ])('--set %s exits 2, writes nothing', async (set, message) => {
    const out = fresh('bad');
    const r = await vmsim(['run', 'fork', '--set', set, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});
