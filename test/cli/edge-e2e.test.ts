// End to end for the edge scenarios: the built CLI runs them and writes runs.csv with their tables;
// the same seed gives byte-identical files; a sweep over the strategies works unchanged; bad input
// (a trace going backwards, an unknown cloudlet, an overlay larger than the VM) exits 2 naming the
// field, with no stack trace and nothing written.
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
  TMP = mkdtempSync(join(tmpdir(), 'vmsim-edge-e2e-'));
}, 130_000);

afterAll(async () => {
  if (TMP) rmSync(TMP, { recursive: true, force: true });
});

describe('shipped edge scenarios', () => {
  it.each([
    ['synthesis', [], 'stages.csv'],
    ['synthesis', ['--set', 'options.pipelined=true', '--set', 'link.bandwidth=5Mbit/s'], 'stages.csv'],
    ['vdi', ['--policy', 'vdi-launch'], 'interactions.csv'],
    ['vdi', ['--policy', 'vdi-remote'], 'interactions.csv'],
    ['vdi', [], 'interactions.csv'],
  ] as const)('%s %j runs, twice byte-identical', async (name, extra, table) => {
    const a = fresh(name);
    const b = fresh(name);
    for (const out of [a, b]) {
      const r = await vmsim(['run', name, ...extra, '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      expect(readdirSync(out).sort()).toEqual(['runs.csv', table].sort());
    }
    for (const f of ['runs.csv', table]) expect(readFileSync(join(a, f), 'utf8')).toBe(readFileSync(join(b, f), 'utf8'));
  });

  it('sweeps the three strategies in one run', async () => {
    const out = fresh('vdi-sweep');
    const r = await vmsim(['sweep', 'vdi', '--set', 'policy=vdi-launch,vdi-remote,vdi-migrate', '--workers', '1', '--quiet', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const runs = readFileSync(join(out, 'runs.csv'), 'utf8').trimEnd().split('\n');
    expect(runs).toHaveLength(4);
    expect(runs[0]).toMatch(/p95_interaction_ms/);
    expect(readFileSync(join(out, 'tables', 'interactions.csv'), 'utf8')).toMatch(/vdi-launch[\s\S]*vdi-remote[\s\S]*vdi-migrate/);
  });

  it('lists the edge policies', async () => {
    const r = await vmsim(['policies']);
    for (const p of ['synthesis', 'vdi-launch', 'vdi-remote', 'vdi-migrate']) expect(r.stdout).toMatch(new RegExp(`^${p} `, 'm'));
  });
});

describe('bad edge input', () => {
  it.each([
    ['vdi', 'trace=[{at: 0s, cloudlet: home}, {at: 90s, cloudlet: cafe}, {at: 60s, cloudlet: office}]', /field trace\.2\.at: times go backwards/],
    ['vdi', 'trace=[{at: 0s, cloudlet: home}, {at: 60s, cloudlet: mars}]', /field trace\.1\.cloudlet: unknown cloudlet "mars"/],
    ['synthesis', 'overlay.size=10GB', /field overlay\.size: the overlay \(10000000000 bytes\) is larger than the VM/],
  ])('%s --set %s exits 2, writes nothing', async (name, set, message) => {
    const out = fresh('bad');
    const r = await vmsim(['run', name, '--set', set, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});
