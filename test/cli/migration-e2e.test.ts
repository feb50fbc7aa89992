// End to end for the migration scenarios: the CLI (in-process, on the sources) runs each shipped
// scenario and writes runs.csv, rounds.csv and remaining.csv; the same seed gives byte-identical
// files; bad input exits 2 naming the field, with no stack trace and nothing written.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { vmsim, CLI_TIMEOUT } from '../helpers/cli.js';

// Every test here runs the CLI: a generous timeout for a loaded 2-core machine.
vi.setConfig({ testTimeout: CLI_TIMEOUT });

const SCENARIOS = ['stop-and-copy', 'precopy-qemu', 'precopy-xen', 'precopy-simgrid', 'precopy-nonconvergent', 'postcopy', 'hybrid', 'handoff'];
const FILES = ['remaining.csv', 'rounds.csv', 'runs.csv'];

let TMP: string;
let n = 0;
const fresh = (name: string) => join(TMP, `${++n}-${name}`);


function csv(file: string): Array<Record<string, string>> {
  const [head, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((c, i) => [cols[i], c])));
}

beforeAll(async () => {
  TMP = mkdtempSync(join(tmpdir(), 'vmsim-mig-e2e-'));
}, 130_000);

afterAll(async () => {
  if (TMP) rmSync(TMP, { recursive: true, force: true });
});

describe('shipped migration scenarios', () => {
  const outs = new Map<string, string>();

  it.each(SCENARIOS)('%s runs and writes runs.csv, rounds.csv and remaining.csv', async (name) => {
    const out = fresh(name);
    const r = await vmsim(['run', name, '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(FILES);
    const [row] = csv(join(out, 'runs.csv'));
    expect(row).toMatchObject({ scenario: name, trial: '0' });
    const rounds = csv(join(out, 'rounds.csv'));
    expect(rounds.length).toBeGreaterThan(0);
    for (const x of rounds) expect(x).toMatchObject({ scenario: name, policy: row.policy, seed: row.seed, trial: '0' });
    const series = csv(join(out, 'remaining.csv'));
    expect(Number(series[0].remaining_bytes)).toBe(1024 ** 3);
    for (let k = 1; k < series.length; k++) expect(Number(series[k].t_ms)).toBeGreaterThanOrEqual(Number(series[k - 1].t_ms));
    // The series counts memory not current at the destination; the metric is QEMU's remaining, the
    // pages in the to-send set (a page written before it was sent is current there and still in the
    // set after the next sync), so they differ while a migration runs. Both are zero once it completed.
    const last = Number(series.at(-1)!.remaining_bytes);
    if (row.converged === '1') expect([last, Number(row.remaining_bytes)]).toEqual([0, 0]);
    else {
      expect(last).toBeGreaterThan(0);
      expect(Number(row.remaining_bytes)).toBeGreaterThan(0);
      expect(Number(row.remaining_bytes)).toBeLessThanOrEqual(1024 ** 3);
    }
    outs.set(name, out);
  });

  it('the same seed gives byte-identical CSV files', async () => {
    for (const name of ['precopy-qemu', 'postcopy', 'handoff']) {
      const again = fresh(`${name}-again`);
      expect((await vmsim(['run', name, '--out', again, '--quiet'])).code).toBe(0);
      for (const f of FILES) expect(readFileSync(join(again, f), 'utf8')).toBe(readFileSync(join(outs.get(name)!, f), 'utf8'));
    }
  });

  it('pre-copy converges under its downtime limit; the non-convergent one does not', async () => {
    const [q] = csv(join(outs.get('precopy-qemu')!, 'runs.csv'));
    expect(q.converged).toBe('1');
    // 300 ms limit plus the device state (256 KiB) and a 0.5 ms latency at 1 Gbit/s.
    expect(Number(q.downtime_ms)).toBeLessThan(300 + (256 * 1024 * 8) / 1e6 + 0.5);
    const [nc] = csv(join(outs.get('precopy-nonconvergent')!, 'runs.csv'));
    expect(nc.converged).toBe('0');
    expect(Number(nc.remaining_bytes)).toBeGreaterThan(0);
    expect(Number(nc.downtime_ms)).toBe(0);
  });

  it('post-copy downtime is the device state and one latency', async () => {
    const [p] = csv(join(outs.get('postcopy')!, 'runs.csv'));
    expect(Number(p.downtime_ms)).toBeCloseTo((256 * 1024 * 8) / 1e6 + 0.5, 6);
    expect(Number(p.postcopy_faults)).toBeGreaterThan(0);
  });

  it('--set reaches policy options and VM fields, and they become columns with units', async () => {
    const out = fresh('set');
    const r = await vmsim(['run', 'precopy-nonconvergent', '--set', 'options.auto_converge=true', '--set', 'options.deadline=600s', '--out', out, '--quiet']);
    expect(r.code, r.stderr).toBe(0);
    const [row] = csv(join(out, 'runs.csv'));
    expect(row['options.auto_converge']).toBe('true');
    expect(row['options.deadline_s']).toBe('600');
    expect(row.converged).toBe('1');
    expect(Number(row.cpu_throttle_percentage)).toBeGreaterThan(0);
  });
});

describe('bad migration input: exit 2, the field named, nothing written', () => {
  let backwards: string;
  beforeAll(async () => {
    const dir = fresh('trace');
    mkdirSync(dir);
    backwards = join(dir, 'backwards.yaml');
    writeFileSync(
      backwards,
      [
        'kind: migration',
        'name: backwards',
        'policy: precopy',
        'link: { bandwidth: 1Gbit/s }',
        'vm:',
        '  memory: 64MiB',
        '  working_set:',
        '    - name: trace',
        '      writes: [{ at: 2s, page: 1 }, { at: 1s, page: 2 }]',
        '',
      ].join('\n'),
    );
  });

  const cases: Array<[string, () => string[], string[]]> = [
    ['a zero downtime limit', () => ['run', 'precopy-qemu', '--set', 'options.downtime_limit=0ms'], ['field options.downtime_limit: ', 'greater than zero']],
    ['a zero bandwidth cap', () => ['run', 'precopy-qemu', '--set', 'options.max_bandwidth=0Mbit/s'], ['field options.max_bandwidth: ', 'greater than zero']],
    ['a working set larger than memory', () => ['run', 'precopy-qemu', '--set', 'vm.memory=128MiB'], ['field vm.working_set: ', 'larger than memory']],
    ['a trace whose times go backwards', () => ['run', backwards], ['field vm.working_set.0.writes.1.at: ', 'times go backwards']],
    ['an unknown rule set', () => ['run', 'precopy-qemu', '--set', 'options.rules=vmware'], ['field options.rules: expected one of "qemu", "xen", "simgrid"']],
    ['an option of another rule set', () => ['run', 'precopy-simgrid', '--set', 'options.downtime_limit=50ms'], ['field options.downtime_limit: an option of rules: qemu, not of rules: simgrid', 'set rules: qemu to use it']],
    ['an unknown policy lists the five', () => ['run', 'precopy-qemu', '--policy', 'nope'], ['unknown policy "nope"', 'policies of kind migration: ', 'stop-and-copy', 'precopy', 'postcopy', 'hybrid', 'handoff']],
  ];

  it.each(cases)('%s', async (_name, args, details) => {
    const out = fresh('bad');
    const r = await vmsim([...args(), '--out', out]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith('vmsim: ')).toBe(true);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stderr).not.toContain('internal error');
    for (const d of details) expect(r.stderr).toContain(d);
    expect(existsSync(out)).toBe(false);
  });
});
