// End to end for the edge scenarios: the built CLI runs them and writes runs.csv with their tables;
// the same seed gives byte-identical files; a sweep over the strategies works unchanged; bad input
// (a trace going backwards, an unknown cloudlet, an overlay larger than the VM) exits 2 naming the
// field, with no stack trace and nothing written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MAIN = join(ROOT, 'dist', 'sim', 'cli', 'main.js');

let TMP: string;
let n = 0;
const fresh = (name: string) => join(TMP, `${++n}-${name}`);

function vmsim(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.VMSIM_DEBUG;
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(MAIN)) {
    const b = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    if (b.status !== 0) throw new Error(`build failed:\n${b.stdout}${b.stderr}`);
  }
  TMP = mkdtempSync(join(tmpdir(), 'vmsim-edge-e2e-'));
}, 130_000);

afterAll(() => {
  if (TMP) rmSync(TMP, { recursive: true, force: true });
});

describe('shipped edge scenarios', () => {
  it.each([
    ['synthesis', [], 'stages.csv'],
    ['synthesis', ['--set', 'options.pipelined=true', '--set', 'link.bandwidth=5Mbit/s'], 'stages.csv'],
    ['vdi', ['--policy', 'vdi-launch'], 'interactions.csv'],
    ['vdi', ['--policy', 'vdi-remote'], 'interactions.csv'],
    ['vdi', [], 'interactions.csv'],
  ] as const)('%s %j runs, twice byte-identical', (name, extra, table) => {
    const a = fresh(name);
    const b = fresh(name);
    for (const out of [a, b]) {
      const r = vmsim(['run', name, ...extra, '--out', out, '--quiet']);
      expect(r.code, r.stderr).toBe(0);
      expect(readdirSync(out).sort()).toEqual(['runs.csv', table].sort());
    }
    for (const f of ['runs.csv', table]) expect(readFileSync(join(a, f), 'utf8')).toBe(readFileSync(join(b, f), 'utf8'));
  });

  it('sweeps the three strategies in one run', () => {
    const out = fresh('vdi-sweep');
    const r = vmsim(['sweep', 'vdi', '--set', 'policy=vdi-launch,vdi-remote,vdi-migrate', '--workers', '1', '--quiet', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const runs = readFileSync(join(out, 'runs.csv'), 'utf8').trimEnd().split('\n');
    expect(runs).toHaveLength(4);
    expect(runs[0]).toMatch(/p95_interaction_ms/);
    expect(readFileSync(join(out, 'tables', 'interactions.csv'), 'utf8')).toMatch(/vdi-launch[\s\S]*vdi-remote[\s\S]*vdi-migrate/);
  });

  it('lists the edge policies', () => {
    const r = vmsim(['policies']);
    for (const p of ['synthesis', 'vdi-launch', 'vdi-remote', 'vdi-migrate']) expect(r.stdout).toMatch(new RegExp(`^${p} `, 'm'));
  });
});

describe('bad edge input', () => {
  it.each([
    ['vdi', 'trace=[{at: 0s, cloudlet: home}, {at: 90s, cloudlet: cafe}, {at: 60s, cloudlet: office}]', /field trace\.2\.at: times go backwards/],
    ['vdi', 'trace=[{at: 0s, cloudlet: home}, {at: 60s, cloudlet: mars}]', /field trace\.1\.cloudlet: unknown cloudlet "mars"/],
    ['synthesis', 'overlay.size=10GB', /field overlay\.size: the overlay \(10000000000 bytes\) is larger than the VM/],
  ])('%s --set %s exits 2, writes nothing', (name, set, message) => {
    const out = fresh('bad');
    const r = vmsim(['run', name, '--set', set, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });
});
